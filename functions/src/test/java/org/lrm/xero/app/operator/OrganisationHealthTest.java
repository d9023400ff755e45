package org.lrm.xero.app.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.lrm.xero.app.fakes.CapturedLogs;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryRateBudget;
import org.lrm.xero.app.fakes.InMemoryResyncJobs;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.fakes.TestData;
import org.lrm.xero.app.learner.LearnerDirectory;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.resync.RecentResyncs;
import org.lrm.xero.app.resync.ResyncProgress;
import org.lrm.xero.app.resync.StartResync;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.resync.ResyncRange;
import org.lrm.xero.domain.resync.ResyncState;

/** Operators' view across organisations: each one's connection, failed learners and latest re-sync, a page at a time. */
@ResourceLock(CapturedLogs.LOCK)
class OrganisationHealthTest {

    private final FakeClock clock = FakeClock.at("2027-03-01T02:00:00Z");
    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final InMemoryLearnerStore learners = new InMemoryLearnerStore();
    private final InMemoryResyncJobs jobs = new InMemoryResyncJobs();
    private final StartResync start = new StartResync(connections, jobs, new RecordingWorkQueue(), clock);
    private final RecentResyncs recent = new RecentResyncs(jobs,
            new ResyncProgress(jobs, new InMemoryRateBudget(), RateLimits.xero(20), clock));
    private final OrganisationHealth health = new OrganisationHealth(connections, learners, recent);
    private CapturedLogs logs;

    @BeforeEach
    void captureLogs() {
        logs = CapturedLogs.start();
    }

    @AfterEach
    void restoreLogs() {
        logs.stop();
    }

    @Test
    void eachOrganisationShowsItsConnectionItsFailedLearnersAndItsLatestResync() {
        connections.connect("org-a", "tenant-a", Instant.parse("2027-01-01T00:00:00Z"));
        connections.recordBudget("org-a", 41, 4_200, clock.instant());
        connections.connect("org-b", "tenant-b", Instant.parse("2027-01-02T00:00:00Z"));
        connections.markNeedsReconnect("org-b", "Xero refused the refresh token: reconnect", clock.instant());
        learner("org-a", "L-1", SyncState.FAILED, "Xero: The contact name is already used");
        learner("org-a", "L-2", SyncState.SYNCED, null);
        learner("org-a", "L-3", SyncState.FAILED, "Xero: Email address must be valid");
        learner("org-b", "L-1", SyncState.SYNCED, null);
        String older = start.range("org-a", new ResyncRange(LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 31)), true, false);
        jobs.finish("org-a", older, true, List.of(), clock.instant());
        clock.advance(java.time.Duration.ofMinutes(5));
        String latest = start.range("org-a", new ResyncRange(LocalDate.of(2027, 2, 1), LocalDate.of(2027, 2, 28)), true, false);

        OrganisationHealth.Page page = health.page("support-1", null, 10);

        assertThat(page.more()).isFalse();
        assertThat(page.organisations()).extracting(o -> o.connection().orgId()).containsExactly("org-a", "org-b");
        OrganisationHealth.Organisation a = page.organisations().get(0);
        assertThat(a.connection().status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(a.connection().minuteRemaining()).isEqualTo(41);
        assertThat(a.failedLearners()).isEqualTo(2);
        assertThat(a.latestResync().job().jobId()).isEqualTo(latest).isNotEqualTo(older);
        assertThat(a.latestResync().state()).isEqualTo(ResyncState.QUEUED);
        OrganisationHealth.Organisation b = page.organisations().get(1);
        assertThat(b.connection().status()).isEqualTo(ConnectionStatus.NEEDS_RECONNECT);
        assertThat(b.connection().lastError()).contains("reconnect");
        assertThat(b.failedLearners()).isZero();
        assertThat(b.latestResync()).isNull();
        assertThat(logs.of("operator.organisationsRead"))
                .singleElement().asString().contains("\"operator\":\"support-1\"", "\"organisations\":2");
    }

    @Test
    void organisationsComeAPageAtATimeInIdOrder() {
        for (String org : List.of("org-c", "org-a", "org-e", "org-b", "org-d")) {
            connections.connect(org, "tenant-" + org, clock.instant());
        }

        OrganisationHealth.Page first = health.page("support-1", null, 2);
        OrganisationHealth.Page second = health.page("support-1", "org-b", 2);
        OrganisationHealth.Page last = health.page("support-1", "org-d", 2);

        assertThat(first.organisations()).extracting(o -> o.connection().orgId()).containsExactly("org-a", "org-b");
        assertThat(first.more()).isTrue();
        assertThat(second.organisations()).extracting(o -> o.connection().orgId()).containsExactly("org-c", "org-d");
        assertThat(second.more()).isTrue();
        assertThat(last.organisations()).extracting(o -> o.connection().orgId()).containsExactly("org-e");
        assertThat(last.more()).isFalse();
        assertThatThrownBy(() -> health.page("support-1", null, OrganisationHealth.MAX_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOrganisationsFailedLearnersComeWithXerosWordsAndTheOperatorIsLogged() {
        connections.connect("org-a", "tenant-a", clock.instant());
        learner("org-a", "L-1", SyncState.FAILED, "Xero: The contact name is already used");
        learner("org-a", "L-2", SyncState.SYNCED, null);
        learner("org-a", "L-3", SyncState.FAILED, "Xero: Email address must be valid");
        learner("org-a", "L-4", SyncState.FAILED, "Xero: Phone number is too long");
        learner("org-b", "L-9", SyncState.FAILED, "another organisation's");

        LearnerDirectory.Page first = health.failedLearners("support-1", "org-a", null, 2);
        LearnerDirectory.Page rest = health.failedLearners("support-1", "org-a", "L-3", 2);

        assertThat(first.learners()).extracting(LearnerRecord::learnerId).containsExactly("L-1", "L-3");
        assertThat(first.learners()).extracting(LearnerRecord::error)
                .containsExactly("Xero: The contact name is already used", "Xero: Email address must be valid");
        assertThat(first.more()).isTrue();
        assertThat(rest.learners()).extracting(LearnerRecord::learnerId).containsExactly("L-4");
        assertThat(rest.more()).isFalse();
        assertThat(logs.of("operator.failedLearnersRead")).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("\"operator\":\"support-1\"", "\"orgId\":\"org-a\""));
    }

    @Test
    void anOrganisationThatNeverConnectedIsNotFoundAndOneWithoutFailuresHasNone() {
        connections.connect("org-a", "tenant-a", clock.instant());
        learner("org-a", "L-1", SyncState.SYNCED, null);

        assertThat(health.failedLearners("support-1", "org-a", null, 10).learners()).isEmpty();
        assertThatThrownBy(() -> health.failedLearners("support-1", "org-x", null, 10))
                .isInstanceOf(NotFound.class).hasMessageContaining("org-x");
    }

    private void learner(String orgId, String learnerId, SyncState state, String error) {
        learners.save(orgId, TestData.learner(learnerId, "W-" + orgId + "-" + learnerId, "Ana", "Lopez"), null,
                SyncState.PENDING, clock.instant());
        if (state == SyncState.FAILED) {
            learners.recordFailed(orgId, learnerId, error, clock.instant());
        } else {
            learners.recordSynced(orgId, learnerId, "contact-" + learnerId, "Ana Lopez", "W-" + learnerId, "fp", clock.instant());
        }
    }
}
