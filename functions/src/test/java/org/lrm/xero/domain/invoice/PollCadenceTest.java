package org.lrm.xero.domain.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The poll's cadence against the targets. */
class PollCadenceTest {

    @Test
    void activeAQuarterOfAnHourThenDoublingToTheIdleWait() {
        assertThat(java.util.stream.IntStream.rangeClosed(0, 12).mapToObj(n -> PollCadence.after(n, 5_000).toMinutes()))
                .containsExactly(3L, 3L, 3L, 3L, 6L, 12L, 24L, 48L, 50L, 50L, 50L, 50L, 50L);
    }

    @Test
    void anIdleOrganisationCostsAtMostAHundredCallsADayAndAPaymentWaitsAtMostAnHour() {
        Duration idle = PollCadence.after(Integer.MAX_VALUE, 5_000);
        Duration withTheScheduleMinute = idle.plusMinutes(1);
        // At worst (the schedule finds it due as soon as it is): 1,440 / 50 polls of three calls.
        long callsADay = Duration.ofDays(1).dividedBy(idle) * 3;
        assertThat(callsADay).isLessThanOrEqualTo(100);
        assertThat(withTheScheduleMinute).isLessThan(Duration.ofMinutes(60));
        assertThat(PollCadence.after(0, 5_000).plusMinutes(1)).isLessThan(Duration.ofMinutes(5));
    }

    @Test
    void aSmallerDayStretchesTheActiveWaitButNeverBeyondTheIdleOne() {
        assertThat(PollCadence.after(0, 1_000)).isEqualTo(Duration.ofMinutes(15));
        assertThat(PollCadence.after(5, 1_000)).isEqualTo(PollCadence.IDLE);
        assertThat(PollCadence.after(0, 10_000)).isEqualTo(PollCadence.ACTIVE);
    }
}
