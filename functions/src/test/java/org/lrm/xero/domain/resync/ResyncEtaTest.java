package org.lrm.xero.domain.resync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResyncEtaTest {

    private static final Instant NOW = Instant.parse("2027-03-15T02:00:00Z");

    @Test
    void callsWithinThisMinutesBudgetCostOnlyTheirWork() {
        assertThat(ResyncEta.estimate(10, 60, 5000, null, NOW, 60)).isEqualTo(NOW.plus(ResyncEta.WORK_PER_CALL.multipliedBy(10)));
        assertThat(ResyncEta.estimate(0, 0, 0, null, NOW, 60)).isEqualTo(NOW);
    }

    @Test
    void callsBeyondTheMinuteGoAtSixtyAMinute() {
        Instant eta = ResyncEta.estimate(130, 10, 5000, null, NOW, 60);
        assertThat(eta).isEqualTo(NOW.plus(Duration.ofMinutes(2)).plus(ResyncEta.WORK_PER_CALL.multipliedBy(130)));
    }

    @Test
    void aParkedJobStartsWhenTheBudgetResumesAndCallsBeyondTheDayWaitForTheNextDay() {
        Instant resumes = NOW.plus(Duration.ofHours(3));
        assertThat(ResyncEta.estimate(1, 0, 100, resumes, NOW, 60)).isEqualTo(resumes.plus(ResyncEta.WORK_PER_CALL));
        Instant eta = ResyncEta.estimate(40, 60, 10, null, NOW, 60);
        assertThat(eta).isAfter(NOW.plus(Duration.ofHours(24)));
    }
}
