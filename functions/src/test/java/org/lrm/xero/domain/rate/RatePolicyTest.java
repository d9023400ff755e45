package org.lrm.xero.domain.rate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RatePolicyTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.250Z");
    private final RatePolicy policy = new RatePolicy(RateLimits.xero(20));

    @Test
    void fiveCallsAtOnceThenASlotIsTheWaitUntilOneIsGivenBack() {
        TenantBudget budget = TenantBudget.fresh(5_000);
        for (int i = 0; i < 5; i++) {
            assertThat(policy.decide(budget, Priority.INTERACTIVE, T0)).isEqualTo(Decision.GO);
            budget = policy.take(budget, "lease" + i, T0);
        }
        assertThat(policy.decide(budget, Priority.INTERACTIVE, T0))
                .isEqualTo(new Decision.Wait(T0.plusSeconds(2), WaitReason.CONCURRENT));

        budget = policy.release(budget, "lease3", Remaining.UNKNOWN, T0);
        assertThat(policy.decide(budget, Priority.INTERACTIVE, T0)).isEqualTo(Decision.GO);
    }

    @Test
    void aSlotWhoseHolderNeverGaveItBackLapsesAfterTheLease() {
        TenantBudget budget = TenantBudget.fresh(5_000);
        for (int i = 0; i < 5; i++) {
            budget = policy.take(budget, "crashed" + i, T0);
        }
        Instant afterLease = T0.plus(RateLimits.xero(20).lease());
        assertThat(policy.decide(budget, Priority.BULK, afterLease.minusMillis(1))).isInstanceOf(Decision.Wait.class);
        assertThat(policy.decide(budget, Priority.BULK, afterLease)).isEqualTo(Decision.GO);
    }

    @Test
    void sixtyCallsInARollingMinuteThenWaitUntilTheFirstHasSurelyLeftXerosWindow() {
        TenantBudget budget = TenantBudget.fresh(5_000);
        for (int i = 0; i < 60; i++) {
            Instant at = T0.plusMillis(500L * i);
            assertThat(policy.decide(budget, Priority.BULK, at)).isEqualTo(Decision.GO);
            budget = policy.release(policy.take(budget, "l" + i, at), "l" + i, Remaining.UNKNOWN, at);
        }
        Instant now = T0.plusSeconds(30);
        Decision decision = policy.decide(budget, Priority.INTERACTIVE, now);
        // The first call was in the second starting 10:00:00; it counts until that second's end + 60 s + 1 s margin.
        assertThat(decision).isEqualTo(new Decision.Wait(Instant.parse("2025-03-01T10:01:02Z"), WaitReason.MINUTE));
        assertThat(policy.decide(budget, Priority.INTERACTIVE, Instant.parse("2025-03-01T10:01:02Z"))).isEqualTo(Decision.GO);
    }

    @Test
    void bulkWorkLeavesTheLastFifthOfTheDayToInteractiveWork() {
        TenantBudget budget = TenantBudget.fresh(100);
        Instant at = T0;
        int bulk = 0;
        while (policy.decide(budget, Priority.BULK, at) == Decision.GO) {
            budget = policy.release(policy.take(budget, "b" + bulk, at), "b" + bulk, Remaining.UNKNOWN, at);
            bulk++;
            at = at.plusSeconds(2);
        }
        assertThat(bulk).isEqualTo(80);
        assertThat(policy.decide(budget, Priority.BULK, at)).isInstanceOfSatisfying(Decision.Wait.class,
                w -> assertThat(w.reason()).isEqualTo(WaitReason.RESERVE));

        int interactive = 0;
        while (policy.decide(budget, Priority.INTERACTIVE, at) == Decision.GO) {
            budget = policy.release(policy.take(budget, "i" + interactive, at), "i" + interactive, Remaining.UNKNOWN, at);
            interactive++;
            at = at.plusSeconds(2);
        }
        assertThat(interactive).isEqualTo(20);
        Decision.Wait day = (Decision.Wait) policy.decide(budget, Priority.INTERACTIVE, at);
        assertThat(day.reason()).isEqualTo(WaitReason.DAY);
        assertThat(day.until()).isAfter(T0.plus(Duration.ofDays(1))).isBefore(T0.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(16)));
        assertThat(policy.decide(budget, Priority.BULK, day.until().plus(Duration.ofHours(1)))).isEqualTo(Decision.GO);
    }

    @Test
    void xeroSayingFewerCallsRemainIsAdoptedButSayingMoreIsNot() {
        TenantBudget budget = policy.take(TenantBudget.fresh(5_000), "a", T0);

        TenantBudget corrected = policy.release(budget, "a", new Remaining(10, 1_000, null), T0);
        assertThat(policy.minuteRemaining(corrected, T0)).isEqualTo(10);
        assertThat(policy.dayRemaining(corrected, T0)).isEqualTo(1_000);

        TenantBudget optimistic = policy.release(budget, "a", new Remaining(60, 5_000, null), T0);
        assertThat(policy.minuteRemaining(optimistic, T0)).isEqualTo(59);
        assertThat(policy.dayRemaining(optimistic, T0)).isEqualTo(4_999);
    }

    @Test
    void aMinuteOrDay429PausesTheTenantForEveryoneAConcurrent429DoesNot() {
        TenantBudget budget = TenantBudget.fresh(5_000);

        RatePolicy.RateLimitedOutcome minute = policy.rateLimited(budget, "minute", Duration.ofSeconds(17), T0);
        assertThat(minute.pause()).isEqualTo(new Decision.Wait(T0.plusSeconds(17), WaitReason.MINUTE));
        assertThat(policy.decide(minute.budget(), Priority.INTERACTIVE, T0.plusSeconds(16))).isEqualTo(minute.pause());
        assertThat(policy.decide(minute.budget(), Priority.INTERACTIVE, T0.plusSeconds(17))).isEqualTo(Decision.GO);

        RatePolicy.RateLimitedOutcome day = policy.rateLimited(budget, "day", Duration.ofHours(3), T0);
        assertThat(policy.decide(day.budget(), Priority.BULK, T0.plusSeconds(3600)))
                .isEqualTo(new Decision.Wait(T0.plus(Duration.ofHours(3)), WaitReason.DAY));

        RatePolicy.RateLimitedOutcome concurrent = policy.rateLimited(budget, "concurrent", null, T0);
        assertThat(concurrent.budget()).isEqualTo(budget);
        assertThat(concurrent.pause()).isEqualTo(new Decision.Wait(T0.plusSeconds(2), WaitReason.CONCURRENT));
    }

    @Test
    void theReserveIsRoundedInItsOwnFavour() {
        assertThat(RateLimits.xero(20).bulkDayCeiling(5_000)).isEqualTo(4_000);
        assertThat(RateLimits.xero(20).bulkDayCeiling(1_001)).isEqualTo(800);
        assertThat(RateLimits.xero(0).bulkDayCeiling(1_000)).isEqualTo(1_000);
    }

    @Test
    void theAppMinuteCapsTogetherNeverExceedXerosLimitInAnyRollingMinute() {
        AppMinuteWindow app = AppMinuteWindow.of(RateLimits.xero(20));
        assertThat(app.bucketsPerWindow() * app.cap()).isLessThanOrEqualTo(10_000);
        assertThat(app.countAfterXeroSays(100)).isEqualTo(app.cap() - 100);
        assertThat(app.countAfterXeroSays(50_000)).isZero();
    }
}
