package org.lrm.xero.app.resync;

import java.util.List;

/** An organisation's latest re-syncs, newest first, each as it stands now (state, progress, ETA). */
public final class RecentResyncs {

    /** Jobs are kept 90 days: a nightly run a day and the admins' ranges; a page of them is enough to show. */
    public static final int MAX = 50;

    private final ResyncHistory history;
    private final ResyncProgress progress;

    public RecentResyncs(ResyncHistory history, ResyncProgress progress) {
        this.history = history;
        this.progress = progress;
    }

    public List<ResyncProgress.View> of(String orgId, int limit) {
        return history.recent(orgId, Math.max(1, Math.min(limit, MAX))).stream().map(progress::view).toList();
    }
}
