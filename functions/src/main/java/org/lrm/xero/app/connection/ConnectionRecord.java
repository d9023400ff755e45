package org.lrm.xero.app.connection;

import java.time.Instant;
import java.util.List;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.connection.XeroScopes;

/**
 * An organisation's connection to one Xero organisation (tenant), as stored. Holds no token:
 * {@code tokenVersion} only names the vault version the last refresh wrote.
 *
 * @param xeroConnectionId Xero's id of the connection (for {@code DELETE /connections/{id}})
 * @param lastRefreshAt when tokens were last obtained (connect or refresh): idle connections are refreshed
 * @param xeroFailingSince since when Xero has failed the organisation's calls (5xx, timeouts, the token endpoint
 *                         down) without answering once; null while Xero answers
 * @param lastXeroError the latest of those failures, in Xero's or the client's words (never a token)
 */
public record ConnectionRecord(
        String orgId,
        ConnectionStatus status,
        String tenantId,
        String tenantName,
        String xeroConnectionId,
        List<String> scopes,
        List<String> missingScopes,
        Instant connectedAt,
        String connectedBy,
        String lastError,
        Instant lastErrorAt,
        Instant lastRefreshAt,
        String tokenVersion,
        Integer minuteRemaining,
        Integer dayRemaining,
        Instant budgetAt,
        Instant xeroFailingSince,
        String lastXeroError) {

    public ConnectionRecord {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        missingScopes = missingScopes == null ? List.of() : List.copyOf(missingScopes);
    }

    /** A connection Xero is answering. */
    public ConnectionRecord(String orgId, ConnectionStatus status, String tenantId, String tenantName,
            String xeroConnectionId, List<String> scopes, List<String> missingScopes, Instant connectedAt,
            String connectedBy, String lastError, Instant lastErrorAt, Instant lastRefreshAt, String tokenVersion,
            Integer minuteRemaining, Integer dayRemaining, Instant budgetAt) {
        this(orgId, status, tenantId, tenantName, xeroConnectionId, scopes, missingScopes, connectedAt, connectedBy,
                lastError, lastErrorAt, lastRefreshAt, tokenVersion, minuteRemaining, dayRemaining, budgetAt, null, null);
    }

    /** Xero may be called for the organisation: it is connected, and no admin has to connect it again. */
    public boolean usable() {
        return status == ConnectionStatus.CONNECTED;
    }

    /**
     * Work that needs {@code need} may call Xero: the grant has its scope.
     *
     * @throws ScopeMissing when the connection lacks it (the work waits for an admin to grant it)
     */
    public void requireScope(XeroScopes.Need need) {
        if (need.blockedBy(missingScopes)) {
            throw new ScopeMissing(orgId, need, "the connection lacks " + String.join(", ", missingScopes));
        }
    }

    /**
     * Work for the organisation is kept, not dropped: Xero may be called now, or once an admin has
     * connected it again (NEEDS_RECONNECT); only a disconnected organisation's work has nowhere to go.
     */
    public boolean keepsWork() {
        return status != ConnectionStatus.DISCONNECTED;
    }
}
