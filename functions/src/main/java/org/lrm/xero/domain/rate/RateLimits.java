package org.lrm.xero.domain.rate;

import java.time.Duration;
import java.util.Objects;

/**
 * Xero's limits for one app and what we add to stay inside them.
 *
 * @param concurrent calls at once per tenant (Xero: 5)
 * @param perMinute calls per rolling minute per tenant (Xero: 60)
 * @param defaultDayLimit calls per rolling day assumed for a tenant until Xero's counters say otherwise (Xero: 5,000; its Starter tier 1,000)
 * @param appPerMinute calls per rolling minute of the app over every tenant (Xero: 10,000)
 * @param bulkDayReservePercent the end of the day budget that only interactive work may use
 * @param lease how long a concurrency slot stays taken if its holder never gives it back (crashed Lambda);
 *     longer than the Xero client's timeout, or a slow call could be overtaken
 * @param concurrentWait how long to wait for a slot when all are taken
 * @param clockMargin added to Xero's windows: our clocks and Xero's are not the same clock
 */
public record RateLimits(int concurrent, int perMinute, int defaultDayLimit, int appPerMinute, int bulkDayReservePercent,
        Duration lease, Duration concurrentWait, Duration clockMargin) {

    public RateLimits {
        if (concurrent < 1 || perMinute < 1 || defaultDayLimit < 1 || appPerMinute < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (bulkDayReservePercent < 0 || bulkDayReservePercent > 100) {
            throw new IllegalArgumentException("bulkDayReservePercent must be 0..100, was " + bulkDayReservePercent);
        }
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(concurrentWait, "concurrentWait");
        Objects.requireNonNull(clockMargin, "clockMargin");
    }

    /** Xero's published limits, with the given reserve for interactive work. */
    public static RateLimits xero(int bulkDayReservePercent) {
        return new RateLimits(5, 60, 5_000, 10_000, bulkDayReservePercent, Duration.ofSeconds(90), Duration.ofSeconds(2),
                Duration.ofSeconds(1));
    }

    /** Day calls bulk work may use of {@code dayLimit}: all but the reserved percentage (rounded in the reserve's favour). */
    public int bulkDayCeiling(int dayLimit) {
        int reserve = (int) Math.ceil(dayLimit * (bulkDayReservePercent / 100.0));
        return Math.max(0, dayLimit - reserve);
    }
}
