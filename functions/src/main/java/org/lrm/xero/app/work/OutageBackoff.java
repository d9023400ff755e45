package org.lrm.xero.app.work;

import java.time.Duration;
import java.time.Instant;

/**
 * How work waits while Xero fails (5xx answers, timeouts, the token endpoint down): exponentially
 * longer after each failure in a row, from {@code first} up to {@code longest}, with jitter so that
 * the work of an outage does not come back all at once, for at most {@code giveUpAfter} from the
 * first failure; then the work is dead-lettered with the reason. The wait is the deferral that waits
 * for budget ({@link DeferralPolicy}), not SQS's receive count: an outage of hours costs time, not data.
 *
 * @param first the wait after the first failure
 * @param longest the longest single wait (a recovered Xero is noticed within this)
 * @param giveUpAfter how long work keeps trying after Xero first failed it
 */
public record OutageBackoff(Duration first, Duration longest, Duration giveUpAfter) {

    /** 30 s, doubling to 30 minutes, for 24 hours: Xero's status history has outages of hours. */
    public static OutageBackoff standard() {
        return new OutageBackoff(Duration.ofSeconds(30), Duration.ofMinutes(30), Duration.ofHours(24));
    }

    /**
     * The wait after the {@code failures}-th failure in a row: {@code first × 2^(failures-1)}, at most
     * {@code longest}, of which the upper half is jittered ("equal jitter": never shorter than half).
     *
     * @param jitter uniform in [0, 1)
     */
    public Duration waitAfter(int failures, double jitter) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        long base = Math.min(longest.toMillis(), first.toMillis() << doublings);
        return Duration.ofMillis(base / 2 + (long) (base / 2.0 * jitter));
    }

    /** Whether work Xero has failed since {@code since} has tried long enough at {@code now}. */
    public boolean givesUp(Instant since, Instant now) {
        return since != null && !now.isBefore(since.plus(giveUpAfter));
    }
}
