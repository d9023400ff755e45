package org.lrm.xero.domain.invoice;

import java.time.Duration;

/**
 * How soon an organisation's transaction poll comes again, from what its polls and webhooks saw.
 * Finance at work in Xero (a poll that found a change, a webhook) keeps it at {@link #ACTIVE} for
 * {@link #ATTENTIVE_POLLS} empty polls; then each empty poll doubles the wait, up to {@link #IDLE}.
 * With the schedule running every minute, a payment waits at most ACTIVE plus a minute while
 * finance is active, and IDLE plus a minute when the organisation was idle (both before the invoice
 * worker's few seconds); an idle organisation costs a day {@code 1,440 / 51} polls of
 * three calls each: about 85 calls.
 *
 * <p>An organisation with a smaller Xero day than the standard 5,000 (Xero's Starter tier: 1,000)
 * waits proportionally longer while active, never longer than IDLE, so that polling keeps about
 * the same share of its day.
 */
public final class PollCadence {

    /** The wait while finance is at work in Xero. */
    public static final Duration ACTIVE = Duration.ofMinutes(3);
    /** The longest wait, once nothing has happened for a while: a payment then waits at most this, plus a minute. */
    public static final Duration IDLE = Duration.ofMinutes(50);
    /** Empty polls after a change that still come at {@link #ACTIVE} (a quarter of an hour's attention). */
    public static final int ATTENTIVE_POLLS = 4;
    /** Xero's standard day, on which the waits above hold as they are. */
    public static final int STANDARD_DAY = 5_000;

    private PollCadence() {
    }

    /**
     * @param emptyPolls polls in a row that found nothing new since the last change (0: a change was just seen)
     * @param dayLimit the organisation's Xero day as its budget learned it
     */
    public static Duration after(int emptyPolls, int dayLimit) {
        Duration wait = ACTIVE;
        for (int doubled = ATTENTIVE_POLLS; doubled <= emptyPolls && wait.compareTo(IDLE) < 0; doubled++) {
            wait = wait.multipliedBy(2);
        }
        if (dayLimit > 0 && dayLimit < STANDARD_DAY) {
            wait = wait.multipliedBy(STANDARD_DAY).dividedBy(dayLimit);
        }
        return wait.compareTo(IDLE) > 0 ? IDLE : wait;
    }
}
