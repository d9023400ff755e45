package org.lrm.xero.app.invoice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.domain.invoice.WebhookPayload;
import org.lrm.xero.domain.invoice.WebhookPayload.WebhookEvent;
import org.lrm.xero.domain.invoice.WebhookSignature;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * Xero's webhook deliveries: the signature is checked, and the events are queued per tenant for
 * the invoice worker; nothing calls Xero here, so Xero gets its answer well within 5 seconds.
 * The tenant's organisation is looked up here (one read per tenant, kept per instance for
 * {@link #ORG_KEPT}: a tenant disconnected, or connected to another organisation, is seen within
 * minutes), so events of tenants no organisation is connected to are dropped before they cost a
 * message. Webhook events travel at interactive priority: finance's changes should show within moments.
 */
public final class ReceiveWebhook {

    /** Events per message: keeps a message far below SQS's 256 KB. */
    static final int EVENTS_PER_MESSAGE = 100;
    /** How long an instance trusts the organisation it found for a tenant. */
    static final Duration ORG_KEPT = Duration.ofMinutes(5);

    private static final JsonLog LOG = JsonLog.forClass(ReceiveWebhook.class);

    public enum Outcome {
        /** Signed with the webhook key: 200. Events were queued, or dropped and logged. */
        ACCEPTED,
        /** Not signed with the webhook key: 401, nothing queued. */
        REJECTED,
        /** The stored webhook key is missing, a placeholder or too short: refused, nothing checked or queued (500). */
        KEY_REFUSED
    }

    private record KnownOrg(String orgId, Instant until) {
    }

    private final WebhookKeySource key;
    private final Function<String, Optional<String>> orgOfTenant;
    private final WorkQueue invoiceEvents;
    private final Clock clock;
    private final Map<String, KnownOrg> knownOrgs = new ConcurrentHashMap<>();

    /** @param orgOfTenant the organisation connected to a Xero tenant, if any */
    public ReceiveWebhook(WebhookKeySource key, Function<String, Optional<String>> orgOfTenant, WorkQueue invoiceEvents,
            Clock clock) {
        this.key = key;
        this.orgOfTenant = orgOfTenant;
        this.invoiceEvents = invoiceEvents;
        this.clock = clock;
    }

    public Outcome receive(byte[] body, String signature) {
        // An unsigned request is refused before the key is read: no Secrets Manager call for junk.
        if (signature == null) {
            LOG.warn("webhook.badSignature", "bytes", body.length, "signed", false);
            return Outcome.REJECTED;
        }
        byte[] webhookKey;
        try {
            webhookKey = key.webhookKey();
        } catch (IllegalStateException refused) {
            // The message says what is wrong with the stored key and how to set it; it never holds the key.
            LOG.error("webhook.keyRefused", refused);
            return Outcome.KEY_REFUSED;
        }
        if (!WebhookSignature.verify(body, signature, webhookKey)) {
            LOG.warn("webhook.badSignature", "bytes", body.length, "signed", signature != null);
            return Outcome.REJECTED;
        }
        WebhookPayload payload;
        try {
            payload = WebhookPayload.parse(body);
        } catch (WebhookPayload.Malformed malformed) {
            // Correctly signed yet unreadable: another answer than 200 would only make Xero send it again.
            LOG.error("webhook.malformed", malformed, "bytes", body.length);
            return Outcome.ACCEPTED;
        }
        Map<String, List<WebhookEvent>> byTenant = new LinkedHashMap<>();
        payload.events().forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e));
        List<WorkMessage> messages = new ArrayList<>();
        byTenant.forEach((tenantId, events) -> {
            Optional<String> orgId = org(tenantId);
            if (orgId.isEmpty()) {
                LOG.warn("webhook.unknownTenant", "tenantId", tenantId, "events", events.size());
                return;
            }
            for (int i = 0; i < events.size(); i += EVENTS_PER_MESSAGE) {
                messages.add(WorkMessage.of(InvoiceEvents.EVENTS_KIND, orgId.get(), tenantId, Priority.INTERACTIVE,
                        InvoiceEvents.eventsPayload(events.subList(i, Math.min(i + EVENTS_PER_MESSAGE, events.size())))));
            }
        });
        invoiceEvents.send(messages);
        LOG.info("webhook.received", "events", payload.events().size(), "tenants", byTenant.size(), "messages", messages.size(),
                "firstEventSequence", payload.firstEventSequence(), "lastEventSequence", payload.lastEventSequence());
        return Outcome.ACCEPTED;
    }

    /**
     * Connected tenants are remembered for {@link #ORG_KEPT}; unknown ones are asked again (a connection
     * may come any time).
     */
    private Optional<String> org(String tenantId) {
        Instant now = clock.instant();
        KnownOrg known = knownOrgs.get(tenantId);
        if (known != null && now.isBefore(known.until())) {
            return Optional.of(known.orgId());
        }
        Optional<String> found = orgOfTenant.apply(tenantId);
        if (found.isPresent()) {
            knownOrgs.put(tenantId, new KnownOrg(found.get(), now.plus(ORG_KEPT)));
        } else {
            knownOrgs.remove(tenantId);
        }
        return found;
    }
}
