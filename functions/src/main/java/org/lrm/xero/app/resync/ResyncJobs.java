package org.lrm.xero.app.resync;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Re-sync jobs, at most one running per organisation, and their progress. */
public interface ResyncJobs {

    /**
     * Stores the job as the organisation's running one unless another runs (a running job not
     * finished by {@code activeUntil}'s time is taken to have died).
     *
     * @return empty when started, else the running job's id
     */
    Optional<String> start(ResyncJob job, Instant activeUntil, Instant now);

    Optional<ResyncJob> find(String orgId, String jobId);

    /** The invoices one page of the job's invoice list held (Xero ids). */
    void recordPageInvoices(String orgId, String jobId, int page, Collection<String> invoiceIds);

    /** Every invoice the job's invoice pages held so far. */
    Set<String> pageInvoices(String orgId, String jobId);

    /** One more invoice page was queued. */
    void pageQueued(String orgId, String jobId, Instant now);

    /**
     * Counts a step once: its counts added, the job RUNNING again.
     *
     * @return the job after it, empty when the step was counted before or the job has finished
     */
    Optional<ResyncJob> completeStep(String orgId, String jobId, StepDone done, Instant now);

    /** @return the job after it, empty when the job has finished */
    Optional<ResyncJob> completePhase(String orgId, String jobId, ResyncJob.Phase phase, Instant now);

    void transactionsQueued(String orgId, String jobId, Instant now);

    /** The job waits for the organisation's Xero budget until {@code resumesAt}. */
    void waiting(String orgId, String jobId, Instant resumesAt, Instant now);

    /**
     * Ends the job DONE or FAILED and frees the organisation for the next one.
     *
     * @return true when this call ended it (false: it had ended already)
     */
    boolean finish(String orgId, String jobId, boolean done, List<String> reasons, Instant now);

    /**
     * What one step did.
     *
     * @param stepKey the step's identity within the job: a step is counted once however often it runs
     * @param invoicePage true for an invoice list page
     * @param lastPage this invoice page was the last (short) one
     * @param collectionDone this transaction page was its collection's last
     * @param checked the records the step examined, changed or not
     */
    record StepDone(String stepKey, long invoices, long pdfs, long learners, long failed, boolean invoicePage,
            Integer lastPage, String collectionDone, ResyncJob.Checked checked) {

        public StepDone {
            checked = checked == null ? ResyncJob.Checked.NONE : checked;
        }

        /** A step that examined nothing worth counting. */
        public StepDone(String stepKey, long invoices, long pdfs, long learners, long failed, boolean invoicePage,
                Integer lastPage, String collectionDone) {
            this(stepKey, invoices, pdfs, learners, failed, invoicePage, lastPage, collectionDone, ResyncJob.Checked.NONE);
        }
    }
}
