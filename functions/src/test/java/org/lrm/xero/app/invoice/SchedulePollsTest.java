package org.lrm.xero.app.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryPollPlans;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.rate.Priority;

/** The poll schedule: it calls no Xero API; it queues each due organisation's poll, once. */
class SchedulePollsTest {

    private static final Instant CONNECTED = Instant.parse("2027-02-01T00:00:00Z");

    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final InMemoryPollPlans plans = new InMemoryPollPlans();
    private final RecordingWorkQueue scheduledWork = new RecordingWorkQueue();
    private final FakeClock clock = FakeClock.at("2027-02-03T00:00:00Z");
    private final SchedulePolls schedule = new SchedulePolls(connections, plans, scheduledWork, clock);

    @Test
    void everyUsableOrganisationWithoutAPlanIsQueuedOnceEachAsItsOwnMessage() {
        IntStream.range(0, 30).forEach(i -> connections.connect("org-" + i, "tenant-" + i, CONNECTED));
        connections.markNeedsReconnect("org-7", "refused", CONNECTED);

        assertThat(schedule.run()).isEqualTo(29);

        assertThat(scheduledWork.sent()).extracting(WorkMessage::orgId).hasSize(29).doesNotHaveDuplicates()
                .doesNotContain("org-7");
        assertThat(scheduledWork.sent()).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(PollTransactions.POLL_KIND);
            assertThat(m.priority()).isEqualTo(Priority.BULK);
            assertThat(m.tenantId()).isEqualTo("tenant-" + m.orgId().substring(4));
        });
    }

    @Test
    void aQueuedPollIsNotQueuedAgainWhileItRunsNorAnOrganisationBeforeItIsDue() {
        connections.connect("org-busy", "tenant-busy", CONNECTED);
        connections.connect("org-later", "tenant-later", CONNECTED);
        connections.connect("org-due", "tenant-due", CONNECTED);
        plans.save(new PollPlan("org-later", clock.instant().plusSeconds(120), null, 3, null, clock.instant()));
        plans.save(new PollPlan("org-due", clock.instant().minusSeconds(1), null, 3, null, clock.instant()));
        schedule.run();
        scheduledWork.drain();

        // A minute later: org-busy's poll has not finished, org-later is not due yet, org-due's poll is still queued.
        clock.advance(SchedulePolls.SCHEDULE);
        assertThat(schedule.run()).isZero();

        // org-later comes due; a poll whose message was lost is queued again once its claim has passed.
        clock.advance(SchedulePolls.CLAIM);
        assertThat(schedule.run()).isEqualTo(3);
    }
}
