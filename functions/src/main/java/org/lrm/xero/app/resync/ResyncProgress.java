package org.lrm.xero.app.resync;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.resync.ResyncEta;
import org.lrm.xero.domain.resync.ResyncState;

/** How far a re-sync is and when it should end, from its calls left and the organisation's Xero budget now. */
public final class ResyncProgress {

    /**
     * The job as it stands now: its state, when its parked steps resume (null unless waiting for
     * Xero's limit) and its estimated end (its end, once ended).
     */
    public record View(ResyncJob job, ResyncState state, Instant resumesAt, Instant eta) {
    }

    private final ResyncJobs jobs;
    private final RateBudget budget;
    private final RateLimits limits;
    private final Clock clock;

    public ResyncProgress(ResyncJobs jobs, RateBudget budget, RateLimits limits, Clock clock) {
        this.jobs = jobs;
        this.budget = budget;
        this.limits = limits;
        this.clock = clock;
    }

    public Optional<View> view(String orgId, String jobId) {
        return jobs.find(orgId, jobId).map(this::view);
    }

    /** A job already read, as it stands now. */
    public View view(ResyncJob job) {
        Instant at = clock.instant();
        if (job.state().finished()) {
            return new View(job, job.state(), null, job.finishedAt());
        }
        RateBudget.Snapshot now = budget.snapshot(job.tenantId());
        Instant resumesAt = later(now.resumesAt(), job.resumesAt());
        return new View(job, job.stateAt(at), job.resumesAfter(at), ResyncEta.estimate(job.callsLeft(),
                now.minuteRemaining(), now.dayRemaining(), resumesAt, at, limits.perMinute()));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
