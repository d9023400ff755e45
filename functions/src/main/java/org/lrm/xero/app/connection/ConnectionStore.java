package org.lrm.xero.app.connection;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.lrm.xero.app.xero.ConnectionUnavailable;

/** Organisations' Xero connections, the tenant to organisation index and the token-refresh lease. */
public interface ConnectionStore {

    Optional<ConnectionRecord> connection(String orgId);

    /** The organisation's connection when Xero may be called for it ({@link ConnectionRecord#usable()}). */
    default Optional<ConnectionRecord> usable(String orgId) {
        return connection(orgId).filter(ConnectionRecord::usable);
    }

    /**
     * The organisation's connection, which Xero may be called for.
     *
     * @param why what waits for the connection, for the exception's message
     * @throws ConnectionUnavailable when the organisation never connected, disconnected or must reconnect
     */
    default ConnectionRecord requireUsable(String orgId, String why) {
        Optional<ConnectionRecord> connection = connection(orgId);
        if (connection.isPresent() && connection.get().usable()) {
            return connection.get();
        }
        throw new ConnectionUnavailable(orgId, connection.map(c -> c.status().name()).orElse("DISCONNECTED"),
                connection.map(ConnectionRecord::lastError).orElse(why));
    }

    /** Every connection Xero may be called for (the schedules' organisations). */
    default List<ConnectionRecord> usableConnections() {
        return connections().stream().filter(ConnectionRecord::usable).toList();
    }

    /** The organisation connected to a Xero tenant (webhooks arrive per tenant). */
    Optional<String> findOrgByTenant(String tenantId);

    /** True when learners of the organisation are linked to Xero contacts (their tenant cannot change). */
    boolean hasLinkedContacts(String orgId);

    /**
     * Saves a (re)connection and links its tenant to the organisation, dropping the link of
     * {@code previousTenantId} when the tenant changed.
     *
     * @throws TenantTaken when another organisation holds the tenant
     */
    void saveConnected(ConnectionRecord connection, String previousTenantId);

    /** A refresh stored new tokens as {@code tokenVersion}. */
    void recordTokenRefresh(String orgId, String tokenVersion, Instant at);

    /** Xero's remaining calls from its latest response; older readings than the stored one are ignored. */
    void recordBudget(String orgId, Integer minuteRemaining, Integer dayRemaining, Instant at);

    /**
     * Xero failed a call of the organisation's ({@code error}: a 5xx, a timeout, the token endpoint down): the
     * connection shows since when, until Xero answers again ({@link #recordBudget} clears it). Ignored when a
     * newer answer is already recorded.
     */
    void recordXeroFailing(String orgId, String error, Instant at);

    /**
     * Xero refused a call for a scope the grant lacks: {@code scope} joins the missing ones (once) and the
     * reason becomes the last error; the status does not change.
     */
    void recordMissingScope(String orgId, String scope, String reason, Instant at);

    /** CONNECTED becomes NEEDS_RECONNECT with the reason; false when it was not CONNECTED. */
    boolean markNeedsReconnect(String orgId, String reason, Instant at);

    /** The connection is DISCONNECTED and its tenant no longer points to the organisation. */
    void markDisconnected(String orgId, Instant at);

    /** Every organisation's connection (for the nightly refresh of idle ones). */
    List<ConnectionRecord> connections();

    /**
     * @param connections the page, in organisation id order
     * @param more whether connections follow the page's last one
     */
    record Page(List<ConnectionRecord> connections, boolean more) {
    }

    /** Connections of the organisations after {@code afterOrgId} (from the first when null), at most {@code limit}. */
    Page page(String afterOrgId, int limit);

    /**
     * Takes the token lease (refresh, connect, disconnect) when nobody holds it or its holder's time is
     * over. {@code token} is random per acquisition: only the one who took it can renew or release it.
     */
    boolean tryAcquireTokenLease(String orgId, String token, Instant now, Instant until);

    /** Extends the lease to {@code until}; false when {@code token} no longer holds it. */
    boolean renewTokenLease(String orgId, String token, Instant until);

    Optional<TokenLease> tokenLease(String orgId);

    /** Gives the lease back if {@code token} still holds it (never another holder's lease). */
    void releaseTokenLease(String orgId, String token);

    /** The organisation has refresh tokens Xero has not confirmed revoked (kept in the vault). No token here. */
    void revocationPending(String orgId, Instant since);

    /** Xero confirmed every pending revocation of the organisation. */
    void revocationsDone(String orgId);

    /** The organisations with revocations pending (retried by the nightly run). */
    List<String> orgsAwaitingRevocation();

    /** Another organisation is connected to this Xero tenant. */
    final class TenantTaken extends RuntimeException {
        public TenantTaken(String tenantId) {
            super("Xero tenant " + tenantId + " is connected to another organisation");
        }
    }
}
