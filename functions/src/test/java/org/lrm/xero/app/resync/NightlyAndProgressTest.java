package org.lrm.xero.app.resync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.connection.RefreshIdleToken;
import org.lrm.xero.app.connection.StoredTokens;
import org.lrm.xero.app.connection.XeroTokens;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroIdentity;
import org.lrm.xero.app.fakes.FixedAppCredentials;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryPollWatermarks;
import org.lrm.xero.app.fakes.InMemoryRateBudget;
import org.lrm.xero.app.fakes.InMemoryResyncJobs;
import org.lrm.xero.app.fakes.InMemoryTokenVault;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.resync.ResyncRange;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.domain.resync.ResyncState;
import org.lrm.xero.domain.connection.XeroScopes;

/** The nightly schedule and how a running re-sync reads: its state and ETA from the calls left and the budget. */
class NightlyAndProgressTest {

    private final FakeClock clock = FakeClock.at("2027-03-01T02:00:00Z");
    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final InMemoryTokenVault vault = new InMemoryTokenVault();
    private final FakeXeroIdentity identity = new FakeXeroIdentity(clock);
    private final XeroTokens tokens = new XeroTokens(connections, vault, identity, FixedAppCredentials.of("client", "key"), XeroScopes.GRANULAR,
            clock, attempt -> { });
    private final InMemoryResyncJobs jobs = new InMemoryResyncJobs();
    private final RecordingWorkQueue stepQueue = new RecordingWorkQueue();
    private final InMemoryPollWatermarks watermarks = new InMemoryPollWatermarks();
    private final StartResync start = new StartResync(connections, jobs, stepQueue, clock);
    private final RecordingWorkQueue scheduledWork = new RecordingWorkQueue();
    private final NightlySync nightly = new NightlySync(connections, tokens, start, watermarks, scheduledWork, clock);
    private final InMemoryRateBudget budget = new InMemoryRateBudget();
    private final ResyncProgress progress = new ResyncProgress(jobs, budget, RateLimits.xero(20), clock);

    private void connected(String orgId, Instant lastRefresh) {
        connections.connect(orgId, "tenant-" + orgId, Instant.parse("2027-01-01T00:00:00Z"));
        connections.recordTokenRefresh(orgId, vault.write(orgId, new StoredTokens("a", "r-" + orgId,
                clock.instant().plus(Duration.ofMinutes(20)), null, null)), lastRefresh);
    }

    @Test
    void eachConnectedOrganisationGetsANightlyJobFromItsLastRunOrItsConnect() {
        connected("org-1", clock.instant());
        connected("org-2", clock.instant());
        connected("org-3", clock.instant());
        connections.markNeedsReconnect("org-3", "refused", clock.instant());
        watermarks.advance("org-2", ResyncSteps.NIGHTLY_WATERMARK, Instant.parse("2027-02-28T02:00:00Z"));

        assertThat(nightly.run()).isEqualTo(2);

        assertThat(jobs.of("org-1")).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo(ResyncJob.Kind.NIGHTLY);
            assertThat(j.since()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
            assertThat(j.phases()).containsExactlyInAnyOrder(ResyncJob.Phase.CONTACTS, ResyncJob.Phase.INVOICES);
        });
        assertThat(jobs.of("org-2")).singleElement().satisfies(j -> assertThat(j.since())
                .isEqualTo(Instant.parse("2027-02-28T02:00:00Z")));
        assertThat(jobs.of("org-3")).isEmpty();
        assertThat(stepQueue.sent()).extracting(WorkMessage::orgId).containsOnly("org-1", "org-2").hasSize(4);
    }

    @Test
    void idleConnectionsAreRefreshedSoTheirRefreshTokenNeverExpires() {
        connected("org-1", clock.instant().minus(Duration.ofDays(40)));
        connected("org-2", clock.instant().minus(Duration.ofDays(1)));

        nightly.run();
        RefreshIdleToken refresh = new RefreshIdleToken(tokens, clock);

        // The run only queues each idle connection's refresh; the scheduled-work worker refreshes, one by one.
        assertThat(identity.refreshTokensUsed()).isEmpty();
        List<WorkMessage> queued = scheduledWork.drain();
        assertThat(queued).extracting(WorkMessage::kind, WorkMessage::orgId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RefreshIdleToken.KIND, "org-1"));
        assertThat(refresh.refreshQueued(new Work("m-1", queued.get(0), 1))).isEqualTo(WorkOutcome.DONE);
        assertThat(identity.refreshTokensUsed()).containsExactly("r-org-1");
        assertThat(vault.read("org-1").orElseThrow().tokens().refreshToken()).isEqualTo("refresh-1");

        // Delivered again (SQS delivers at least once): refreshed since, so not again.
        refresh.refreshQueued(new Work("m-1", queued.get(0), 2));
        assertThat(identity.refreshTokensUsed()).hasSize(1);
    }

    @Test
    void aRunningJobShowsItsStateAndAnEtaFromItsCallsLeft() {
        connected("org-1", clock.instant());
        String jobId = start.range("org-1", new ResyncRange(LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 31)), true, false);
        budget.snapshot(new RateBudget.Snapshot(60, 5000, null, 5000));

        ResyncProgress.View view = progress.view("org-1", jobId).orElseThrow();

        assertThat(view.state()).isEqualTo(ResyncState.QUEUED);
        // The queued first page and one more while the last is unknown, and one call per transaction list.
        assertThat(view.job().callsLeft()).isEqualTo(2 + 4);
        // All six fit in this minute's budget: only our own work per call (10 s) is left.
        assertThat(view.eta()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(view.resumesAt()).isNull();

        jobs.waiting("org-1", jobId, clock.instant().plus(Duration.ofHours(3)), clock.instant());
        ResyncProgress.View waiting = progress.view("org-1", jobId).orElseThrow();
        assertThat(waiting.state()).isEqualTo(ResyncState.WAITING_FOR_XERO_LIMIT);
        assertThat(waiting.resumesAt()).isEqualTo(clock.instant().plus(Duration.ofHours(3)));
        assertThat(waiting.eta()).isEqualTo(waiting.resumesAt().plusSeconds(60));

        jobs.finish("org-1", jobId, true, List.of(), clock.instant());
        assertThat(progress.view("org-1", jobId).orElseThrow().eta()).isEqualTo(clock.instant());
        assertThat(progress.view("org-1", "resync-unknown")).isEmpty();
        assertThat(progress.view("org-1", jobId).orElseThrow().state()).isEqualTo(ResyncState.DONE);
    }
}
