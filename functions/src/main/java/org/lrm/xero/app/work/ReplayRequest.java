package org.lrm.xero.app.work;

import java.util.Set;

/**
 * Which dead letters to send back to their queue.
 *
 * @param queue learner-sync, invoice-events, resync-pages or pdf-fetch
 * @param orgId only this organisation's messages; null for all
 * @param kind only messages of this kind; null for all
 * @param dryRun count what would move, move nothing
 * @param max at most this many messages matched
 */
public record ReplayRequest(String queue, String orgId, String kind, Boolean dryRun, Integer max) {

    public static final Set<String> QUEUES = Set.of("learner-sync", "invoice-events", "resync-pages", "pdf-fetch");
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

    public boolean matches(String messageOrgId, String messageKind) {
        return (orgId == null || orgId.equals(messageOrgId)) && (kind == null || kind.equals(messageKind));
    }
}
