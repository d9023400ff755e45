package org.lrm.xero.app.learner;

import java.util.List;
import org.lrm.xero.domain.learner.SyncState;

/** An organisation's learners, page by page in learner id order: the list staff browse. */
public interface LearnerDirectory {

    /**
     * @param learners the page, at most the limit asked for
     * @param more whether learners follow the page's last one
     */
    record Page(List<LearnerRecord> learners, boolean more) {
    }

    /**
     * Learners after {@code afterLearnerId} (from the first when null), only those in {@code state}
     * when it is given, at most {@code limit}.
     */
    Page page(String orgId, SyncState state, String afterLearnerId, int limit);

    /** How many of the organisation's learners are {@link SyncState#FAILED}: what operators watch. */
    int failedCount(String orgId);
}
