package org.lrm.xero.app.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Waits while Xero fails: doubling from 30 s to 30 minutes, jittered in their upper half, for 24 hours. */
class OutageBackoffTest {

    private final OutageBackoff backoff = OutageBackoff.standard();

    @Test
    void eachFailureInARowDoublesTheWaitUpToHalfAnHour() {
        assertThat(backoff.waitAfter(1, 0.999_999)).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30));
        assertThat(backoff.waitAfter(2, 0.999_999)).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60));
        assertThat(backoff.waitAfter(3, 0.999_999)).isBetween(Duration.ofSeconds(119), Duration.ofSeconds(120));
        assertThat(backoff.waitAfter(7, 0.999_999)).isBetween(Duration.ofMinutes(30).minusSeconds(1), Duration.ofMinutes(30));
        assertThat(backoff.waitAfter(8, 0.999_999)).isBetween(Duration.ofMinutes(30).minusSeconds(1), Duration.ofMinutes(30));
        assertThat(backoff.waitAfter(1_000, 0.999_999)).as("no overflow").isBetween(Duration.ofMinutes(29), Duration.ofMinutes(30));
    }

    @Test
    void jitterSpreadsTheUpperHalfOnly() {
        for (int failures = 1; failures < 12; failures++) {
            Duration base = Duration.ofSeconds(Math.min(1_800, 30L << (failures - 1)));
            Duration full = backoff.waitAfter(failures, 0.999_999);
            assertThat(backoff.waitAfter(failures, 0)).isEqualTo(base.dividedBy(2));
            assertThat(backoff.waitAfter(failures, 0.5)).isStrictlyBetween(backoff.waitAfter(failures, 0), full);
        }
    }

    @Test
    void itGivesUpOnlyOnceXeroHasFailedForADay() {
        Instant since = Instant.parse("2027-03-01T00:00:00Z");

        assertThat(backoff.givesUp(since, since.plus(Duration.ofHours(3)))).isFalse();
        assertThat(backoff.givesUp(since, since.plus(Duration.ofHours(24)).minusSeconds(1))).isFalse();
        assertThat(backoff.givesUp(since, since.plus(Duration.ofHours(24)))).isTrue();
        assertThat(backoff.givesUp(null, since)).isFalse();
    }

    @Test
    void aThreeHourOutageCostsAboutTenAttemptsAndIsNoticedWithinHalfAnHourOfItsEnd() {
        Duration waited = Duration.ZERO;
        int failures = 0;
        while (waited.compareTo(Duration.ofHours(3)) < 0) {
            waited = waited.plus(backoff.waitAfter(++failures, 0.999_999));
        }
        assertThat(failures).isBetween(8, 12);
        assertThat(backoff.waitAfter(failures, 0.999_999)).isLessThanOrEqualTo(Duration.ofMinutes(30));
    }
}
