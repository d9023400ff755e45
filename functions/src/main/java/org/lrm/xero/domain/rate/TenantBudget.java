package org.lrm.xero.domain.rate;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one Xero tenant's budget has used, as stored between calls: the concurrency slots held
 * (lease id to when the lease lapses), calls per bucket of the minute and day windows, and a
 * pause Xero imposed with a 429. Immutable; {@link RatePolicy} derives the next state.
 *
 * @param dayLimit this tenant's calls per day, as learned from Xero's counters ({@link RatePolicy#release})
 * @param pausedUntil null unless Xero answered 429 for the minute or the day
 * @param pauseReason why {@code pausedUntil} is set
 */
public record TenantBudget(int dayLimit, Map<String, Instant> leases, SortedMap<Long, Integer> minute,
        SortedMap<Long, Integer> day, Instant pausedUntil, WaitReason pauseReason) {

    public TenantBudget {
        leases = Map.copyOf(leases);
        minute = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(minute));
        day = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(day));
        if ((pausedUntil == null) != (pauseReason == null)) {
            throw new IllegalArgumentException("pausedUntil and pauseReason go together");
        }
    }

    /** A tenant nothing has been spent for yet. */
    public static TenantBudget fresh(int dayLimit) {
        return new TenantBudget(dayLimit, Map.of(), new TreeMap<>(), new TreeMap<>(), null, null);
    }

    public TenantBudget withDayLimit(int newDayLimit) {
        return new TenantBudget(newDayLimit, leases, minute, day, pausedUntil, pauseReason);
    }

    TenantBudget with(Map<String, Instant> newLeases, SortedMap<Long, Integer> newMinute, SortedMap<Long, Integer> newDay,
            Instant newPausedUntil, WaitReason newPauseReason) {
        return new TenantBudget(dayLimit, newLeases, newMinute, newDay, newPausedUntil, newPauseReason);
    }

    boolean pausedAt(Instant now) {
        return pausedUntil != null && now.isBefore(pausedUntil);
    }
}
