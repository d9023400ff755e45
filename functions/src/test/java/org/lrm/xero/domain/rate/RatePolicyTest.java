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
            assertThat(policy.decide(budget, Priority.INTERACTIVE, at)).isEqualTo(Decision.GO);
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
    void xeroSayingFewerCallsRemainThisMinuteIsAdoptedButSayingMoreIsNot() {
        TenantBudget budget = policy.take(TenantBudget.fresh(5_000), "a", T0);

        assertThat(policy.minuteRemaining(policy.release(budget, "a", new Remaining(10, 4_999, null), T0), T0)).isEqualTo(10);
        assertThat(policy.minuteRemaining(policy.release(budget, "a", new Remaining(60, 4_999, null), T0), T0)).isEqualTo(59);
    }

    @Test
    void aStarterOrganisationsFirstAnswerTeachesItsDayLimitAndBulkWorkGetsFourFifthsOfIt() {
        // Xero never says the limit: after one call, 999 remain. The integration assumed 5,000.
        TenantBudget budget = policy.release(policy.take(TenantBudget.fresh(5_000), "first", T0), "first",
                new Remaining(59, 999, null), T0);

        assertThat(budget.dayLimit()).isEqualTo(1_000);
        assertThat(policy.dayRemaining(budget, T0)).isEqualTo(999);
        Instant at = T0;
        int bulk = 1;
        while (policy.decide(budget, Priority.BULK, at) == Decision.GO) {
            budget = policy.release(policy.take(budget, "b" + bulk, at), "b" + bulk, new Remaining(null, 999 - bulk, null), at);
            bulk++;
            at = at.plusSeconds(2);
        }
        assertThat(bulk).isEqualTo(800);
        Decision.Wait reserve = (Decision.Wait) policy.decide(budget, Priority.BULK, at);
        assertThat(reserve.reason()).isEqualTo(WaitReason.RESERVE);
        // Bulk work waits for the day window, never longer: the first calls' bucket leaves it.
        assertThat(reserve.until()).isBefore(T0.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(16)));
        assertThat(policy.decide(budget, Priority.INTERACTIVE, at)).isEqualTo(Decision.GO);
    }

    @Test
    void callsStillOutMayNotBeCountedByXeroYetSoTheLimitSettlesAsTheyComeBack() {
        TenantBudget budget = TenantBudget.fresh(5_000);
        for (int i = 0; i < 5; i++) {
            budget = policy.take(budget, "l" + i, T0);
        }
        // Xero answers the first having counted it alone; four more are out.
        budget = policy.release(budget, "l0", new Remaining(null, 999, null), T0);
        assertThat(budget.dayLimit()).isBetween(1_000, 1_004);
        for (int i = 1; i < 5; i++) {
            budget = policy.release(budget, "l" + i, new Remaining(null, 995, null), T0);
        }
        assertThat(budget.dayLimit()).isEqualTo(1_000);
    }

    @Test
    void callsThatNeverReachedXeroDoNotRaiseTheLimitAPlanChangeDoes() {
        TenantBudget budget = TenantBudget.fresh(1_000);
        // Two calls counted by us that Xero never saw (the connection failed before the request arrived).
        for (String lost : new String[] {"lost1", "lost2"}) {
            budget = policy.release(policy.take(budget, lost, T0), lost, new Remaining(null, null, null), T0);
        }
        for (int i = 0; i < 10; i++) {
            budget = policy.release(policy.take(budget, "l" + i, T0), "l" + i, new Remaining(null, 999 - i, null), T0);
        }
        assertThat(budget.dayLimit()).as("Xero's 990 left plus our 12 counted is not a larger plan").isEqualTo(1_000);

        Instant later = T0.plusSeconds(120);
        budget = policy.release(policy.take(budget, "up", later), "up", new Remaining(null, 4_987, null), later);
        assertThat(budget.dayLimit()).as("a plan of 5,000: 4,987 left after our 13").isEqualTo(5_000);
    }

    @Test
    void anAnswerGivenBackAfterANewerOneTeachesNothingWrong() {
        TenantBudget budget = policy.take(TenantBudget.fresh(1_000), "a", T0);
        budget = policy.take(budget, "b", T0.plusMillis(300));
        // Xero answered a when it had counted a (999 left), then b (998 left); b's slot comes back first.
        budget = policy.release(budget, "b", new Remaining(null, 998, null), T0.plusMillis(500));
        budget = policy.release(budget, "a", new Remaining(null, 999, null), T0.plusMillis(600));

        assertThat(budget.dayLimit()).isEqualTo(1_000);
    }

    @Test
    void aLearnedLimitIsKeptWhileXerosCountersAgreeAndFollowsThemWhenTheyDoNot() {
        TenantBudget budget = TenantBudget.fresh(1_000);
        for (int i = 0; i < 100; i++) {
            budget = policy.release(policy.take(budget, "l" + i, T0), "l" + i, new Remaining(null, 999 - i, null), T0);
        }
        assertThat(budget.dayLimit()).isEqualTo(1_000);

        // A day later those hundred have left Xero's window, but our 15-minute bucket still counts them
        // for a few minutes: Xero's 999 plus our 101 does not mean the limit grew.
        Instant nextDay = T0.plus(Duration.ofDays(1)).plusSeconds(60);
        budget = policy.release(policy.take(budget, "next", nextDay), "next", new Remaining(null, 999, null), nextDay);
        assertThat(budget.dayLimit()).isEqualTo(1_000);

        // The organisation moved to a larger plan: Xero's counter says so.
        Instant later = nextDay.plus(Duration.ofHours(1));
        budget = policy.release(policy.take(budget, "up", later), "up", new Remaining(null, 4_998, null), later);
        assertThat(budget.dayLimit()).isEqualTo(5_000);
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
        assertThat(app.shardCount() * app.shardCap()).isLessThanOrEqualTo(app.cap()).isGreaterThan(app.cap() * 9 / 10);
        // Each counter keeps its share of what Xero says remains of the app's minute.
        assertThat(app.shardCountAfterXeroSays(app.shardCount() * 10)).isEqualTo(app.shardCap() - 10);
        assertThat(app.shardCountAfterXeroSays(50_000)).isZero();
        assertThat(app.shardCountAfterXeroSays(0)).isEqualTo(app.shardCap());
    }

    @Test
    void aSmallAppLimitIsSplitIntoNoMoreCountersThanItHasCalls() {
        AppMinuteWindow app = new AppMinuteWindow(40, Duration.ofSeconds(10), Duration.ofSeconds(1), AppMinuteWindow.SHARDS);
        assertThat(app.cap()).isEqualTo(5);
        assertThat(app.shardCount()).isEqualTo(5);
        assertThat(app.shardCap()).isEqualTo(1);
        assertThat(app.fullShardsBeforeWaiting()).isEqualTo(4);
    }

    @Test
    void aMinuteLeavesItsLastCallsAndASlotToPeopleWaitingAndPrefetchTakesTwoThirdsAtMost() {
        assertThat(callsInAMinute(Priority.INTERACTIVE)).isEqualTo(60);
        assertThat(callsInAMinute(Priority.BULK)).isEqualTo(55);
        assertThat(callsInAMinute(Priority.PREFETCH)).isEqualTo(40);

        TenantBudget budget = TenantBudget.fresh(5_000);
        for (int i = 0; i < 2; i++) {
            budget = policy.take(budget, policy.newLeaseId(Priority.PREFETCH), T0);
        }
        assertThat(policy.decide(budget, Priority.PREFETCH, T0)).isInstanceOfSatisfying(Decision.Wait.class,
                w -> assertThat(w.reason()).isEqualTo(WaitReason.CONCURRENT));
        budget = policy.take(budget, policy.newLeaseId(Priority.BULK), T0);
        budget = policy.take(budget, policy.newLeaseId(Priority.BULK), T0);
        assertThat(policy.decide(budget, Priority.BULK, T0)).as("the last slot is kept").isInstanceOf(Decision.Wait.class);
        assertThat(policy.decide(budget, Priority.INTERACTIVE, T0)).isEqualTo(Decision.GO);
    }

    @Test
    void prefetchLeavesTheDayAsMuchAgainAsOtherWorkUsed() {
        // 1,000 calls of other work in the rolling day: prefetch may bring the day to 4,000 less 1,000 again.
        TenantBudget budget = TenantBudget.fresh(5_000);
        Instant at = T0;
        for (int i = 0; i < 1_000; i++) {
            budget = policy.release(policy.take(budget, "o" + i, at), "o" + i, Remaining.UNKNOWN, at);
            at = at.plusSeconds(2);
        }
        int prefetched = 0;
        while (policy.decide(budget, Priority.PREFETCH, at) == Decision.GO) {
            String lease = policy.newLeaseId(Priority.PREFETCH);
            budget = policy.release(policy.take(budget, lease, at), lease, Remaining.UNKNOWN, at);
            prefetched++;
            at = at.plusSeconds(2);
        }
        assertThat(prefetched).isEqualTo(2_000);
        assertThat(policy.decide(budget, Priority.PREFETCH, at)).isInstanceOfSatisfying(Decision.Wait.class,
                w -> assertThat(w.reason()).isEqualTo(WaitReason.RESERVE));
        // The wait ends when the spare is back, as the oldest calls leave the day: not a bucket at a time, not before.
        Instant until = ((Decision.Wait) policy.decide(budget, Priority.PREFETCH, at)).until();
        assertThat(until).isAfter(at.plus(Duration.ofHours(20)));
        assertThat(policy.decide(budget, Priority.PREFETCH, until.minusSeconds(1))).isInstanceOf(Decision.Wait.class);
        assertThat(policy.decide(budget, Priority.PREFETCH, until)).isEqualTo(Decision.GO);
        assertThat(policy.decide(budget, Priority.BULK, at)).isEqualTo(Decision.GO);
        // Once the other work's calls have left the rolling day, its spare is prefetch's again.
        assertThat(policy.decide(budget, Priority.PREFETCH, T0.plus(Duration.ofDays(1)).plus(Duration.ofHours(1))))
                .isEqualTo(Decision.GO);
    }

    /** Calls of one priority taken in one second from a fresh budget, each given back at once. */
    private int callsInAMinute(Priority priority) {
        TenantBudget budget = TenantBudget.fresh(5_000);
        int calls = 0;
        while (policy.decide(budget, priority, T0) == Decision.GO) {
            String lease = policy.newLeaseId(priority);
            budget = policy.release(policy.take(budget, lease, T0), lease, Remaining.UNKNOWN, T0);
            calls++;
        }
        return calls;
    }
}
