package org.lrm.xero.app.invoice;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.invoice.WebhookPayload.WebhookEvent;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.JsonLog;

/**
 * The invoice worker's use case. Xero's events arrive at least once and in any order, so the
 * events of one organisation's messages are gathered, those already processed dropped, each
 * resource taken once, and Xero's current state fetched: INVOICE events name invoices, CREDITNOTE
 * events the invoices their allocations touch, CONTACT events contact merges and archives.
 * Invoice ids handed on by the transaction poll take the same path.
 */
public final class InvoiceEvents implements WorkProcessor {

    /** Webhook events of one tenant, as the receiver queues them. */
    public static final String EVENTS_KIND = "xero-events";
    /** Invoices something else found changed (the transaction poll). */
    public static final String INVOICE_IDS_KIND = "invoice-ids";

    private static final JsonLog LOG = JsonLog.forClass(InvoiceEvents.class);

    private final ConnectionStore connections;
    private final InvoiceStore store;
    private final InvoiceUpdates invoices;
    private final ContactChanges contacts;
    private final XeroLedger xero;
    private final Clock clock;

    public InvoiceEvents(ConnectionStore connections, InvoiceStore store, InvoiceUpdates invoices, ContactChanges contacts,
            XeroLedger xero, Clock clock) {
        this.connections = connections;
        this.store = store;
        this.invoices = invoices;
        this.contacts = contacts;
        this.xero = xero;
        this.clock = clock;
    }

    /** The message payload of webhook events. */
    public static ObjectNode eventsPayload(List<WebhookEvent> events) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        ArrayNode array = payload.putArray("events");
        events.forEach(e -> array.add(Json.MAPPER.valueToTree(e)));
        return payload;
    }

    /** The message payload of invoice ids. */
    public static ObjectNode invoiceIdsPayload(Collection<String> invoiceIds) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        ArrayNode array = payload.putArray("invoiceIds");
        invoiceIds.forEach(array::add);
        return payload;
    }

    @Override
    public Map<String, WorkOutcome> process(String orgId, List<Work> work) {
        Map<String, WorkOutcome> outcomes = new LinkedHashMap<>();
        Optional<ConnectionRecord> connection = connections.connection(orgId);
        if (connection.isEmpty() || !connection.get().keepsWork()) {
            LOG.warn("invoiceEvents.dropped", "orgId", orgId, "reason", "organisation not connected", "messages", work.size());
            work.forEach(w -> outcomes.put(w.messageId(), WorkOutcome.DONE));
            return outcomes;
        }
        String tenantId = connection.get().tenantId();
        XeroTenant tenant = new XeroTenant(orgId, tenantId);
        Priority priority = Priority.BULK;
        Map<String, WebhookEvent> events = new LinkedHashMap<>();
        Set<String> invoiceIds = new LinkedHashSet<>();
        for (Work w : work) {
            WorkMessage m = w.message();
            outcomes.put(w.messageId(), WorkOutcome.DONE);
            if (m.tenantId() != null && !m.tenantId().equals(tenantId)) {
                LOG.warn("invoiceEvents.dropped", "orgId", orgId, "tenantId", m.tenantId(), "reason", "tenant no longer connected");
                continue;
            }
            if (m.priority() == Priority.INTERACTIVE) {
                priority = Priority.INTERACTIVE;
            }
            switch (m.kind()) {
                case EVENTS_KIND -> m.payload().path("events").forEach(e -> {
                    WebhookEvent event = Json.MAPPER.convertValue(e, WebhookEvent.class);
                    events.put(event.dedupeKey(), event);
                });
                case INVOICE_IDS_KIND -> m.payload().path("invoiceIds").forEach(id -> invoiceIds.add(id.asText()));
                default -> outcomes.put(w.messageId(), new WorkOutcome.Fail("unknown kind " + m.kind()));
            }
        }
        Set<String> processed = store.processedEvents(orgId, events.keySet());
        List<WebhookEvent> fresh = events.values().stream().filter(e -> !processed.contains(e.dedupeKey())).toList();
        Set<String> contactIds = new LinkedHashSet<>();
        Set<String> creditNoteIds = new LinkedHashSet<>();
        for (WebhookEvent e : fresh) {
            switch (e.eventCategory()) {
                case "INVOICE" -> invoiceIds.add(e.resourceId());
                case "CONTACT" -> contactIds.add(e.resourceId());
                case "CREDITNOTE" -> creditNoteIds.add(e.resourceId());
                default -> LOG.info("invoiceEvents.ignored", "orgId", orgId, "category", e.eventCategory());
            }
        }
        // Everything ends in invoices read; contact changes also need the contacts scope. Without either, all waits.
        connection.get().requireScope(XeroScopes.Need.INVOICES);
        if (!contactIds.isEmpty()) {
            connection.get().requireScope(XeroScopes.Need.CONTACTS);
        }
        contacts.apply(tenant, priority, contactIds);
        if (!creditNoteIds.isEmpty()) {
            invoiceIds.addAll(xero.invoicesCredited(tenant, priority, creditNoteIds));
        }
        int changed = invoices.refresh(tenant, priority, invoiceIds).changed();
        store.markEventsProcessed(orgId, fresh.stream().map(WebhookEvent::dedupeKey).toList(), clock.instant());
        LOG.info("invoiceEvents.processed", "orgId", orgId, "tenantId", tenantId, "messages", work.size(),
                "events", events.size(), "alreadyProcessed", events.size() - fresh.size(), "invoices", invoiceIds.size(),
                "changed", changed);
        return outcomes;
    }
}
