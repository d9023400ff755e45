package org.lrm.xero.app.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.lrm.xero.app.resync.ResyncHistory;
import org.lrm.xero.app.resync.ResyncJob;
import org.lrm.xero.app.resync.ResyncJobs;
import org.lrm.xero.domain.resync.ResyncState;

/**
 * {@link ResyncJobs} and {@link ResyncHistory} in memory, with DynamoResyncJobs' conditions: one running job per organisation
 * (until its time is up), each step counted once, nothing changed on a finished job.
 */
public final class InMemoryResyncJobs implements ResyncJobs, ResyncHistory {

    private record Active(String jobId, Instant until) {
    }

    private final Map<String, ResyncJob> jobs = new HashMap<>();
    private final Map<String, Set<String>> stepsDone = new HashMap<>();
    private final Map<String, TreeMap<Integer, List<String>>> pages = new HashMap<>();
    private final Map<String, Active> active = new HashMap<>();

    @Override
    public Optional<String> start(ResyncJob job, Instant activeUntil, Instant now) {
        Active running = active.get(job.orgId());
        if (running != null && !running.until().isBefore(now)) {
            return Optional.of(running.jobId());
        }
        active.put(job.orgId(), new Active(job.jobId(), activeUntil));
        jobs.put(key(job.orgId(), job.jobId()), job);
        return Optional.empty();
    }

    @Override
    public Optional<ResyncJob> find(String orgId, String jobId) {
        return Optional.ofNullable(jobs.get(key(orgId, jobId)));
    }

    @Override
    public void recordPageInvoices(String orgId, String jobId, int page, Collection<String> invoiceIds) {
        pages.computeIfAbsent(key(orgId, jobId), k -> new TreeMap<>()).put(page, List.copyOf(invoiceIds));
    }

    @Override
    public Set<String> pageInvoices(String orgId, String jobId) {
        Set<String> ids = new LinkedHashSet<>();
        pages.getOrDefault(key(orgId, jobId), new TreeMap<>()).values().forEach(ids::addAll);
        return ids;
    }

    @Override
    public void pageQueued(String orgId, String jobId, Instant now) {
        find(orgId, jobId).ifPresent(j -> put(with(j, j.state(), j.phasesDone(), j.counts(), j.pagesDone(), j.pagesQueued() + 1,
                j.lastPage(), j.collectionsDone(), j.transactionsQueued(), j.resumesAt(), j.reasons(), now, j.finishedAt())));
    }

    @Override
    public Optional<ResyncJob> completeStep(String orgId, String jobId, StepDone done, Instant now) {
        Optional<ResyncJob> job = unfinished(orgId, jobId);
        Set<String> steps = stepsDone.computeIfAbsent(key(orgId, jobId), k -> new HashSet<>());
        if (job.isEmpty() || steps.contains(done.stepKey())) {
            return Optional.empty();
        }
        steps.add(done.stepKey());
        ResyncJob j = job.get();
        ResyncJob.Counts c = j.counts();
        Set<String> collections = new HashSet<>(j.collectionsDone());
        if (done.collectionDone() != null) {
            collections.add(done.collectionDone());
        }
        return Optional.of(put(with(j, ResyncState.RUNNING, j.phasesDone(),
                new ResyncJob.Counts(c.invoices() + done.invoices(), c.learners() + done.learners(), c.pdfs() + done.pdfs(),
                        c.failed() + done.failed()),
                j.pagesDone() + (done.invoicePage() ? 1 : 0), j.pagesQueued(),
                done.lastPage() != null ? done.lastPage() : j.lastPage(), collections, j.transactionsQueued(), j.resumesAt(),
                j.reasons(), now, j.finishedAt())));
    }

    @Override
    public Optional<ResyncJob> completePhase(String orgId, String jobId, ResyncJob.Phase phase, Instant now) {
        return unfinished(orgId, jobId).map(j -> {
            Set<ResyncJob.Phase> done = EnumSet.noneOf(ResyncJob.Phase.class);
            done.addAll(j.phasesDone());
            done.add(phase);
            return put(with(j, j.state(), done, j.counts(), j.pagesDone(), j.pagesQueued(), j.lastPage(), j.collectionsDone(),
                    j.transactionsQueued(), j.resumesAt(), j.reasons(), now, j.finishedAt()));
        });
    }

    @Override
    public void transactionsQueued(String orgId, String jobId, Instant now) {
        find(orgId, jobId).ifPresent(j -> put(with(j, j.state(), j.phasesDone(), j.counts(), j.pagesDone(), j.pagesQueued(),
                j.lastPage(), j.collectionsDone(), true, j.resumesAt(), j.reasons(), now, j.finishedAt())));
    }

    @Override
    public void waiting(String orgId, String jobId, Instant resumesAt, Instant now) {
        unfinished(orgId, jobId).filter(j -> j.resumesAt() == null || j.resumesAt().isBefore(resumesAt))
                .ifPresent(j -> put(with(j, ResyncState.WAITING_FOR_XERO_LIMIT, j.phasesDone(), j.counts(), j.pagesDone(),
                        j.pagesQueued(), j.lastPage(), j.collectionsDone(), j.transactionsQueued(), resumesAt, j.reasons(), now,
                        j.finishedAt())));
    }

    @Override
    public boolean finish(String orgId, String jobId, boolean done, List<String> reasons, Instant now) {
        Optional<ResyncJob> job = unfinished(orgId, jobId);
        if (job.isEmpty()) {
            return false;
        }
        ResyncJob j = job.get();
        put(with(j, done ? ResyncState.DONE : ResyncState.FAILED, j.phasesDone(), j.counts(), j.pagesDone(), j.pagesQueued(),
                j.lastPage(), j.collectionsDone(), j.transactionsQueued(), null, reasons, now, now));
        Active running = active.get(orgId);
        if (running != null && running.jobId().equals(jobId)) {
            active.remove(orgId);
        }
        return true;
    }

    @Override
    public List<ResyncJob> recent(String orgId, int limit) {
        return of(orgId).stream().sorted(java.util.Comparator.comparing(ResyncJob::createdAt).reversed()).limit(limit).toList();
    }

    /** Every job of the organisation. */
    public List<ResyncJob> of(String orgId) {
        return new ArrayList<>(jobs.values().stream().filter(j -> j.orgId().equals(orgId)).toList());
    }

    private Optional<ResyncJob> unfinished(String orgId, String jobId) {
        return find(orgId, jobId).filter(j -> !j.state().finished());
    }

    private ResyncJob put(ResyncJob job) {
        jobs.put(key(job.orgId(), job.jobId()), job);
        return job;
    }

    private static ResyncJob with(ResyncJob j, ResyncState state, Set<ResyncJob.Phase> phasesDone, ResyncJob.Counts counts,
            int pagesDone, int pagesQueued, Integer lastPage, Set<String> collectionsDone, boolean transactionsQueued,
            Instant resumesAt, List<String> reasons, Instant updatedAt, Instant finishedAt) {
        return new ResyncJob(j.orgId(), j.jobId(), j.kind(), j.tenantId(), state, j.from(), j.to(), j.since(), j.until(),
                j.phases(), phasesDone, counts, pagesDone, pagesQueued, lastPage, collectionsDone, transactionsQueued, resumesAt,
                reasons, j.createdAt(), updatedAt, finishedAt);
    }

    private static String key(String orgId, String jobId) {
        return orgId + "/" + jobId;
    }
}
