package org.lrm.xero.app.resync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.domain.resync.ResyncRange;
import org.lrm.xero.support.JsonLog;

/**
 * Starts a re-sync: the organisation's one running job is recorded, then the first step of each
 * phase is queued on the resync-pages queue (no Xero call here). A job not finished within a day
 * no longer blocks the next one: its worker died or its messages were lost.
 */
public final class StartResync {

    static final Duration ACTIVE_FOR = Duration.ofHours(24);

    private static final JsonLog LOG = JsonLog.forClass(StartResync.class);

    /** Another re-sync of the organisation runs. */
    public static final class AlreadyRunning extends RuntimeException {
        private final String runningJobId;

        public AlreadyRunning(String runningJobId) {
            super("a re-sync is already running: " + runningJobId, null, false, false);
            this.runningJobId = runningJobId;
        }

        public String runningJobId() {
            return runningJobId;
        }
    }

    /** The organisation is not connected to Xero. */
    public static final class NotConnected extends RuntimeException {
        public NotConnected(String orgId) {
            super("organisation " + orgId + " is not connected to Xero", null, false, false);
        }
    }

    private final ConnectionStore connections;
    private final ResyncJobs jobs;
    private final WorkQueue steps;
    private final Clock clock;

    public StartResync(ConnectionStore connections, ResyncJobs jobs, WorkQueue steps, Clock clock) {
        this.connections = connections;
        this.jobs = jobs;
        this.steps = steps;
        this.clock = clock;
    }

    /**
     * An admin's re-sync of a date range.
     *
     * @return the job id
     * @throws NotConnected when the organisation is not connected
     * @throws AlreadyRunning when a re-sync of the organisation runs
     */
    public String range(String orgId, ResyncRange range, boolean invoices, boolean learners) {
        ConnectionRecord connection = connections.usable(orgId)
                .orElseThrow(() -> new NotConnected(orgId));
        Set<ResyncJob.Phase> phases = EnumSet.noneOf(ResyncJob.Phase.class);
        if (invoices) {
            phases.add(ResyncJob.Phase.INVOICES);
        }
        if (learners) {
            phases.add(ResyncJob.Phase.LEARNERS);
        }
        Instant now = clock.instant();
        ResyncJob job = ResyncJob.queued(orgId, "resync-" + UUID.randomUUID(), ResyncJob.Kind.RANGE, connection.tenantId(),
                range.from(), range.to(), null, null, phases, now);
        jobs.start(job, now.plus(ACTIVE_FOR), now).ifPresent(running -> {
            throw new AlreadyRunning(running);
        });
        queueFirstSteps(job);
        return job.jobId();
    }

    /**
     * The nightly run of one organisation: contacts and invoices changed since {@code since}.
     *
     * @return the job id, empty when another re-sync of the organisation runs (it covers the night)
     */
    public Optional<String> nightly(ConnectionRecord connection, Instant since) {
        Instant now = clock.instant();
        ResyncJob job = ResyncJob.queued(connection.orgId(), "nightly-" + UUID.randomUUID(), ResyncJob.Kind.NIGHTLY,
                connection.tenantId(), null, null, since, now, EnumSet.of(ResyncJob.Phase.CONTACTS, ResyncJob.Phase.INVOICES),
                now);
        Optional<String> running = jobs.start(job, now.plus(ACTIVE_FOR), now);
        if (running.isPresent()) {
            LOG.info("nightly.skipped", "orgId", connection.orgId(), "tenantId", connection.tenantId(),
                    "runningJobId", running.get());
            return Optional.empty();
        }
        queueFirstSteps(job);
        return Optional.of(job.jobId());
    }

    private void queueFirstSteps(ResyncJob job) {
        try {
            steps.send(job.phases().stream().map(p -> ResyncStep.first(job.jobId(), p).message(job.orgId(), job.tenantId()))
                    .toList());
        } catch (RuntimeException e) {
            // Nothing queued: the job cannot run, and must not keep the organisation from the next one.
            jobs.finish(job.orgId(), job.jobId(), false, List.of("could not queue the re-sync: " + e.getMessage()),
                    clock.instant());
            throw e;
        }
        LOG.info("resync.started", "orgId", job.orgId(), "tenantId", job.tenantId(), "jobId", job.jobId(),
                "kind", job.kind().name(), "phases", job.phases().toString());
    }
}
