package org.lrm.xero.domain.rate;

import java.time.Duration;
import java.time.Instant;

/**
 * The app's calls per minute over every tenant (Xero: 10,000), shared by every Lambda of the
 * integration. It is counted in fixed buckets, each with a cap, so taking a call is one
 * conditional increment of one counter and never a read of every tenant. Any rolling minute
 * (plus the clock margin) overlaps at most {@link #bucketsPerWindow()} buckets, so the caps
 * together never exceed Xero's limit.
 *
 * <p>Each bucket is split into {@link #shards()} counters of {@link #shardCap()} calls each, and a call
 * takes one of them at random: at Xero's 10,000 calls a minute (167 a second) one counter would be
 * written by every call of every tenant, and concurrent transactions on one item cancel each other.
 * Split in 32, each counter sees about 5 writes a second. The shards' caps together are at most the
 * bucket's cap, so the split never lets more through; it can let a little less through when the
 * shards a taker tries are full while others still have room ({@link #fullShardsBeforeWaiting()}).
 */
public record AppMinuteWindow(int appPerMinute, Duration bucket, Duration clockMargin, int shards) {

    /** Counters per bucket at Xero's limit: about 5 writes a second each at 10,000 calls a minute. */
    public static final int SHARDS = 32;

    public AppMinuteWindow {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, was " + shards);
        }
    }

    public static AppMinuteWindow of(RateLimits limits) {
        return new AppMinuteWindow(limits.appPerMinute(), Duration.ofSeconds(10), limits.clockMargin(), SHARDS);
    }

    public int bucketsPerWindow() {
        long windowSeconds = Duration.ofMinutes(1).plus(clockMargin).toSeconds();
        return (int) ((windowSeconds + bucket.toSeconds() - 1) / bucket.toSeconds()) + 1;
    }

    /** Calls the app may make within one bucket. */
    public int cap() {
        return Math.max(1, appPerMinute / bucketsPerWindow());
    }

    /** The counters a bucket is split into: never more than its cap, so each may take at least one call. */
    public int shardCount() {
        return Math.min(shards, cap());
    }

    /** Calls one counter of a bucket may take. */
    public int shardCap() {
        return cap() / shardCount();
    }

    /** A taker that found this many counters full in a row waits for the next bucket: the bucket is (nearly) spent. */
    public int fullShardsBeforeWaiting() {
        return Math.min(4, shardCount());
    }

    public long bucketOf(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), bucket.toSeconds()) * bucket.toSeconds();
    }

    public Instant nextBucket(Instant now) {
        return Instant.ofEpochSecond(bucketOf(now)).plus(bucket);
    }

    /**
     * The count a counter of the current bucket must at least have when Xero says only
     * {@code xeroRemaining} app calls remain, so that no more than that are taken in the bucket:
     * each counter keeps its share of what remains.
     */
    public int shardCountAfterXeroSays(int xeroRemaining) {
        int share = Math.max(0, xeroRemaining) / shardCount();
        return shardCap() - Math.min(shardCap(), share);
    }
}
