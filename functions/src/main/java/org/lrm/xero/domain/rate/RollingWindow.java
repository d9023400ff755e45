package org.lrm.xero.domain.rate;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A rolling window (Xero counts calls over the last 60 seconds and the last 24 hours, not per
 * calendar minute or day) kept as counts per bucket of time. A bucket counts for as long as any
 * call in it could still be inside the window, so the count is never below Xero's: at worst a
 * bucket's calls are counted up to one bucket longer than Xero counts them.
 *
 * @param length the window's length (Xero's, plus a margin for clock differences)
 * @param bucket how finely calls are grouped; a whole number of seconds
 */
public record RollingWindow(Duration length, Duration bucket) {

    public RollingWindow {
        if (bucket.toSeconds() < 1 || bucket.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("bucket must be whole seconds: " + bucket);
        }
    }

    /** The start (epoch second) of the bucket holding {@code t}. */
    public long bucketOf(Instant t) {
        long size = bucket.toSeconds();
        return Math.floorDiv(t.getEpochSecond(), size) * size;
    }

    /** When every call of the bucket starting at {@code bucketStart} has left the window. */
    public Instant expiry(long bucketStart) {
        return Instant.ofEpochSecond(bucketStart).plus(bucket).plus(length);
    }

    /** The buckets still counting at {@code now}. */
    public SortedMap<Long, Integer> live(Map<Long, Integer> buckets, Instant now) {
        TreeMap<Long, Integer> live = new TreeMap<>();
        buckets.forEach((start, count) -> {
            if (count > 0 && now.isBefore(expiry(start))) {
                live.put(start, count);
            }
        });
        return Collections.unmodifiableSortedMap(live);
    }

    public int count(Map<Long, Integer> buckets, Instant now) {
        return live(buckets, now).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** {@code buckets} with {@code n} more calls at {@code now}, dropping buckets that no longer count. */
    public SortedMap<Long, Integer> plus(Map<Long, Integer> buckets, Instant now, int n) {
        TreeMap<Long, Integer> next = new TreeMap<>(live(buckets, now));
        if (n > 0) {
            next.merge(bucketOf(now), n, Integer::sum);
        }
        return Collections.unmodifiableSortedMap(next);
    }

    /**
     * The calls we still count that a window of {@code theirs} (shorter than ours: Xero's own, without our
     * margin) may already have let go: those of the buckets that began at least {@code theirs} ago.
     */
    public int countBeyond(Map<Long, Integer> buckets, Instant now, Duration theirs) {
        long oldest = now.minus(theirs).getEpochSecond();
        return live(buckets, now).entrySet().stream().filter(b -> b.getKey() <= oldest).mapToInt(Map.Entry::getValue).sum();
    }

    /** The calls counted in the bucket holding {@code from} and every later one. */
    public int countSince(Map<Long, Integer> buckets, Instant now, Instant from) {
        long first = bucketOf(from);
        return live(buckets, now).entrySet().stream().filter(b -> b.getKey() >= first).mapToInt(Map.Entry::getValue).sum();
    }

    /** The earliest instant from {@code now} on at which at most {@code target} calls still count. */
    public Instant whenAtMost(Map<Long, Integer> buckets, Instant now, int target) {
        SortedMap<Long, Integer> live = live(buckets, now);
        int count = live.values().stream().mapToInt(Integer::intValue).sum();
        Instant at = now;
        for (Map.Entry<Long, Integer> oldest : live.entrySet()) {
            if (count <= target) {
                break;
            }
            count -= oldest.getValue();
            at = expiry(oldest.getKey());
        }
        return at;
    }
}
