package org.lrm.xero.app.learner;

import org.lrm.xero.domain.learner.SyncState;

/** Staff's list of the organisation's learners with where each stands with Xero, a page at a time. */
public final class LearnerList {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private final LearnerDirectory directory;

    public LearnerList(LearnerDirectory directory) {
        this.directory = directory;
    }

    /** @param state only learners in this state, or all when null */
    public LearnerDirectory.Page page(String orgId, SyncState state, String afterLearnerId, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is not within 1.." + MAX_LIMIT);
        }
        return directory.page(orgId, state, afterLearnerId, limit);
    }
}
