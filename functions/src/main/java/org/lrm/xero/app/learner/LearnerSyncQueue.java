package org.lrm.xero.app.learner;

import java.util.List;
import org.lrm.xero.domain.rate.Priority;

/** Where learner syncs wait for the learner-sync worker. */
public interface LearnerSyncQueue {

    /**
     * Queues the learners for a push to Xero, in messages of at most 50 learners (one Xero batch), as one
     * new attempt ({@link LearnerSyncRequest#newAttempt}): Xero's answer to an earlier attempt is not
     * replayed to it.
     *
     * @param force push even when Xero already holds the learner's details (Manual Sync)
     * @param jobId the bulk job the learners belong to, or null
     */
    void enqueue(String orgId, List<String> learnerIds, Priority priority, boolean force, String jobId);
}
