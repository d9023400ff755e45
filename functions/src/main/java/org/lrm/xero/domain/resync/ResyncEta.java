package org.lrm.xero.domain.resync;

import java.time.Duration;
import java.time.Instant;

/**
 * When a re-sync should end: its Xero calls left, spent as the organisation's budget allows.
 * What is left of this minute goes at once, the rest at the minute rate; calls beyond what is left
 * of the day wait for Xero's rolling day. Each call also carries its share of our own work
 * (storing up to a thousand invoices).
 */
public final class ResyncEta {

    /** Our work per Xero call: a page of up to 1,000 invoices stored and logged. */
    static final Duration WORK_PER_CALL = Duration.ofSeconds(10);
    private static final Duration DAY = Duration.ofHours(24);

    private ResyncEta() {
    }

    /**
     * @param resumesAt when bulk work may call again, null if it may now
     * @param perMinute the tenant's calls per minute (Xero: 60)
     */
    public static Instant estimate(int callsLeft, int minuteRemaining, int dayRemaining, Instant resumesAt, Instant now,
            int perMinute) {
        Instant start = resumesAt != null && resumesAt.isAfter(now) ? resumesAt : now;
        if (callsLeft <= 0) {
            return start;
        }
        Duration wait;
        if (callsLeft <= dayRemaining) {
            int afterThisMinute = Math.max(0, callsLeft - Math.max(0, minuteRemaining));
            wait = minutes(afterThisMinute, perMinute);
        } else {
            wait = DAY.plus(minutes(callsLeft - Math.max(0, dayRemaining), perMinute));
        }
        return start.plus(wait).plus(WORK_PER_CALL.multipliedBy(callsLeft));
    }

    private static Duration minutes(int calls, int perMinute) {
        return Duration.ofMinutes((calls + perMinute - 1) / perMinute);
    }
}
