package org.lrm.xero.app.work;

import static org.assertj.core.api.Assertions.assertThat;

import static org.lrm.xero.cases.GeneratedCases.edgesThenGenerated;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lrm.xero.cases.Property;

class DeferralPolicyTest {

    private static final long SEED = 20_250_304L;
    private static final int CASES = 1_000;

    private final DeferralPolicy policy = DeferralPolicy.standard();

    @Test
    void aShortWaitOnAFreshMessageExtendsItsVisibility() {
        assertThat(policy.plan(Duration.ofSeconds(40), 1, 5, 0.0))
                .isEqualTo(new DeferralPolicy.ExtendVisibility(40, Duration.ofSeconds(40)));
        assertThat(policy.plan(Duration.ofSeconds(40), 2, 5, 0.0)).isInstanceOf(DeferralPolicy.ExtendVisibility.class);
    }

    @Test
    void aMessageThatHasUsedItsSpareReceivesWaitsAsADelayedCopy() {
        assertThat(policy.plan(Duration.ofSeconds(40), 3, 5, 0.0))
                .isEqualTo(new DeferralPolicy.Resend(40, Duration.ofSeconds(40)));
    }

    @Test
    void aLongWaitIsADelayedCopyOfAtMostFifteenMinutesCarryingTheRestInNotBefore() {
        DeferralPolicy.Plan plan = policy.plan(Duration.ofHours(6), 1, 5, 0.0);
        assertThat(plan).isEqualTo(new DeferralPolicy.Resend(900, Duration.ofHours(6)));
    }

    @Test
    void jitterAddsUpToATenthAtMostAMinuteAndASecond() {
        assertThat(policy.plan(Duration.ofSeconds(100), 1, 5, 0.999).waitFor())
                .isBetween(Duration.ofSeconds(110), Duration.ofSeconds(111));
        assertThat(policy.plan(Duration.ofHours(20), 1, 5, 0.999).waitFor())
                .isBetween(Duration.ofHours(20).plusSeconds(60), Duration.ofHours(20).plusSeconds(61));
    }

    @Property
    @MethodSource("waitsReceivesAndJitters")
    void waitingNeverSpendsTheLastReceivesAndNeverWaitsLessThanAsked(long waitSeconds, int receiveCount, double jitter) {
        int maxReceiveCount = 5;
        DeferralPolicy.Plan plan = policy.plan(Duration.ofSeconds(waitSeconds), receiveCount, maxReceiveCount, jitter);
        assertThat(plan.waitFor()).isGreaterThanOrEqualTo(Duration.ofSeconds(waitSeconds));
        if (plan instanceof DeferralPolicy.ExtendVisibility extend) {
            assertThat(receiveCount).isLessThanOrEqualTo(maxReceiveCount - 3);
            assertThat(extend.seconds()).isBetween(1, 15 * 60 + 1);
        } else {
            assertThat(((DeferralPolicy.Resend) plan).delaySeconds()).isBetween(0, 900);
        }
    }

    /**
     * Waits of 0 to 200,000 s, receive counts of 1 to 20, jitter of 0 to 0.99; and every pairing of
     * the waits around the 15-minute short wait (818 s and 819 s straddle it once jittered) and SQS's
     * 12-hour visibility with the receive counts around the spare receives and the ends of both ranges.
     */
    static Stream<Arguments> waitsReceivesAndJitters() {
        List<List<?>> edges = new ArrayList<>();
        for (long wait : new long[] {0, 1, 818, 819, 899, 900, 901, 43_200, 43_201, 200_000}) {
            for (int receiveCount : new int[] {1, 2, 3, 19, 20}) {
                for (double jitter : new double[] {0.0, 0.99}) {
                    edges.add(List.of(wait, receiveCount, jitter));
                }
            }
        }
        return edgesThenGenerated(edges, SEED, CASES,
                draw -> List.of(draw.between(0L, 200_000L), draw.between(1, 20), draw.between(0.0, 0.99)));
    }
}
