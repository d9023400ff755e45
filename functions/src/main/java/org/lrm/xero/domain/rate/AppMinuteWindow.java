package org.lrm.xero.domain.rate;

import java.time.Duration;
import java.time.Instant;

/**
 * The app's calls per minute over every tenant (Xero: 10,000), shared by every Lambda of the
 * integration. It is counted in fixed buckets, each with a cap, so taking a call is one
 * conditional increment of one counter and never a read of every tenant. Any rolling minute
 * (plus the clock margin) overlaps at most {@link #bucketsPerWindow()} buckets, so the caps
 * together never exceed Xero's limit.
 */
public record AppMinuteWindow(int appPerMinute, Duration bucket, Duration clockMargin) {

    public static AppMinuteWindow of(RateLimits limits) {
        return new AppMinuteWindow(limits.appPerMinute(), Duration.ofSeconds(10), limits.clockMargin());
    }

    public int bucketsPerWindow() {
        long windowSeconds = Duration.ofMinutes(1).plus(clockMargin).toSeconds();
        return (int) ((windowSeconds + bucket.toSeconds() - 1) / bucket.toSeconds()) + 1;
    }

    /** Calls the app may make within one bucket. */
    public int cap() {
        return Math.max(1, appPerMinute / bucketsPerWindow());
    }

    public long bucketOf(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), bucket.toSeconds()) * bucket.toSeconds();
    }

    public Instant nextBucket(Instant now) {
        return Instant.ofEpochSecond(bucketOf(now)).plus(bucket);
    }

    /**
     * The count the current bucket must at least have when Xero says only {@code xeroRemaining}
     * app calls remain, so no more than that are taken in it.
     */
    public int countAfterXeroSays(int xeroRemaining) {
        return cap() - Math.min(cap(), Math.max(0, xeroRemaining));
    }
}
