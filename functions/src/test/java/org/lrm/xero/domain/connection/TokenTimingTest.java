package org.lrm.xero.domain.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenTimingTest {

    private static final Instant NOW = Instant.parse("2027-03-01T10:00:00Z");

    @Test
    void anAccessTokenIsReusedUntilTwoMinutesBeforeItExpires() {
        assertThat(TokenTiming.needsRefresh(NOW.plus(Duration.ofMinutes(30)), NOW)).isFalse();
        assertThat(TokenTiming.needsRefresh(NOW.plus(Duration.ofMinutes(2)).plusSeconds(1), NOW)).isFalse();
        assertThat(TokenTiming.needsRefresh(NOW.plus(Duration.ofMinutes(2)), NOW)).isTrue();
        assertThat(TokenTiming.needsRefresh(NOW.minusSeconds(1), NOW)).isTrue();
        assertThat(TokenTiming.needsRefresh(null, NOW)).isTrue();
    }

    @Test
    void aUsedRefreshTokenMayBeRetriedInsideXerosGraceLessAMargin() {
        assertThat(TokenTiming.withinGrace(NOW.minus(Duration.ofMinutes(10)), NOW)).isTrue();
        assertThat(TokenTiming.withinGrace(NOW.minus(Duration.ofMinutes(29)).plusSeconds(1), NOW)).isTrue();
        assertThat(TokenTiming.withinGrace(NOW.minus(Duration.ofMinutes(29)), NOW)).isFalse();
        assertThat(TokenTiming.withinGrace(null, NOW)).isFalse();
    }

    @Test
    void aConnectionIsIdleAfterThirtyDaysWithoutARefresh() {
        assertThat(TokenTiming.idle(NOW.minus(Duration.ofDays(29)), NOW)).isFalse();
        assertThat(TokenTiming.idle(NOW.minus(Duration.ofDays(30)), NOW)).isTrue();
        assertThat(TokenTiming.idle(null, NOW)).isTrue();
    }
}
