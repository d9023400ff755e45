package org.lrm.xero.domain.rate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the pattern of attempts, calls the policy lets through never break Xero's rolling
 * limits as Xero counts them (a call at t counts while now - 60 s < t, resp. 86,400 s).
 */
class RatePolicyPropertyTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    record Attempt(long gapMillis, Priority priority, boolean releaseOldest, int xeroSaysLess) {
    }

    @Provide
    Arbitrary<List<Attempt>> attempts() {
        Arbitrary<Attempt> attempt = Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 2_000)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 3_600_000))),
                Arbitraries.of(Priority.class), Arbitraries.of(true, false), Arbitraries.integers().between(0, 3))
                .as(Attempt::new);
        return attempt.list().ofMinSize(50).ofMaxSize(600);
    }

    @Property(tries = 200)
    void grantedCallsStayWithinXerosRollingLimits(@ForAll("attempts") List<Attempt> attempts,
            @ForAll("dayLimits") int dayLimit) {
        RateLimits limits = RateLimits.xero(20);
        RatePolicy policy = new RatePolicy(limits);
        TenantBudget budget = TenantBudget.fresh(dayLimit);
        Deque<String> held = new ArrayDeque<>();
        java.util.Map<String, Instant> takenAt = new java.util.HashMap<>();
        List<Instant> granted = new ArrayList<>();
        List<Instant> grantedBulk = new ArrayList<>();
        Instant now = T0;
        int n = 0;
        for (Attempt a : attempts) {
            now = now.plusMillis(a.gapMillis());
            if (a.releaseOldest() && !held.isEmpty()) {
                // Xero's own counters, sometimes lower than ours (calls we did not see).
                int minuteSeen = (int) count(granted, now, 60);
                Remaining remaining = new Remaining(Math.max(0, limits.perMinute() - minuteSeen - a.xeroSaysLess()), null, null);
                budget = policy.release(budget, held.removeFirst(), remaining, now);
            }
            if (policy.decide(budget, a.priority(), now) == Decision.GO) {
                String lease = "l" + n++;
                budget = policy.take(budget, lease, now);
                held.addLast(lease);
                takenAt.put(lease, now);
                granted.add(now);
                if (a.priority() == Priority.BULK) {
                    grantedBulk.add(now);
                }
                Instant at = now;
                assertThat(count(granted, at, 60)).isLessThanOrEqualTo(limits.perMinute());
                assertThat(count(granted, at, 86_400)).isLessThanOrEqualTo(dayLimit);
                if (a.priority() == Priority.BULK) {
                    assertThat(count(granted, at, 86_400)).isLessThanOrEqualTo(limits.bulkDayCeiling(dayLimit));
                }
                assertThat(held.stream().filter(id -> at.isBefore(takenAt.get(id).plus(limits.lease()))).count())
                        .isLessThanOrEqualTo(limits.concurrent());
            }
        }
    }

    @Provide
    Arbitrary<Integer> dayLimits() {
        return Arbitraries.of(60, 100, 1_000, 5_000);
    }

    private static long count(List<Instant> calls, Instant now, long windowSeconds) {
        return calls.stream().filter(t -> t.isAfter(now.minusSeconds(windowSeconds))).count();
    }
}
