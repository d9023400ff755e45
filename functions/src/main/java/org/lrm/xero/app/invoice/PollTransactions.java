package org.lrm.xero.app.invoice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.TouchedInvoices;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroTenant;
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

    /** What is polled, in this order; each list keeps its own watermark, named as Xero names the list. */
    static final List<TransactionList> POLLED = List.of(TransactionList.PAYMENTS, TransactionList.CREDIT_NOTES,
            TransactionList.PREPAYMENTS, TransactionList.OVERPAYMENTS, TransactionList.INVOICES);
    /** Invoice ids per {@code invoice-ids} message: about what the invoice worker fetches in one Xero call. */
    static final int INVOICES_PER_MESSAGE = 50;

    private static final JsonLog LOG = JsonLog.forClass(PollTransactions.class);

    private final ConnectionStore connections;
    private final XeroLedger xero;
    private final PollWatermarks watermarks;
    private final WorkQueue invoiceEvents;

    public PollTransactions(ConnectionStore connections, XeroLedger xero, PollWatermarks watermarks, WorkQueue invoiceEvents) {
        this.connections = connections;
        this.xero = xero;
        this.watermarks = watermarks;
        this.invoiceEvents = invoiceEvents;
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

    /** Polls one organisation; a list's watermark moves only once its invoices are queued. */
    public void poll(ConnectionRecord connection) {
        String orgId = connection.orgId();
        String tenantId = connection.tenantId();
        XeroTenant tenant = new XeroTenant(orgId, tenantId);
        for (TransactionList list : POLLED) {
            Instant since = watermarks.watermark(orgId, list.collection()).orElse(connection.connectedAt());
            Set<String> invoiceIds = new LinkedHashSet<>();
            Instant newest = null;
            for (TouchedInvoices t : xero.changedSince(tenant, Priority.BULK, list, since)) {
                invoiceIds.addAll(t.invoiceIds());
                if (t.updatedAt() != null && (newest == null || t.updatedAt().isAfter(newest))) {
                    newest = t.updatedAt();
                }
            }
            List<String> ids = new ArrayList<>(invoiceIds);
            List<WorkMessage> messages = new ArrayList<>();
            for (int i = 0; i < ids.size(); i += INVOICES_PER_MESSAGE) {
                messages.add(WorkMessage.of(InvoiceEvents.INVOICE_IDS_KIND, orgId, tenantId, Priority.BULK,
                        InvoiceEvents.invoiceIdsPayload(ids.subList(i, Math.min(i + INVOICES_PER_MESSAGE, ids.size())))));
            }
            invoiceEvents.send(messages);
            if (newest != null) {
                watermarks.advance(orgId, list.collection(), newest);
            }
            LOG.info("poll.collection", "orgId", orgId, "tenantId", tenantId, "kind", list.collection(),
                    "invoices", ids.size(), "since", since == null ? "start" : since.toString());
        }
    }
}
