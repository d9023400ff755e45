package org.lrm.xero.app.work;

import java.time.Instant;

/**
 * A message in a work queue's dead-letter queue, as an operator looks at it.
 *
 * @param queue the work queue it came from ({@link ReplayRequest#QUEUES})
 * @param messageId SQS's id of the dead letter
 * @param orgId the organisation it is for; {@code unknown} when the worker could not read the message
 * @param kind what it asked for (e.g. {@code learner-sync}); {@code unknown} likewise
 * @param reason why it was dead-lettered, as the worker recorded it, or {@link #NO_REASON}
 * @param sentAt when SQS took it: into the dead-letter queue when the worker put it there, into its
 *               work queue when SQS moved it there itself
 * @param receiveCount how often SQS has handed it out, this look included
 * @param message the work message it carries; null when its body is not one
 */
public record DeadLetter(String queue, String messageId, String orgId, String kind, String reason, Instant sentAt,
        int receiveCount, WorkMessage message) {

    /**
     * The reason of a dead letter the worker did not put there: the worker records a reason with
     * every message it dead-letters, so SQS moved this one itself, after the queue's receive limit.
     */
    public static final String NO_REASON = "none recorded: SQS moved it after the queue's receive limit "
            + "(the function failed or timed out on each receive)";

    public DeadLetter {
        reason = reason == null || reason.isBlank() ? NO_REASON : reason;
    }
}
