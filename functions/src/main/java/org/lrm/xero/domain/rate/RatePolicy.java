package org.lrm.xero.domain.rate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Xero's per-tenant rules as decisions: may a call start now, what taking and giving back a slot
 * does to the budget, and how Xero's own counters and 429s correct it. Xero is the truth: when
 * it says fewer calls remain this minute than we counted, we count the difference as spent; what
 * it says remains of the day, plus what we counted, is the tenant's day limit, learned and kept
 * ({@link #learnedDayLimit}): Xero never says the limit itself, which is 1,000 on its Starter tier
 * and 5,000 on the others.
 */
public final class RatePolicy {

    private static final Duration MINUTE_BUCKET = Duration.ofSeconds(1);
    private static final Duration DAY_BUCKET = Duration.ofMinutes(15);
    /** Xero's rolling day. */
    private static final Duration XERO_DAY = Duration.ofDays(1);
    private static final String PREFETCH_LEASE = "prefetch-";

    private final RateLimits limits;
    private final RollingWindow minuteWindow;
    private final RollingWindow dayWindow;

    public RatePolicy(RateLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.minuteWindow = new RollingWindow(Duration.ofMinutes(1).plus(limits.clockMargin()), MINUTE_BUCKET);
        this.dayWindow = new RollingWindow(XERO_DAY.plus(limits.clockMargin()), DAY_BUCKET);
    }

    public RateLimits limits() {
        return limits;
    }

    /**
     * The waits that last longest come first, so a parked tenant says why it is parked, not that a slot is busy.
     *
     * <p>PDF prefetch spends only spare budget: of the day, what bulk work may use less twice what other work
     * used in the rolling day (what it used, it is expected to use again before those calls leave the window);
     * of the minute and the slots, its own smaller shares ({@link RateLimits#minuteCeiling},
     * {@link RateLimits#concurrentCeiling}).
     */
    public Decision decide(TenantBudget budget, Priority priority, Instant now) {
        if (budget.pausedAt(now)) {
            return new Decision.Wait(budget.pausedUntil(), budget.pauseReason());
        }
        int dayCount = dayWindow.count(budget.day(), now);
        if (dayCount >= budget.dayLimit()) {
            return new Decision.Wait(dayWindow.whenAtMost(budget.day(), now, budget.dayLimit() - 1), WaitReason.DAY);
        }
        int bulkCeiling = limits.bulkDayCeiling(budget.dayLimit());
        if (priority != Priority.INTERACTIVE && dayCount >= bulkCeiling) {
            return new Decision.Wait(dayWindow.whenAtMost(budget.day(), now, bulkCeiling - 1), WaitReason.RESERVE);
        }
        if (priority == Priority.PREFETCH) {
            int prefetched = dayWindow.count(budget.prefetchDay(), now);
            int otherWork = dayCount - prefetched;
            if (prefetched >= bulkCeiling - 2 * otherWork) {
                return new Decision.Wait(whenPrefetchSpareReturns(budget, bulkCeiling, dayCount, prefetched, now),
                        WaitReason.RESERVE);
            }
        }
        int minuteCeiling = limits.minuteCeiling(priority);
        if (minuteWindow.count(budget.minute(), now) >= minuteCeiling) {
            return new Decision.Wait(minuteWindow.whenAtMost(budget.minute(), now, minuteCeiling - 1), WaitReason.MINUTE);
        }
        Map<String, Instant> held = heldLeases(budget, now);
        long heldByPrefetch = held.keySet().stream().filter(RatePolicy::isPrefetch).count();
        boolean slotFree = held.size() < limits.concurrent()
                && (priority == Priority.INTERACTIVE || held.size() < limits.concurrentCeiling(Priority.BULK))
                && (priority != Priority.PREFETCH || heldByPrefetch < limits.concurrentCeiling(Priority.PREFETCH));
        if (!slotFree) {
            Instant firstLapse = held.values().stream().min(Instant::compareTo).orElse(now);
            Instant shortWait = now.plus(limits.concurrentWait());
            return new Decision.Wait(firstLapse.isBefore(shortWait) ? firstLapse : shortWait, WaitReason.CONCURRENT);
        }
        return Decision.GO;
    }

    /**
     * When spare comes back for prefetch as calls leave the day window: the first bucket's expiry after which
     * prefetch's condition ({@code prefetched < bulkCeiling - 2 × other work}, i.e. {@code 2 × day - prefetched <
     * bulkCeiling}) holds. Calls made meanwhile can only make it later, so prefetch need not look before then
     * (a parked backlog of PDFs then waits for that moment, not a quarter of an hour at a time).
     */
    private Instant whenPrefetchSpareReturns(TenantBudget budget, int bulkCeiling, int dayCount, int prefetched, Instant now) {
        SortedMap<Long, Integer> day = dayWindow.live(budget.day(), now);
        Map<Long, Integer> prefetch = dayWindow.live(budget.prefetchDay(), now);
        TreeSet<Long> buckets = new TreeSet<>(day.keySet());
        buckets.addAll(prefetch.keySet());
        int dayLeft = dayCount;
        int prefetchLeft = prefetched;
        for (long bucket : buckets) {
            dayLeft -= day.getOrDefault(bucket, 0);
            prefetchLeft -= prefetch.getOrDefault(bucket, 0);
            if (2 * dayLeft - prefetchLeft < bulkCeiling) {
                return dayWindow.expiry(bucket);
            }
        }
        return now.plus(DAY_BUCKET);
    }

    /** A new lease id for work of {@code priority}: prefetch's are marked, so its slots can be counted. */
    public String newLeaseId(Priority priority) {
        String id = UUID.randomUUID().toString();
        return priority == Priority.PREFETCH ? PREFETCH_LEASE + id : id;
    }

    private static boolean isPrefetch(String leaseId) {
        return leaseId.startsWith(PREFETCH_LEASE);
    }

    /** Takes a slot under {@code leaseId} and one call of the minute and day windows; call only after {@link #decide} said GO. */
    public TenantBudget take(TenantBudget budget, String leaseId, Instant now) {
        Map<String, Instant> leases = new HashMap<>(heldLeases(budget, now));
        leases.put(leaseId, now.plus(limits.lease()));
        TenantBudget taken = budget.with(leases, minuteWindow.plus(budget.minute(), now, 1), dayWindow.plus(budget.day(), now, 1),
                budget.pausedAt(now) ? budget.pausedUntil() : null, budget.pausedAt(now) ? budget.pauseReason() : null);
        return taken.withPrefetchDay(dayWindow.plus(budget.prefetchDay(), now, isPrefetch(leaseId) ? 1 : 0));
    }

    /** When the lease {@code leaseId} lapses if never given back. */
    public Instant leaseUntil(Instant takenAt) {
        return takenAt.plus(limits.lease());
    }

    /**
     * Gives the slot back, adopts Xero's minute counter where it says more was spent than we
     * counted (another app instance, a lost write): the difference is counted as calls made now;
     * and learns the day limit from Xero's day counter ({@link #learnedDayLimit}).
     */
    public TenantBudget release(TenantBudget budget, String leaseId, Remaining remaining, Instant now) {
        Map<String, Instant> leases = new HashMap<>(heldLeases(budget, now));
        leases.remove(leaseId);
        int minuteUnseen = unseen(limits.perMinute(), remaining.minute(), minuteWindow.count(budget.minute(), now));
        int dayLimit = learnedDayLimit(budget, leaseId, remaining.day(), now);
        return budget.with(leases, minuteWindow.plus(budget.minute(), now, minuteUnseen), dayWindow.plus(budget.day(), now, 0),
                budget.pausedAt(now) ? budget.pausedUntil() : null, budget.pausedAt(now) ? budget.pauseReason() : null)
                .withDayLimit(dayLimit);
    }

    /**
     * The tenant's day limit after Xero answered the call of {@code leaseId} saying {@code dayRemaining} of
     * its day is left (null: it did not say). Xero counts every call our app makes for the tenant and we
     * count each before it is made, so Xero's count is at most ours: the limit is at most what remains plus
     * what we counted. Ours can exceed the count Xero answered with by the calls its answer may not include
     * (those taken since this one, and those still out) and by those of our oldest buckets that Xero's rolling
     * day may already have let go: the limit is at least what remains plus what we counted less those. A
     * limit within these bounds is kept; outside them it moves to the nearer one. The first answer for a
     * tenant on Xero's Starter tier (1,000) thus brings the assumed 5,000 down to 1,000, and bulk work's share
     * of the day with it; a tenant moved to a larger plan has its limit raised by Xero's counter.
     */
    int learnedDayLimit(TenantBudget budget, String leaseId, Integer dayRemaining, Instant now) {
        if (dayRemaining == null) {
            return budget.dayLimit();
        }
        int counted = dayWindow.count(budget.day(), now);
        int highest = Math.max(1, Math.max(0, dayRemaining) + counted);
        Instant lapses = budget.leases().get(leaseId);
        if (lapses == null) {
            // A slot that lapsed long ago: when its answer was made is unknown, so it can only lower the limit.
            return Math.min(highest, budget.dayLimit());
        }
        Instant takenAt = lapses.minus(limits.lease());
        int othersOut = (int) budget.leases().entrySet().stream()
                .filter(l -> !l.getKey().equals(leaseId) && now.isBefore(l.getValue())).count();
        int takenSince = Math.max(0, minuteWindow.countSince(budget.minute(), now, takenAt) - 1);
        int uncertain = othersOut + takenSince + dayWindow.countBeyond(budget.day(), now, XERO_DAY.minus(limits.clockMargin()));
        int lowest = Math.max(1, highest - uncertain);
        int learned = Math.max(lowest, Math.min(highest, budget.dayLimit()));
        // Our count runs ahead of Xero's by calls that never reached it (a refused connection, a timeout before
        // Xero counted the request): a few of those must not raise the limit, or the day's last calls meet a 429.
        // Plans differ by thousands of calls, so a raise within this slack is such noise and is not taken.
        if (learned > budget.dayLimit() && learned - budget.dayLimit() <= raiseSlack(budget.dayLimit())) {
            return budget.dayLimit();
        }
        return learned;
    }

    /** How far Xero's counter must put the limit above the one we hold before we raise it: 1 %, at least 5 calls. */
    static int raiseSlack(int dayLimit) {
        return Math.max(5, dayLimit / 100);
    }

    /**
     * Xero answered 429 with {@code problem} and {@code retryAfter} (null when absent): the wait,
     * and the budget paused for the minute or the day so no instance tries before then.
     */
    public RateLimitedOutcome rateLimited(TenantBudget budget, String problem, Duration retryAfter, Instant now) {
        WaitReason reason = WaitReason.fromProblem(problem);
        Instant until = switch (reason) {
            case MINUTE, APPMINUTE -> now.plus(retryAfter != null ? retryAfter : Duration.ofMinutes(1));
            // Xero's Retry-After for the day is when its oldest call leaves the window; without one, when ours does.
            case DAY -> retryAfter != null ? now.plus(retryAfter)
                    : later(dayWindow.whenAtMost(budget.day(), now, budget.dayLimit() - 1), now.plus(Duration.ofMinutes(15)));
            case CONCURRENT, RESERVE -> now.plus(retryAfter != null ? retryAfter : limits.concurrentWait());
        };
        Decision.Wait wait = new Decision.Wait(until, reason);
        if (reason != WaitReason.MINUTE && reason != WaitReason.DAY) {
            return new RateLimitedOutcome(budget, wait);
        }
        boolean longerThanCurrent = !budget.pausedAt(now) || until.isAfter(budget.pausedUntil());
        TenantBudget paused = longerThanCurrent
                ? budget.with(budget.leases(), budget.minute(), budget.day(), until, reason)
                : budget;
        return new RateLimitedOutcome(paused, wait);
    }

    /** What a 429 did: the budget to store and how long to wait. */
    public record RateLimitedOutcome(TenantBudget budget, Decision.Wait pause) {
    }

    public int minuteRemaining(TenantBudget budget, Instant now) {
        return Math.max(0, limits.perMinute() - minuteWindow.count(budget.minute(), now));
    }

    public int dayRemaining(TenantBudget budget, Instant now) {
        return Math.max(0, budget.dayLimit() - dayWindow.count(budget.day(), now));
    }

    private Map<String, Instant> heldLeases(TenantBudget budget, Instant now) {
        Map<String, Instant> held = new HashMap<>();
        budget.leases().forEach((id, until) -> {
            if (now.isBefore(until)) {
                held.put(id, until);
            }
        });
        return held;
    }

    private static int unseen(int limit, Integer xeroRemaining, int counted) {
        if (xeroRemaining == null) {
            return 0;
        }
        return Math.max(0, limit - xeroRemaining - counted);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
