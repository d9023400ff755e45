package org.lrm.xero.app.connection;

import java.time.Clock;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.support.JsonLog;

/**
 * One idle connection's token refresh, as the nightly run queues it on the scheduled-work queue: a
 * refresh token unused for 60 days dies, so a connection nobody used lately is refreshed before then.
 * Its own use case so that the scheduled-work worker builds only the token side, not the nightly run.
 */
public final class RefreshIdleToken {

    /** The work message kind of one organisation's idle token refresh. */
    public static final String KIND = "token-refresh";

    private static final JsonLog LOG = JsonLog.forClass(RefreshIdleToken.class);

    private final XeroTokens tokens;
    private final Clock clock;

    public RefreshIdleToken(XeroTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Refreshes the organisation's tokens unless they were used or refreshed since the run queued this. */
    public WorkOutcome refreshQueued(Work work) {
        boolean refreshed = tokens.refreshIdle(work.message().orgId(), clock.instant());
        LOG.info("nightly.tokenRefresh", "orgId", work.message().orgId(), "tenantId", work.message().tenantId(),
                "refreshed", refreshed);
        return WorkOutcome.DONE;
    }
}
