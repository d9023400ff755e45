package org.lrm.xero.app.invoice;

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
 * The tenant's organisation is looked up here (one read per tenant, kept per instance), so events
 * of tenants no organisation is connected to are dropped before they cost a message. Webhook events
 * travel at interactive priority: finance's changes should show within moments.
 */
public final class ReceiveWebhook {

    /** Events per message: keeps a message far below SQS's 256 KB. */
    static final int EVENTS_PER_MESSAGE = 100;

    private static final JsonLog LOG = JsonLog.forClass(ReceiveWebhook.class);

    public enum Outcome {
        /** Signed with the webhook key: 200. Events were queued, or dropped and logged. */
        ACCEPTED,
        /** Not signed with the webhook key: 401, nothing queued. */
        REJECTED
    }

    private final WebhookKeySource key;
    private final Function<String, Optional<String>> orgOfTenant;
    private final WorkQueue invoiceEvents;
    private final Map<String, String> knownOrgs = new ConcurrentHashMap<>();

    /** @param orgOfTenant the organisation connected to a Xero tenant, if any */
    public ReceiveWebhook(WebhookKeySource key, Function<String, Optional<String>> orgOfTenant, WorkQueue invoiceEvents) {
        this.key = key;
        this.orgOfTenant = orgOfTenant;
        this.invoiceEvents = invoiceEvents;
    }

    public Outcome receive(byte[] body, String signature) {
        // An unsigned request is refused before the key is read: no Secrets Manager call for junk.
        if (signature == null || !WebhookSignature.verify(body, signature, key.webhookKey())) {
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

    /** Connected tenants are remembered; unknown ones are asked again (a connection may come any time). */
    private Optional<String> org(String tenantId) {
        String known = knownOrgs.get(tenantId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> found = orgOfTenant.apply(tenantId);
        found.ifPresent(org -> knownOrgs.put(tenantId, org));
        return found;
    }
}
