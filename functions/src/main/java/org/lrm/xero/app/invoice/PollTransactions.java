package org.lrm.xero.app.invoice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.app.work.OutageBackoff;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.app.xero.TouchedInvoices;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.invoice.PollCadence;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * One organisation's transaction poll, as the scheduled-work worker runs it for a {@code poll} message
 * ({@link SchedulePolls} queues them). Xero sends webhooks for invoices and credit notes (categories
 * INVOICE and CREDITNOTE; a payment or allocation also raises an INVOICE update), but none for payments,
 * prepayments and overpayments themselves, and deliveries can be lost: so those three lists, changed
 * since a stored watermark ({@code If-Modified-Since}), are read at bulk priority. The invoices they
 * touch join the invoice stream as {@code invoice-ids} messages, and only then does the watermark move
 * on, to the newest UpdatedDateUTC seen (Xero's clock, not ours). What webhooks bring is not polled: the
 * nightly run reads what a lost delivery missed.
 *
 * <p>After each poll the organisation's {@link PollPlan} says when the next is due ({@link PollCadence}):
 * soon while finance is at work, up to 50 minutes when nothing happens.
 */
public final class PollTransactions {

    /** The work message kind of one organisation's poll. */
    public static final String POLL_KIND = "poll";
    /** What is polled, in this order: the lists no webhook brings. Each keeps its own watermark, named as Xero names the list. */
    public static final List<TransactionList> POLLED = List.of(TransactionList.PAYMENTS, TransactionList.PREPAYMENTS,
            TransactionList.OVERPAYMENTS);
    /** Invoice ids per {@code invoice-ids} message: about what the invoice worker fetches in one Xero call. */
    static final int INVOICES_PER_MESSAGE = 50;
    /** How long past a budget wait a poll stays held, so the schedule queues no second one meanwhile. */
    static final Duration HOLD_SLACK = Duration.ofMinutes(5);
    /** The longest a poll Xero failed waits before its next try (the workers' back-off). */
    static final Duration OUTAGE_WAIT_AT_MOST = OutageBackoff.standard().longest();

    private static final JsonLog LOG = JsonLog.forClass(PollTransactions.class);

    private final ConnectionStore connections;
    private final XeroLedger xero;
    private final PollWatermarks watermarks;
    private final PollPlans plans;
    private final WorkQueue invoiceEvents;
    private final RateBudget budget;
    private final Clock clock;

    public PollTransactions(ConnectionStore connections, XeroLedger xero, PollWatermarks watermarks, PollPlans plans,
            WorkQueue invoiceEvents, RateBudget budget, Clock clock) {
        this.connections = connections;
        this.xero = xero;
        this.watermarks = watermarks;
        this.plans = plans;
        this.invoiceEvents = invoiceEvents;
        this.budget = budget;
        this.clock = clock;
    }

    /**
     * A queued poll: the organisation's lists polled, then its next poll planned. An organisation no longer
     * usable (disconnected since the schedule queued it) is left alone: the schedule queues only usable ones.
     */
    public WorkOutcome pollQueued(Work work) {
        String orgId = work.message().orgId();
        Optional<ConnectionRecord> connection = connections.usable(orgId);
        if (connection.isEmpty()) {
            LOG.info("poll.skipped", "orgId", orgId, "reason", "not connected");
            return WorkOutcome.DONE;
        }
        int found;
        try {
            found = poll(connection.get(), POLLED);
        } catch (RuntimeException e) {
            holdWhileItWaits(orgId, WorkOutcome.of(e));
            throw e;
        }
        planNext(connection.get(), found);
        return WorkOutcome.DONE;
    }

    /**
     * A poll that waits (for Xero's budget, or backing off while Xero fails) stays queued past the schedule's
     * claim: it holds its organisation for as long as it may wait, so the schedule queues no second poll
     * meanwhile (during a three-hour outage, one every claim would pile up, each backing off on its own).
     */
    private void holdWhileItWaits(String orgId, WorkOutcome outcome) {
        Duration wait = null;
        if (outcome instanceof WorkOutcome.Defer defer) {
            wait = defer.waitFor();
        } else if (outcome instanceof WorkOutcome.XeroFailing) {
            wait = OUTAGE_WAIT_AT_MOST;
        }
        if (wait != null) {
            plans.hold(orgId, clock.instant().plus(wait).plus(HOLD_SLACK));
        }
    }

    private void planNext(ConnectionRecord connection, int found) {
        String orgId = connection.orgId();
        Instant now = clock.instant();
        PollPlan before = plans.find(List.of(orgId)).get(orgId);
        int emptyPolls = found > 0 ? 0 : (before == null ? 0 : before.emptyPolls()) + 1;
        Instant lastActivity = found > 0 ? now : before == null ? null : before.lastActivityAt();
        Duration wait = PollCadence.after(emptyPolls, budget.snapshot(connection.tenantId()).dayLimit());
        plans.save(new PollPlan(orgId, now.plus(wait), null, emptyPolls, lastActivity, now));
        LOG.info("poll.planned", "orgId", orgId, "tenantId", connection.tenantId(), "found", found,
                "emptyPolls", emptyPolls, "nextInMinutes", wait.toMinutes());
    }

    /** {@link #poll(ConnectionRecord, List)} of the lists no webhook brings. */
    public int poll(ConnectionRecord connection) {
        return poll(connection, POLLED);
    }

    /**
     * Polls these lists of one organisation; a list's watermark moves only once its invoices are queued. A
     * list whose scope the connection lacks is left out; the others are polled. Only what changed after a
     * list's watermark is handed on (If-Modified-Since has Xero's whole seconds, so it also answers with the
     * watermark's own record again).
     *
     * @return the records that changed since the watermarks: 0 when finance changed nothing polled
     */
    public int poll(ConnectionRecord connection, List<TransactionList> lists) {
        String orgId = connection.orgId();
        String tenantId = connection.tenantId();
        XeroTenant tenant = new XeroTenant(orgId, tenantId);
        int found = 0;
        for (TransactionList list : lists) {
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
                if (t.updatedAt() != null && since != null && !t.updatedAt().isAfter(since)) {
                    continue; // handed on by an earlier poll
                }
                found++;
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
        return found;
    }
}
