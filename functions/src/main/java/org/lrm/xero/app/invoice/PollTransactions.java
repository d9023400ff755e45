package org.lrm.xero.app.invoice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.lrm.xero.adapter.xero.Allocation;
import org.lrm.xero.adapter.xero.InvoiceQuery;
import org.lrm.xero.adapter.xero.TransactionQuery;
import org.lrm.xero.adapter.xero.XeroCall;
import org.lrm.xero.adapter.xero.XeroClient;
import org.lrm.xero.adapter.xero.XeroResult;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.XeroGateway;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * Xero sends no webhook for payments (and not every account gets credit note ones; deliveries can
 * be lost), so every few minutes each connected organisation's Payments, CreditNotes, Prepayments,
 * Overpayments and Invoices changed since a stored watermark ({@code If-Modified-Since}) are read,
 * page by page, at bulk priority. The invoices they touch join the invoice stream as
 * {@code invoice-ids} messages, and only then does the watermark move on, to the newest
 * UpdatedDateUTC seen (Xero's clock, not ours).
 */
public final class PollTransactions {

    private static final JsonLog LOG = JsonLog.forClass(PollTransactions.class);
    private static final int PAGE_SIZE = 100;

    private final ConnectionStore connections;
    private final XeroGateway gateway;
    private final XeroClient xero;
    private final PollWatermarks watermarks;
    private final WorkQueue invoiceEvents;

    public PollTransactions(ConnectionStore connections, XeroGateway gateway, XeroClient xero, PollWatermarks watermarks,
            WorkQueue invoiceEvents) {
        this.connections = connections;
        this.gateway = gateway;
        this.xero = xero;
        this.watermarks = watermarks;
        this.invoiceEvents = invoiceEvents;
    }

    /** What one polled Xero collection yields: per element, the invoices it touches and its UpdatedDateUTC. */
    private record Touch(List<String> invoiceIds, Instant updated) {
    }

    private record Collection(String kind, BiFunction<XeroCall, TransactionQuery, XeroResult<List<Touch>>> page) {
    }

    private List<Collection> collections() {
        return List.of(
                new Collection("Payments", (call, q) -> map(xero.getPayments(call, q),
                        p -> new Touch(p.invoiceIds(), p.updatedDateUtc()))),
                new Collection("CreditNotes", (call, q) -> map(xero.getCreditNotes(call, q),
                        c -> new Touch(Allocation.invoiceIds(c.allocations()), c.updatedDateUtc()))),
                new Collection("Prepayments", (call, q) -> map(xero.getPrepayments(call, q),
                        p -> new Touch(Allocation.invoiceIds(p.allocations()), p.updatedDateUtc()))),
                new Collection("Overpayments", (call, q) -> map(xero.getOverpayments(call, q),
                        o -> new Touch(Allocation.invoiceIds(o.allocations()), o.updatedDateUtc()))),
                new Collection("Invoices", (call, q) -> map(xero.getInvoices(call, InvoiceQuery.all()
                        .withModifiedSince(q.modifiedSince()).withPage(q.page(), q.pageSize())),
                        i -> new Touch(List.of(i.invoiceId()), i.updatedDateUtc()))));
    }

    /** Polls every connected organisation; one that must wait or reconnect does not stop the others. */
    public void pollAll() {
        for (ConnectionRecord connection : connections.usableConnections()) {
            try {
                poll(connection);
            } catch (WaitForBudget wait) {
                LOG.info("poll.waiting", "orgId", connection.orgId(), "tenantId", connection.tenantId(),
                        "reason", wait.reason().code());
            } catch (ConnectionUnavailable lost) {
                LOG.warn("poll.connectionUnavailable", "orgId", connection.orgId(), "tenantId", connection.tenantId());
            } catch (RuntimeException e) {
                LOG.error("poll.failed", e, "orgId", connection.orgId(), "tenantId", connection.tenantId());
            }
        }
    }

    /** Polls one organisation; a collection's watermark moves only once its invoices are queued. */
    public void poll(ConnectionRecord connection) {
        String orgId = connection.orgId();
        String tenantId = connection.tenantId();
        for (Collection collection : collections()) {
            Instant since = watermarks.watermark(orgId, collection.kind()).orElse(connection.connectedAt());
            Set<String> invoiceIds = new LinkedHashSet<>();
            Instant newest = null;
            for (int page = 1; ; page++) {
                TransactionQuery query = TransactionQuery.all().withModifiedSince(since).withPage(page, PAGE_SIZE);
                List<Touch> touches = gateway.call(orgId, tenantId, Priority.BULK, "GET " + collection.kind() + " modified",
                        call -> collection.page().apply(call, query));
                for (Touch t : touches) {
                    invoiceIds.addAll(t.invoiceIds());
                    if (t.updated() != null && (newest == null || t.updated().isAfter(newest))) {
                        newest = t.updated();
                    }
                }
                if (touches.size() < PAGE_SIZE) {
                    break;
                }
            }
            List<String> ids = new ArrayList<>(invoiceIds);
            List<WorkMessage> messages = new ArrayList<>();
            for (int i = 0; i < ids.size(); i += InvoiceUpdates.IDS_PER_CALL) {
                messages.add(WorkMessage.of(InvoiceEvents.INVOICE_IDS_KIND, orgId, tenantId, Priority.BULK,
                        InvoiceEvents.invoiceIdsPayload(ids.subList(i, Math.min(i + InvoiceUpdates.IDS_PER_CALL, ids.size())))));
            }
            invoiceEvents.send(messages);
            if (newest != null) {
                watermarks.advance(orgId, collection.kind(), newest);
            }
            LOG.info("poll.collection", "orgId", orgId, "tenantId", tenantId, "kind", collection.kind(),
                    "invoices", ids.size(), "since", since == null ? "start" : since.toString());
        }
    }

    private static <T> XeroResult<List<Touch>> map(XeroResult<List<T>> result, java.util.function.Function<T, Touch> touch) {
        return result.map(list -> list.stream().map(touch).toList());
    }
}
