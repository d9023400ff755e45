package org.lrm.xero.app.work;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which dead letters to send back to their queue.
 *
 * @param queue learner-sync, invoice-events, resync-pages or pdf-fetch
 * @param orgId only this organisation's messages; null for all
 * @param kind only messages of this kind; null for all
 * @param reason only messages whose reason contains these words ({@link DeadLetterFilter}); null for all
 * @param dryRun count what would move, move nothing
 * @param max at most this many messages matched
 */
public record ReplayRequest(String queue, String orgId, String kind, String reason, Boolean dryRun, Integer max) {

    /** The work queues that have a dead-letter queue, in the order operators see them. */
    public static final Set<String> QUEUES = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of("learner-sync", "invoice-events", "resync-pages", "pdf-fetch")));
    private static final int DEFAULT_MAX = 1_000;

    public ReplayRequest {
        if (queue == null || !QUEUES.contains(queue)) {
            throw new IllegalArgumentException("queue must be one of " + QUEUES + ", was " + queue);
        }
        dryRun = dryRun == null || dryRun;
        max = max == null ? DEFAULT_MAX : max;
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, was " + max);
        }
    }

    /** The dead letters this request selects, whatever their queue. */
    public DeadLetterFilter filter() {
        return new DeadLetterFilter(orgId, kind, reason);
    }
}
