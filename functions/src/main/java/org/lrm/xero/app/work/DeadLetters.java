package org.lrm.xero.app.work;

import java.util.List;

/**
 * The work queues' dead-letter queues, by the name of their work queue ({@link ReplayRequest#QUEUES}):
 * read without taking anything, or sent back to their work queue.
 */
public interface DeadLetters {

    /**
     * @param letters the dead letters the filter selected, oldest first
     * @param complete true when the whole queue was read, false when it holds more than the look read
     */
    record Listing(List<DeadLetter> letters, boolean complete) {
    }

    /**
     * @param counts what matched, moved and was left
     * @param moved the dead letters sent back (none in a dry run)
     */
    record Replayed(ReplayCounts counts, List<DeadLetter> moved) {
    }

    /**
     * The dead letters of {@code queue} that the filter selects, reading at most {@code max}: each
     * is left in the dead-letter queue as it was (SQS only counts one more receive of it).
     */
    Listing read(String queue, DeadLetterFilter filter, int max);

    /** Sends the dead letters the request selects back to their work queue; in a dry run only counts them. */
    Replayed moveBack(ReplayRequest request);
}
