package org.lrm.xero.bench.coldstart;

import java.time.Instant;

/**
 * The clock a probe stamps its answer with and the benchmark times restores by. The wall clock, not
 * {@code nanoTime}: CRIU restores a process into a time namespace that carries its monotonic clock
 * on from the dump, so only the wall clock is shared with the benchmark.
 */
public final class WallClock {

    private WallClock() {
    }

    public static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
