package org.lrm.xero.app.invoice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.app.xero.TouchedInvoices;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * Xero sends no webhook for payments (and not every account gets credit note ones; deliveries can
 * be lost), so every few minutes each connected organisation's Payments, CreditNotes, Prepayments,
 * Overpayments and Invoices changed since a stored watermark ({@code If-Modified-Since}) are read,
 * page by page, at bulk priority. The invoices they touch join the invoice stream as
 * {@code invoice-ids} messages, and only then does the watermark move on, to the newest
 * UpdatedDateUTC seen (Xero's clock, not ours). A poll costs at least five calls: on Xero's standard
 * day of 5,000 calls, a poll every run of the schedule takes 1,440 of them; an organisation with a
 * smaller day (Xero's Starter tier: 1,000) is polled less often, so that the poll keeps the same
 * share of its day and leaves the rest of bulk work's part to the bulk sync, re-syncs and PDFs.
 */
public final class PollTransactions {

    /** What is polled, in this order; each list keeps its own watermark, named as Xero names the list. */
    static final List<TransactionList> POLLED = List.of(TransactionList.PAYMENTS, TransactionList.CREDIT_NOTES,
            TransactionList.PREPAYMENTS, TransactionList.OVERPAYMENTS, TransactionList.INVOICES);
    /** Invoice ids per {@code invoice-ids} message: about what the invoice worker fetches in one Xero call. */
    static final int INVOICES_PER_MESSAGE = 50;
    /** Xero's standard day, on which an organisation is polled at every run of the schedule. */
    static final int STANDARD_DAY = 5_000;
    /** The schedule's rate (the template's PollScheduleExpression). */
    public static final Duration SCHEDULE = Duration.ofMinutes(5);
    /** How early a run may come and still count as the due one: schedules do not fire to the second. */
    private static final Duration RUN_SLACK = Duration.ofMinutes(1);
    /** When the organisation was last polled (our clock): kept beside the lists' watermarks, named as no Xero list is. */
    static final String LAST_POLL = "_lastPoll";

    private static final JsonLog LOG = JsonLog.forClass(PollTransactions.class);

    private final ConnectionStore connections;
    private final XeroLedger xero;
    private final PollWatermarks watermarks;
    private final WorkQueue invoiceEvents;
    private final RateBudget budget;
    private final Clock clock;

    public PollTransactions(ConnectionStore connections, XeroLedger xero, PollWatermarks watermarks, WorkQueue invoiceEvents,
            RateBudget budget, Clock clock) {
        this.connections = connections;
        this.xero = xero;
        this.watermarks = watermarks;
        this.invoiceEvents = invoiceEvents;
        this.budget = budget;
        this.clock = clock;
    }

    /**
     * Polls every connected organisation whose poll is due; one that must wait or reconnect does not
     * stop the others.
     */
    public void pollAll() {
        Instant now = clock.instant();
        for (ConnectionRecord connection : connections.usableConnections()) {
            try {
                if (due(connection, now)) {
                    poll(connection);
                }
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

    /**
     * Whether the organisation's poll is due: at every run on Xero's standard day; on a smaller one once
     * its longer interval has passed since the last (then recorded as this one).
     */
    private boolean due(ConnectionRecord connection, Instant now) {
        Duration every = interval(budget.snapshot(connection.tenantId()).dayLimit());
        if (every.compareTo(SCHEDULE) <= 0) {
            return true;
        }
        boolean due = watermarks.watermark(connection.orgId(), LAST_POLL)
                .map(last -> !now.isBefore(last.plus(every).minus(RUN_SLACK))).orElse(true);
        if (due) {
            watermarks.advance(connection.orgId(), LAST_POLL, now);
        } else {
            LOG.info("poll.notDue", "orgId", connection.orgId(), "tenantId", connection.tenantId(),
                    "everyMinutes", every.toMinutes());
        }
        return due;
    }

    /** How often an organisation with this day limit is polled: the schedule's rate, stretched as its day is smaller. */
    static Duration interval(int dayLimit) {
        return dayLimit >= STANDARD_DAY ? SCHEDULE : SCHEDULE.multipliedBy(STANDARD_DAY).dividedBy(Math.max(1, dayLimit));
    }

    /**
     * Polls one organisation; a list's watermark moves only once its invoices are queued. A list whose
     * scope the connection lacks is left out; the others are polled.
     */
    public void poll(ConnectionRecord connection) {
        String orgId = connection.orgId();
        String tenantId = connection.tenantId();
        XeroTenant tenant = new XeroTenant(orgId, tenantId);
        for (TransactionList list : POLLED) {
            XeroScopes.Need need = XeroScopes.neededFor(list.collection());
            if (need.blockedBy(connection.missingScopes())) {
                LOG.warn("poll.scopeMissing", "orgId", orgId, "tenantId", tenantId, "kind", list.collection(),
                        "missingScopes", connection.missingScopes());
                continue;
            }
            Instant since = watermarks.watermark(orgId, list.collection()).orElse(connection.connectedAt());
            Set<String> invoiceIds = new LinkedHashSet<>();
            Instant newest = null;
            List<TouchedInvoices> changed;
            try {
                changed = xero.changedSince(tenant, Priority.BULK, list, since);
            } catch (ScopeMissing missing) {
                // Xero refused this list only (the connection now says which scope): the other lists go on.
                LOG.warn("poll.scopeMissing", "orgId", orgId, "tenantId", tenantId, "kind", list.collection(),
                        "need", missing.need().name());
                continue;
            }
            for (TouchedInvoices t : changed) {
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
