package org.lrm.xero.app.resync;

import java.time.Clock;
import java.util.List;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.connection.RefreshIdleToken;
import org.lrm.xero.app.connection.XeroTokens;
import org.lrm.xero.app.invoice.PollWatermarks;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkQueue;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.JsonLog;

/**
 * The nightly run: each idle connection's token refresh queued ({@link RefreshIdleToken}) (a refresh token unused for 60 days
 * dies), revocations Xero did not confirm at disconnect tried again, and for each connected
 * organisation a nightly job queued: what changed in Xero since the last night's run, read again. It
 * catches what a lost webhook and the transaction poll's watermark missed. The run itself calls Xero
 * only for the rare pending revocation: each organisation's refresh and job run on their own in the
 * workers, so one failing or slow stops no other and one run covers any number of organisations.
 */
public final class NightlySync {

    private static final JsonLog LOG = JsonLog.forClass(NightlySync.class);

    private final ConnectionStore connections;
    private final XeroTokens tokens;
    private final StartResync start;
    private final PollWatermarks watermarks;
    private final WorkQueue scheduledWork;
    private final Clock clock;

    public NightlySync(ConnectionStore connections, XeroTokens tokens, StartResync start, PollWatermarks watermarks,
            WorkQueue scheduledWork, Clock clock) {
        this.connections = connections;
        this.tokens = tokens;
        this.start = start;
        this.watermarks = watermarks;
        this.scheduledWork = scheduledWork;
        this.clock = clock;
    }

    /** @return the organisations whose nightly job was queued */
    public int run() {
        List<WorkMessage> refreshes = tokens.idleConnections(clock.instant()).stream()
                .map(c -> WorkMessage.of(RefreshIdleToken.KIND, c.orgId(), c.tenantId(), Priority.BULK, null)).toList();
        scheduledWork.send(refreshes);
        int revoked = tokens.retryRevocations();
        int queued = 0;
        for (ConnectionRecord connection : connections.usableConnections()) {
            try {
                var since = watermarks.watermark(connection.orgId(), ResyncSteps.NIGHTLY_WATERMARK)
                        .orElse(connection.connectedAt());
                if (start.nightly(connection, since).isPresent()) {
                    queued++;
                }
            } catch (RuntimeException e) {
                LOG.error("nightly.failed", e, "orgId", connection.orgId(), "tenantId", connection.tenantId());
            }
        }
        LOG.info("nightly.queued", "organisations", queued, "idleConnectionsQueued", refreshes.size(),
                "revocationsConfirmed", revoked);
        return queued;
    }
}
