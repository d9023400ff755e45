package org.lrm.xero.app.work;

import java.time.Duration;

/**
 * How a message waits in SQS. A short wait while the message has receives to spare: its
 * visibility is extended (it stays the same message). Otherwise a copy is sent with a delay
 * (at most SQS's 15 minutes; a longer wait is carried in the copy's {@code notBefore}) and the
 * original deleted, so waiting never spends the receives that send a message to the DLQ.
 * Waits get up to a tenth (at most a minute, plus a second) of jitter, so waiting messages do not
 * return together; a minute spreads a whole parked day's work (60 calls a minute) enough.
 *
 * @param shortWaitLimit longest wait spent invisible rather than as a delayed copy
 * @param maxDelay longest SQS delay of a copy (SQS: 15 minutes)
 * @param spareReceives receives kept unspent below the queue's maxReceiveCount for real failures
 */
public record DeferralPolicy(Duration shortWaitLimit, Duration maxDelay, int spareReceives) {

    private static final Duration MAX_SPREAD = Duration.ofMinutes(1);

    /** SQS's longest visibility timeout. */
    static final long MAX_VISIBILITY_SECONDS = 43_200;

    public static DeferralPolicy standard() {
        return new DeferralPolicy(Duration.ofMinutes(15), Duration.ofMinutes(15), 3);
    }

    public sealed interface Plan {
        /** Jittered wait, whatever the way. */
        Duration waitFor();
    }

    /** Keep the message invisible for {@code seconds}. */
    public record ExtendVisibility(int seconds, Duration waitFor) implements Plan {
    }

    /** Re-send with {@code delaySeconds} and {@code notBefore} = now + {@code waitFor}; delete the original. */
    public record Resend(int delaySeconds, Duration waitFor) implements Plan {
    }

    /**
     * A copy re-sent to wait {@code wait} exactly (already jittered by the caller): for work whose message
     * carries what it learned while waiting (a back-off's count, when it began to wait).
     */
    public Resend resend(Duration wait) {
        Duration base = wait.isNegative() ? Duration.ZERO : wait;
        long seconds = Math.max(1, (base.toMillis() + 999) / 1000);
        return new Resend((int) Math.min(seconds, maxDelay.toSeconds()), base);
    }

    /**
     * @param jitter uniform in [0, 1)
     */
    public Plan plan(Duration wait, int receiveCount, int maxReceiveCount, double jitter) {
        Duration base = wait.isNegative() ? Duration.ZERO : wait;
        double spreadMillis = Math.min(base.toMillis() / 10.0, MAX_SPREAD.toMillis()) + 1_000;
        Duration jittered = base.plus(Duration.ofMillis((long) (spreadMillis * jitter)));
        long seconds = Math.max(1, (jittered.toMillis() + 999) / 1000);
        boolean receivesToSpare = receiveCount <= maxReceiveCount - spareReceives;
        if (receivesToSpare && jittered.compareTo(shortWaitLimit) <= 0 && seconds <= MAX_VISIBILITY_SECONDS) {
            return new ExtendVisibility((int) seconds, jittered);
        }
        return new Resend((int) Math.min(seconds, maxDelay.toSeconds()), jittered);
    }
}
