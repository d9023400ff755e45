package org.lrm.xero.app.resync;

import java.time.Clock;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.connection.XeroTokens;
import org.lrm.xero.app.invoice.PollWatermarks;
import org.lrm.xero.support.JsonLog;

/**
 * The nightly run: idle connections' tokens refreshed (a refresh token unused for 60 days dies),
 * revocations Xero did not confirm at disconnect tried again, and for each connected organisation a nightly job queued: what changed in Xero since the last
 * night's run, read again. It catches what a lost webhook and the transaction poll's watermark
 * missed. Each organisation's job runs on its own, so one failing stops no other.
 */
public final class NightlySync {

    private static final JsonLog LOG = JsonLog.forClass(NightlySync.class);

    private final ConnectionStore connections;
    private final XeroTokens tokens;
    private final StartResync start;
    private final PollWatermarks watermarks;
    private final Clock clock;

    public NightlySync(ConnectionStore connections, XeroTokens tokens, StartResync start, PollWatermarks watermarks,
            Clock clock) {
        this.connections = connections;
        this.tokens = tokens;
        this.start = start;
        this.watermarks = watermarks;
        this.clock = clock;
    }

    /** @return the organisations whose nightly job was queued */
    public int run() {
        int refreshed = tokens.refreshIdleConnections(clock.instant());
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
        LOG.info("nightly.queued", "organisations", queued, "idleConnectionsRefreshed", refreshed,
                "revocationsConfirmed", revoked);
        return queued;
    }
}
