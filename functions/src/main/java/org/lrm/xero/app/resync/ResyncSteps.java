package org.lrm.xero.app.resync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lrm.xero.app.invoice.ContactChanges;
import org.lrm.xero.app.invoice.InvoiceUpdates;
import org.lrm.xero.app.invoice.PollWatermarks;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.LearnerSyncQueue;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.learner.Logbook;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.OutageBackoff;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.app.xero.ListSelection;
import org.lrm.xero.app.xero.TouchedInvoices;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.app.xero.XeroContact;
import org.lrm.xero.app.xero.XeroContacts;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroPage;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.invoice.XeroInvoice;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * The resync-pages worker's use case: one step of a job per message, all at bulk priority.
 * <ul>
 *   <li>INVOICES page N: Xero's invoice list of the range (or changed since, at night), Xero's
 *   largest pages; a full page queues page N+1 before its invoices are stored, so pages overlap. The page
 *   goes through {@link InvoiceUpdates#apply}, the path every invoice takes (which also queues the
 *   PDFs of changed invoices). When every page is done, the transaction phase is queued.</li>
 *   <li>TRANSACTIONS: payments, credit notes, prepayments and overpayments of the range (or
 *   changed since), each paged; the invoices they touch that no invoice page held are refreshed by
 *   id ({@link InvoiceUpdates#refresh}).</li>
 *   <li>CONTACTS (nightly): archived contacts changed since, to {@link ContactChanges} (merges).</li>
 *   <li>LEARNERS: every learner with Sync to Xero ticked, to the learner-sync queue (forced).</li>
 * </ul>
 * Each step is counted in the job once however often it runs; the step that completes the last
 * phase ends the job: logbook, {@code ResyncCompleted}, the organisation free for the next one.
 */
public final class ResyncSteps implements WorkProcessor {

    /** The transaction lists read per job, in the order they are named in Xero's API. */
    public static final List<TransactionList> COLLECTIONS = TransactionList.PAID_OR_CREDITED;
    /** The nightly run reads from a little before the last run began: clocks differ and Xero commits late. */
    static final Duration NIGHTLY_OVERLAP = Duration.ofHours(1);
    /** The watermark of the nightly run (one per organisation). */
    public static final String NIGHTLY_WATERMARK = "nightly";
    /** Organisation-wide logbook entries go under this pseudo learner. */
    public static final String ORG_LOGBOOK = "_org";

    private static final JsonLog LOG = JsonLog.forClass(ResyncSteps.class);

    private final ResyncJobs jobs;
    private final WorkQueue steps;
    private final XeroLedger ledger;
    private final XeroContacts xeroContacts;
    private final InvoiceUpdates invoices;
    private final ContactChanges contacts;
    private final LearnerStore learners;
    private final LearnerSyncQueue learnerSync;
    private final Logbook logbook;
    private final ResyncEvents events;
    private final PollWatermarks watermarks;
    private final Clock clock;
    private final int maxReceives;
    private final WorkProcessor perMessage = WorkProcessor.perMessage(this::step);

    /** @param maxReceives the queue's maxReceiveCount: a step failing its last receive is dead-lettered */
    public ResyncSteps(ResyncJobs jobs, WorkQueue steps, XeroLedger ledger, XeroContacts xeroContacts, InvoiceUpdates invoices,
            ContactChanges contacts, LearnerStore learners, LearnerSyncQueue learnerSync, Logbook logbook,
            ResyncEvents events, PollWatermarks watermarks, Clock clock, int maxReceives) {
        this.jobs = jobs;
        this.steps = steps;
        this.ledger = ledger;
        this.xeroContacts = xeroContacts;
        this.invoices = invoices;
        this.contacts = contacts;
        this.learners = learners;
        this.learnerSync = learnerSync;
        this.logbook = logbook;
        this.events = events;
        this.watermarks = watermarks;
        this.clock = clock;
        this.maxReceives = maxReceives;
    }

    @Override
    public Map<String, WorkOutcome> process(String orgId, List<Work> work) {
        return perMessage.process(orgId, work);
    }

    private WorkOutcome step(Work work) {
        String orgId = work.message().orgId();
        ResyncStep step;
        try {
            step = ResyncStep.parse(work.message().payload());
        } catch (IllegalArgumentException e) {
            return new WorkOutcome.Fail(e.getMessage());
        }
        Optional<ResyncJob> found = jobs.find(orgId, step.jobId());
        if (found.isEmpty() || found.get().state().finished()) {
            return WorkOutcome.DONE; // ended (failed, or done by a copy of this step): nothing left to do
        }
        ResyncJob job = found.get();
        try {
            Optional<ResyncJob> after = switch (step.type()) {
                case INVOICES -> invoicePage(job, step);
                case TRANSACTIONS -> transactionPage(job, step);
                case CONTACTS -> contactsPage(job, step);
                case LEARNERS -> learners(job, step);
            };
            // Empty: counted before (a copy, or a retry after a crash): what was due after it may not have happened.
            afterStep(after.isPresent() ? after : jobs.find(orgId, job.jobId()));
            return WorkOutcome.DONE;
        } catch (WaitForBudget wait) {
            jobs.waiting(orgId, job.jobId(), clock.instant().plus(wait.duration()), clock.instant());
            throw wait;
        } catch (RuntimeException e) {
            WorkOutcome outcome = WorkOutcome.of(e);
            // The step's message is dead-lettered now: the job ends failed rather than waiting for ever.
            boolean lastChance = outcome instanceof WorkOutcome.Fail
                    || (outcome instanceof WorkOutcome.Retry && work.receiveCount() >= maxReceives)
                    || (outcome instanceof WorkOutcome.XeroFailing
                            && OutageBackoff.standard().givesUp(work.message().xeroFailingSince(), clock.instant()));
            if (lastChance) {
                String reason = "step " + step.key() + " could not be done: " + e.getMessage();
                LOG.error("resync.stepFailed", e, "orgId", orgId, "tenantId", job.tenantId(), "jobId", job.jobId(),
                        "step", step.key());
                jobs.completeStep(orgId, job.jobId(), new ResyncJobs.StepDone(step.key(), 0, 0, 0, 1, false, null, null),
                        clock.instant());
                end(job.orgId(), job.jobId(), false, List.of(reason));
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ the steps

    private Optional<ResyncJob> invoicePage(ResyncJob job, ResyncStep step) {
        XeroPage<XeroInvoice> read = ledger.invoicePage(tenant(job), Priority.BULK, selection(job), step.page());
        List<XeroInvoice> page = read.items();
        boolean full = read.more();
        if (full) {
            // The next page is fetched while this one is stored.
            steps.send(List.of(step.next().message(job.orgId(), job.tenantId())));
            jobs.pageQueued(job.orgId(), job.jobId(), clock.instant());
        }
        jobs.recordPageInvoices(job.orgId(), job.jobId(), step.page(), page.stream().map(XeroInvoice::invoiceId).toList());
        InvoiceUpdates.Applied applied = invoices.apply(tenant(job), page);
        int changed = applied.changed();
        LOG.info("resync.invoicePage", "orgId", job.orgId(), "tenantId", job.tenantId(), "jobId", job.jobId(),
                "page", step.page(), "invoices", page.size(), "changed", changed);
        return jobs.completeStep(job.orgId(), job.jobId(), new ResyncJobs.StepDone(step.key(), changed, changed, 0, 0, true,
                full ? null : step.page(), null, ResyncJob.Checked.invoices(page.size(), applied.compared())), clock.instant());
    }

    private Optional<ResyncJob> transactionPage(ResyncJob job, ResyncStep step) {
        String collection = step.collection();
        XeroPage<TouchedInvoices> read = ledger.transactionPage(tenant(job), Priority.BULK, TransactionList.named(collection),
                selection(job), step.page());
        List<TouchedInvoices> page = read.items();
        boolean full = read.more();
        if (full) {
            steps.send(List.of(step.next().message(job.orgId(), job.tenantId())));
        }
        Set<String> touched = new LinkedHashSet<>();
        page.forEach(t -> touched.addAll(t.invoiceIds()));
        touched.removeAll(jobs.pageInvoices(job.orgId(), job.jobId()));
        InvoiceUpdates.Applied applied = invoices.refresh(tenant(job), Priority.BULK, touched);
        int changed = applied.changed();
        LOG.info("resync.transactionPage", "orgId", job.orgId(), "tenantId", job.tenantId(), "jobId", job.jobId(),
                "collection", collection, "page", step.page(), "elements", page.size(), "invoicesOutsidePages", touched.size(),
                "changed", changed);
        ResyncJob.Checked checked = ResyncJob.Checked.transactions(collection, page.size())
                .plus(ResyncJob.Checked.invoices(touched.size(), applied.compared()));
        Optional<ResyncJob> after = jobs.completeStep(job.orgId(), job.jobId(), new ResyncJobs.StepDone(step.key(), changed,
                changed, 0, 0, false, null, full ? null : collection, checked), clock.instant());
        if (after.isPresent() && after.get().collectionsDone().containsAll(COLLECTIONS.stream().map(TransactionList::collection)
                .toList())) {
            return jobs.completePhase(job.orgId(), job.jobId(), ResyncJob.Phase.INVOICES, clock.instant());
        }
        return after;
    }

    private Optional<ResyncJob> contactsPage(ResyncJob job, ResyncStep step) {
        // Only archived contacts matter here: a merge archives the contact merged away.
        XeroPage<XeroContact> read = xeroContacts.archivedSince(tenant(job), Priority.BULK, nightlySince(job), step.page());
        boolean full = read.more();
        if (full) {
            steps.send(List.of(step.next().message(job.orgId(), job.tenantId())));
        }
        contacts.applyRead(tenant(job), Priority.BULK, read.items());
        Optional<ResyncJob> after = jobs.completeStep(job.orgId(), job.jobId(),
                new ResyncJobs.StepDone(step.key(), 0, 0, 0, 0, false, null, null), clock.instant());
        return after.isPresent() && !full ? jobs.completePhase(job.orgId(), job.jobId(), ResyncJob.Phase.CONTACTS,
                clock.instant()) : after;
    }

    private Optional<ResyncJob> learners(ResyncJob job, ResyncStep step) {
        List<String> ids = learners.learnersToSync(job.orgId());
        if (!ids.isEmpty()) {
            learnerSync.enqueue(job.orgId(), ids, Priority.BULK, true, job.jobId());
        }
        Optional<ResyncJob> after = jobs.completeStep(job.orgId(), job.jobId(),
                new ResyncJobs.StepDone(step.key(), 0, 0, ids.size(), 0, false, null, null,
                        ResyncJob.Checked.learners(ids.size())), clock.instant());
        return after.isPresent() ? jobs.completePhase(job.orgId(), job.jobId(), ResyncJob.Phase.LEARNERS, clock.instant())
                : after;
    }

    // ------------------------------------------------------------------ after a step

    private void afterStep(Optional<ResyncJob> after) {
        if (after.isEmpty() || after.get().state().finished()) {
            return;
        }
        ResyncJob job = after.get();
        if (job.phases().contains(ResyncJob.Phase.INVOICES) && job.invoicePagesDone() && !job.transactionsQueued()) {
            steps.send(COLLECTIONS.stream().map(c -> new ResyncStep(job.jobId(), ResyncStep.Type.TRANSACTIONS, c.collection(), 1)
                    .message(job.orgId(), job.tenantId())).toList());
            jobs.transactionsQueued(job.orgId(), job.jobId(), clock.instant());
        }
        if (job.allPhasesDone()) {
            end(job.orgId(), job.jobId(), true, List.of());
        }
    }

    /**
     * Ends the job: the logbook entry and the event first (both may happen twice if this crashes
     * before the job is marked ended; the LRM keys the event by jobId), then the job marked.
     */
    private void end(String orgId, String jobId, boolean done, List<String> reasons) {
        Optional<ResyncJob> current = jobs.find(orgId, jobId);
        if (current.isEmpty() || current.get().state().finished()) {
            return;
        }
        Instant now = clock.instant();
        ResyncJob job = current.get();
        ResyncJob ended = new ResyncJob(job.orgId(), job.jobId(), job.kind(), job.tenantId(),
                done ? org.lrm.xero.domain.resync.ResyncState.DONE : org.lrm.xero.domain.resync.ResyncState.FAILED,
                job.from(), job.to(), job.since(), job.until(), job.phases(), job.phasesDone(), job.counts(), job.pagesDone(),
                job.pagesQueued(), job.lastPage(), job.collectionsDone(), job.transactionsQueued(), null, reasons,
                job.createdAt(), now, now, job.checked());
        ResyncJob.Counts c = job.counts();
        String what = job.kind() == ResyncJob.Kind.RANGE ? "Re-sync of " + job.from() + " to " + job.to()
                : "Nightly sync since " + job.since();
        String summary = what + (done ? " done: " : " failed (" + String.join("; ", reasons) + "): ") + c.invoices()
                + " invoice records updated of " + job.checked().invoices() + " invoices checked, " + c.learners()
                + " learners queued, " + c.pdfs() + " PDFs queued.";
        logbook.appendOnce(orgId, ORG_LOGBOOK, "resync:" + jobId + ":end",
                new LogEntry(now, done ? "RESYNC_DONE" : "RESYNC_FAILED", summary, Map.of("jobId", jobId)));
        if (job.kind() == ResyncJob.Kind.RANGE) {
            events.completed(ended);
        } else if (done) {
            watermarks.advance(orgId, NIGHTLY_WATERMARK, job.until());
        }
        if (jobs.finish(orgId, jobId, done, reasons, now)) {
            LOG.info("resync.ended", "orgId", orgId, "tenantId", job.tenantId(), "jobId", jobId, "state", ended.state().name(),
                    "invoices", c.invoices(), "learners", c.learners(), "pdfs", c.pdfs(), "failed", c.failed());
        }
    }

    // ------------------------------------------------------------------ Xero's lists

    private static XeroTenant tenant(ResyncJob job) {
        return new XeroTenant(job.orgId(), job.tenantId());
    }

    /** The range's invoices and transactions, or at night those changed since the last run. */
    private static ListSelection selection(ResyncJob job) {
        return job.kind() == ResyncJob.Kind.RANGE ? ListSelection.dated(job.from(), job.to())
                : ListSelection.changedSince(nightlySince(job));
    }

    private static Instant nightlySince(ResyncJob job) {
        return job.since().minus(NIGHTLY_OVERLAP);
    }
}
