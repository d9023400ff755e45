package org.lrm.xero.app.invoice;

import java.time.Instant;

/**
 * When an organisation's transaction poll is due, and what decides it.
 *
 * @param nextPollAt when the next poll is due (null: never polled, due now)
 * @param claimedUntil a run of the schedule queued a poll that has not finished: no other is queued before
 *        this, unless it passed (the message was lost or dead-lettered)
 * @param emptyPolls polls in a row that found nothing new since finance last changed something
 * @param lastActivityAt when a poll or a webhook last showed finance at work in Xero (null: never)
 * @param lastPolledAt when the last poll finished (null: never)
 */
public record PollPlan(String orgId, Instant nextPollAt, Instant claimedUntil, int emptyPolls, Instant lastActivityAt,
        Instant lastPolledAt) {

    /** A poll is due and none is on its way. */
    public boolean due(Instant now) {
        return (nextPollAt == null || !nextPollAt.isAfter(now)) && (claimedUntil == null || !claimedUntil.isAfter(now));
    }
}
