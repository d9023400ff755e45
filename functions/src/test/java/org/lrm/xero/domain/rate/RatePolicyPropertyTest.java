package org.lrm.xero.domain.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lrm.xero.cases.GeneratedCases.edgesThenGenerated;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lrm.xero.cases.Draw;
import org.lrm.xero.cases.Property;

/**
 * Whatever the pattern of attempts, calls the policy lets through never break Xero's rolling
 * limits as Xero counts them (a call at t counts while now - 60 s < t, resp. 86,400 s).
 */
class RatePolicyPropertyTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final long SEED = 20_250_303L;
    private static final int CASES = 200;
    private static final List<Integer> DAY_LIMITS = List.of(60, 100, 1_000, 5_000);

    record Attempt(long gapMillis, Priority priority, boolean releaseOldest, int xeroSaysLess) {
    }

    @Property
    @MethodSource("attemptsAndDayLimits")
    void grantedCallsStayWithinXerosRollingLimits(List<Attempt> attempts, int dayLimit) {
        RateLimits limits = RateLimits.xero(20);
        RatePolicy policy = new RatePolicy(limits);
        TenantBudget budget = TenantBudget.fresh(dayLimit);
        Deque<String> held = new ArrayDeque<>();
        Map<String, Instant> takenAt = new HashMap<>();
        List<Instant> granted = new ArrayList<>();
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

    /**
     * The integration is never told a tenant's day limit; Xero only says, with each answer, how many calls
     * remain of its rolling day. Starting from the 5,000 it assumes, the calls let through never break the
     * tenant's real limit as Xero counts them, and bulk work never takes the reserve of the real limit.
     */
    @Property
    @MethodSource("attemptsAndDayLimits")
    void grantedCallsStayWithinADayLimitOnlyXerosCountersTellOf(List<Attempt> attempts, int dayLimit) {
        RateLimits limits = RateLimits.xero(20);
        RatePolicy policy = new RatePolicy(limits);
        TenantBudget budget = TenantBudget.fresh(limits.defaultDayLimit());
        Deque<String> held = new ArrayDeque<>();
        List<Instant> granted = new ArrayList<>();
        Instant now = T0;
        int n = 0;
        for (Attempt a : attempts) {
            now = now.plusMillis(a.gapMillis());
            if (held.size() == limits.concurrent() || (a.releaseOldest() && !held.isEmpty())) {
                // Xero counted every call made; sometimes it says fewer remain (calls we did not see).
                int daySeen = (int) count(granted, now, 86_400);
                budget = policy.release(budget, held.removeFirst(),
                        new Remaining(null, Math.max(0, dayLimit - daySeen - a.xeroSaysLess()), null), now);
            }
            if (policy.decide(budget, a.priority(), now) == Decision.GO) {
                String lease = "l" + n++;
                budget = policy.take(budget, lease, now);
                held.addLast(lease);
                granted.add(now);
                Instant at = now;
                assertThat(count(granted, at, 86_400)).isLessThanOrEqualTo(dayLimit);
                if (a.priority() == Priority.BULK) {
                    assertThat(count(granted, at, 86_400)).isLessThanOrEqualTo(Math.max(limits.concurrent(),
                            limits.bulkDayCeiling(dayLimit)));
                }
            }
        }
    }

    /**
     * 50 to 600 attempts, mostly close together (up to 2 s apart), one in seven up to an hour later,
     * under each day limit; and for each day limit the patterns that press on one limit at a time:
     * bursts with no gap, one call a second (Xero's minute limit exactly), bulk only, never releasing.
     */
    static Stream<Arguments> attemptsAndDayLimits() {
        List<List<?>> edges = new ArrayList<>();
        for (int dayLimit : DAY_LIMITS) {
            edges.add(List.of(repeat(600, new Attempt(0, Priority.INTERACTIVE, true, 0)), dayLimit));
            edges.add(List.of(repeat(600, new Attempt(0, Priority.BULK, true, 3)), dayLimit));
            edges.add(List.of(repeat(600, new Attempt(1_000, Priority.INTERACTIVE, true, 0)), dayLimit));
            edges.add(List.of(repeat(600, new Attempt(1_000, Priority.BULK, true, 0)), dayLimit));
            edges.add(List.of(repeat(600, new Attempt(999, Priority.INTERACTIVE, false, 0)), dayLimit));
            edges.add(List.of(repeat(50, new Attempt(60_000, Priority.BULK, true, 3)), dayLimit));
            edges.add(List.of(alternating(600), dayLimit));
        }
        return edgesThenGenerated(edges, SEED, CASES, draw -> List.of(draw.list(50, 600, () -> attempt(draw)),
                draw.oneOf(DAY_LIMITS)));
    }

    private static Attempt attempt(Draw draw) {
        long gap = draw.chance(6.0 / 7) ? draw.between(0L, 2_000L) : draw.between(0L, 3_600_000L);
        return new Attempt(gap, draw.oneOf(Priority.values()), draw.chance(0.5), draw.between(0, 3));
    }

    private static List<Attempt> repeat(int times, Attempt attempt) {
        return Collections.nCopies(times, attempt);
    }

    /** Interactive and bulk calls in turn, half a second apart, Xero always saying 3 fewer remain. */
    private static List<Attempt> alternating(int times) {
        List<Attempt> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            out.add(new Attempt(500, i % 2 == 0 ? Priority.INTERACTIVE : Priority.BULK, true, 3));
        }
        return out;
    }

    private static long count(List<Instant> calls, Instant now, long windowSeconds) {
        return calls.stream().filter(t -> t.isAfter(now.minusSeconds(windowSeconds))).count();
    }
}
