package org.lrm.xero.app.resync;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lrm.xero.domain.resync.ResyncState;

/**
 * One re-sync of an organisation, as stored: an admin's date range, or the nightly run since the
 * last one. Its work is split in phases, each a chain of steps on the resync-pages queue; the job
 * is done when every phase is.
 *
 * @param since NIGHTLY: what changed in Xero since then (If-Modified-Since); null for RANGE
 * @param until NIGHTLY: when the run started, the next run's {@code since}
 * @param pagesQueued invoice list pages queued so far (the total once {@code lastPage} is known)
 * @param lastPage the last invoice page (the first short one), once seen
 * @param collectionsDone transaction collections (Payments, CreditNotes, ...) read to their last page
 * @param transactionsQueued whether the transaction phase has been queued (after the last invoice page)
 * @param resumesAt the latest time a step of the job was parked until for Xero's limits (kept when
 *     other steps complete meanwhile: the job cannot end before its parked steps run)
 * @param checked what the job examined, changed or not ({@code counts} are what it changed)
 */
public record ResyncJob(String orgId, String jobId, Kind kind, String tenantId, ResyncState state, LocalDate from,
        LocalDate to, Instant since, Instant until, Set<Phase> phases, Set<Phase> phasesDone, Counts counts, int pagesDone,
        int pagesQueued, Integer lastPage, Set<String> collectionsDone, boolean transactionsQueued, Instant resumesAt,
        List<String> reasons, Instant createdAt, Instant updatedAt, Instant finishedAt, Checked checked) {

    public enum Kind { RANGE, NIGHTLY }

    public enum Phase { CONTACTS, INVOICES, LEARNERS }

    /**
     * @param invoices learners' invoice records brought up to date
     * @param learners learners queued to be pushed to Xero again
     * @param pdfs PDFs queued for the invoices that changed (the PDF worker stores them)
     * @param failed steps that could not be done (dead-lettered)
     */
    public record Counts(long invoices, long learners, long pdfs, long failed) {
        public static final Counts NONE = new Counts(0, 0, 0, 0);
    }

    /**
     * Records examined, whether they changed or not: a re-sync of a range that was already current
     * changes nothing ({@link Counts} all 0) yet says here how much it looked at.
     *
     * @param invoices Xero invoices read (the range's pages, and those its transactions touch outside them)
     * @param payments Xero payments read
     * @param creditNotes Xero credit notes read
     * @param prepayments Xero prepayments read
     * @param overpayments Xero overpayments read
     * @param learners learners with Sync to Xero looked at (when the re-sync includes learners)
     * @param pdfs learners' invoices whose PDF was checked against the version stored (a changed
     *     one's PDF is queued, and counted in {@link Counts#pdfs()})
     */
    public record Checked(long invoices, long payments, long creditNotes, long prepayments, long overpayments,
            long learners, long pdfs) {
        public static final Checked NONE = new Checked(0, 0, 0, 0, 0, 0, 0);

        public static Checked invoices(long invoices, long pdfs) {
            return new Checked(invoices, 0, 0, 0, 0, 0, pdfs);
        }

        public static Checked learners(long learners) {
            return new Checked(0, 0, 0, 0, 0, learners, 0);
        }

        /** The elements of one page of a transaction collection ({@link ResyncSteps#COLLECTIONS}). */
        public static Checked transactions(String collection, long elements) {
            return switch (collection) {
                case "Payments" -> new Checked(0, elements, 0, 0, 0, 0, 0);
                case "CreditNotes" -> new Checked(0, 0, elements, 0, 0, 0, 0);
                case "Prepayments" -> new Checked(0, 0, 0, elements, 0, 0, 0);
                case "Overpayments" -> new Checked(0, 0, 0, 0, elements, 0, 0);
                default -> throw new IllegalArgumentException("unknown collection " + collection);
            };
        }

        public Checked plus(Checked other) {
            return new Checked(invoices + other.invoices, payments + other.payments, creditNotes + other.creditNotes,
                    prepayments + other.prepayments, overpayments + other.overpayments, learners + other.learners,
                    pdfs + other.pdfs);
        }

        /** As the API's job and the {@code ResyncCompleted} event show it. */
        public Map<String, Long> asMap() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("invoices", invoices);
            m.put("payments", payments);
            m.put("creditNotes", creditNotes);
            m.put("prepayments", prepayments);
            m.put("overpayments", overpayments);
            m.put("learners", learners);
            m.put("pdfs", pdfs);
            return m;
        }
    }

    /** A job whose examined records are not known (read before they were counted). */
    public ResyncJob(String orgId, String jobId, Kind kind, String tenantId, ResyncState state, LocalDate from,
            LocalDate to, Instant since, Instant until, Set<Phase> phases, Set<Phase> phasesDone, Counts counts, int pagesDone,
            int pagesQueued, Integer lastPage, Set<String> collectionsDone, boolean transactionsQueued, Instant resumesAt,
            List<String> reasons, Instant createdAt, Instant updatedAt, Instant finishedAt) {
        this(orgId, jobId, kind, tenantId, state, from, to, since, until, phases, phasesDone, counts, pagesDone, pagesQueued,
                lastPage, collectionsDone, transactionsQueued, resumesAt, reasons, createdAt, updatedAt, finishedAt,
                Checked.NONE);
    }

    public ResyncJob {
        phases = phases.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(phases));
        phasesDone = phasesDone == null || phasesDone.isEmpty() ? Set.of() : Set.copyOf(phasesDone);
        collectionsDone = collectionsDone == null ? Set.of() : Set.copyOf(collectionsDone);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        counts = counts == null ? Counts.NONE : counts;
        checked = checked == null ? Checked.NONE : checked;
    }

    /** A new job, queued. */
    public static ResyncJob queued(String orgId, String jobId, Kind kind, String tenantId, LocalDate from, LocalDate to,
            Instant since, Instant until, Set<Phase> phases, Instant now) {
        return new ResyncJob(orgId, jobId, kind, tenantId, ResyncState.QUEUED, from, to, since, until, phases, Set.of(),
                Counts.NONE, 0, phases.contains(Phase.INVOICES) ? 1 : 0, null, Set.of(), false, null, List.of(), now, now, null);
    }

    /**
     * The state to show at {@code now}: waiting for Xero's limit while any step is parked, running
     * once the parked steps may run again.
     */
    public ResyncState stateAt(Instant now) {
        if (state.finished()) {
            return state;
        }
        if (resumesAt != null && resumesAt.isAfter(now)) {
            return ResyncState.WAITING_FOR_XERO_LIMIT;
        }
        return state == ResyncState.WAITING_FOR_XERO_LIMIT ? ResyncState.RUNNING : state;
    }

    /** When the parked steps may run again, if that is still to come at {@code now}. */
    public Instant resumesAfter(Instant now) {
        return stateAt(now) == ResyncState.WAITING_FOR_XERO_LIMIT ? resumesAt : null;
    }

    public boolean allPhasesDone() {
        return phasesDone.containsAll(phases);
    }

    /** Every invoice page is done: the transactions of the range can be read against the pages' invoices. */
    public boolean invoicePagesDone() {
        return lastPage != null && pagesDone >= lastPage;
    }

    /**
     * Xero calls still to make, as far as known: the invoice pages left (at least one while the last
     * is unknown), a list call per transaction collection not read to its end, one for contacts.
     */
    public int callsLeft() {
        int calls = 0;
        if (phases.contains(Phase.INVOICES) && !phasesDone.contains(Phase.INVOICES)) {
            calls += lastPage != null ? Math.max(0, lastPage - pagesDone) : Math.max(1, pagesQueued + 1 - pagesDone);
            calls += Math.max(0, ResyncSteps.COLLECTIONS.size() - collectionsDone.size());
        }
        if (phases.contains(Phase.CONTACTS) && !phasesDone.contains(Phase.CONTACTS)) {
            calls += 1;
        }
        return calls;
    }
}
