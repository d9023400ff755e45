package org.lrm.xero.app.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DeferralPolicyTest {

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
    void waitingNeverSpendsTheLastReceivesAndNeverWaitsLessThanAsked(@ForAll @LongRange(min = 0, max = 200_000) long waitSeconds,
            @ForAll @IntRange(min = 1, max = 20) int receiveCount, @ForAll @DoubleRange(min = 0, max = 0.99) double jitter) {
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
}
