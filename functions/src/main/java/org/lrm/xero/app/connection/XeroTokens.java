package org.lrm.xero.app.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.lrm.xero.app.xero.AccessTokens;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.IdentityAnswer;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.app.xero.XeroIdentity;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.connection.TokenTiming;
import org.lrm.xero.support.JsonLog;

/**
 * The token vault's use case: valid access tokens per organisation, with Xero's rotating refresh tokens
 * never lost. One refresh per connection at a time across every Lambda instance (a lease in DynamoDB
 * that expires, so a crashed holder blocks nobody for long); the others wait for the vault's version to
 * change. The rotated refresh token is in the vault before the new access token is handed out. A refresh
 * whose answer was lost is retried with the same refresh token, which Xero honours for 30 minutes.
 */
public final class XeroTokens implements AccessTokens {

    private static final JsonLog LOG = JsonLog.forClass(XeroTokens.class);
    /** Longer than a refresh takes (the token call's timeout and a few retries), short enough to recover a crash. */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** Polls of the vault while another instance refreshes; with the back-off about a minute, beyond the lease. */
    static final int MAX_POLLS = 150;
    /** How often (in polls) a waiter checks whether the lease holder is gone. */
    private static final int LEASE_CHECK_EVERY = 4;
    /** Token-endpoint attempts per refresh while Xero does not answer. */
    private static final int REFRESH_ATTEMPTS = 3;

    private final ConnectionStore store;
    private final TokenVault vault;
    private final XeroIdentity xero;
    private final AppCredentialsSource app;
    private final XeroScopes scopes;
    private final Clock clock;
    private final Waiter waiter;
    private final String holderId = UUID.randomUUID().toString();
    /** This instance's copy of each organisation's tokens: a fresh access token needs no vault read. */
    private final Map<String, StoredTokens> cache = new ConcurrentHashMap<>();

    /** @param scopes the family of scopes connect asks for: how a missing one is named */
    public XeroTokens(ConnectionStore store, TokenVault vault, XeroIdentity xero, AppCredentialsSource app, XeroScopes scopes,
            Clock clock, Waiter waiter) {
        this.store = Objects.requireNonNull(store);
        this.vault = Objects.requireNonNull(vault);
        this.xero = Objects.requireNonNull(xero);
        this.app = Objects.requireNonNull(app);
        this.scopes = Objects.requireNonNull(scopes);
        this.clock = Objects.requireNonNull(clock);
        this.waiter = Objects.requireNonNull(waiter);
    }

    @Override
    public String accessToken(String orgId) {
        StoredTokens cached = cache.get(orgId);
        if (cached != null && !TokenTiming.needsRefresh(cached.accessExpiresAt(), clock.instant())) {
            return cached.accessToken();
        }
        ConnectionRecord connection = requireConnected(orgId);
        VaultEntry entry = readVault(connection);
        if (!TokenTiming.needsRefresh(entry.tokens().accessExpiresAt(), clock.instant())) {
            cache.put(orgId, entry.tokens());
            return entry.tokens().accessToken();
        }
        return refreshOnce(orgId, entry.version()).accessToken();
    }

    @Override
    public String renewAfterUnauthorized(String orgId, String rejectedAccessToken) {
        cache.remove(orgId);
        ConnectionRecord connection = requireConnected(orgId);
        VaultEntry entry = readVault(connection);
        if (!entry.tokens().accessToken().equals(rejectedAccessToken)
                && !TokenTiming.needsRefresh(entry.tokens().accessExpiresAt(), clock.instant())) {
            cache.put(orgId, entry.tokens());
            return entry.tokens().accessToken();
        }
        return refreshOnce(orgId, entry.version()).accessToken();
    }

    @Override
    public void connectionLost(String orgId, String reason) {
        cache.remove(orgId);
        if (store.markNeedsReconnect(orgId, reason, clock.instant())) {
            LOG.warn("xero.connection.lost", "orgId", orgId, "reason", reason);
        }
    }

    @Override
    public void scopeMissing(String orgId, XeroScopes.Need need, String reason) {
        String scope = scopes.nameOf(need);
        store.recordMissingScope(orgId, scope, reason + ": the Xero connection lacks the scope " + scope
                + "; an admin must connect Xero again and grant it. Everything else goes on.", clock.instant());
        LOG.warn("xero.scopeMissing", "orgId", orgId, "scope", scope, "reason", reason);
    }

    /** Drops this instance's copy of the organisation's tokens (they were replaced or revoked). */
    void forget(String orgId) {
        cache.remove(orgId);
    }

    /**
     * Refreshes every connection not refreshed for {@link TokenTiming#IDLE_REFRESH_AFTER}, so that Xero's
     * 60-day expiry of unused refresh tokens never hits (the nightly job calls this).
     *
     * @return how many connections were refreshed
     */
    public int refreshIdleConnections(Instant now) {
        int refreshed = 0;
        for (ConnectionRecord c : store.usableConnections()) {
            if (!TokenTiming.idle(c.lastRefreshAt(), now)) {
                continue;
            }
            try {
                refreshOnce(c.orgId(), readVault(c).version());
                refreshed++;
            } catch (ConnectionUnavailable | TokenRefreshFailed e) {
                LOG.warn("xero.token.idle_refresh_failed", "orgId", c.orgId(), "tenantId", c.tenantId(),
                        "reason", e.getMessage());
            }
        }
        return refreshed;
    }

    /**
     * New tokens for the organisation, unless another instance stores newer ones than {@code observedVersion}
     * first: then those.
     */
    private StoredTokens refreshOnce(String orgId, String observedVersion) {
        boolean tryLease = true;
        for (int poll = 0; ; poll++) {
            if (tryLease) {
                Instant now = clock.instant();
                if (store.tryAcquireTokenLease(orgId, holderId, now, now.plus(LEASE))) {
                    try {
                        return refreshHoldingLease(orgId, observedVersion);
                    } finally {
                        store.releaseTokenLease(orgId, holderId);
                    }
                }
                tryLease = false;
            }
            if (poll >= MAX_POLLS) {
                throw new TokenRefreshFailed(orgId, "another instance's refresh did not finish in time");
            }
            waiter.pause(poll);
            VaultEntry entry = vault.read(orgId).orElse(null);
            if (entry != null && !entry.version().equals(observedVersion)
                    && !TokenTiming.needsRefresh(entry.tokens().accessExpiresAt(), clock.instant())) {
                cache.put(orgId, entry.tokens());
                return entry.tokens();
            }
            if (poll % LEASE_CHECK_EVERY == LEASE_CHECK_EVERY - 1) {
                // The holder may have crashed (lease expired) or found the connection gone (status changed).
                requireConnected(orgId);
                Instant now = clock.instant();
                tryLease = store.tokenLease(orgId).map(l -> !l.expiresAt().isAfter(now)).orElse(true);
            }
        }
    }

    private StoredTokens refreshHoldingLease(String orgId, String observedVersion) {
        ConnectionRecord connection = requireConnected(orgId);
        VaultEntry entry = readVault(connection);
        StoredTokens current = entry.tokens();
        if (!entry.version().equals(observedVersion)
                && !TokenTiming.needsRefresh(current.accessExpiresAt(), clock.instant())) {
            cache.put(orgId, current);
            return current;
        }
        AppCredentials credentials = app.credentials();
        String used = current.refreshToken();
        IdentityAnswer<TokenSet> result = refreshWithRetries(credentials, used);
        if (result.invalidGrant() && current.previousRefreshToken() != null
                && TokenTiming.withinGrace(current.previousUsedAt(), clock.instant())) {
            // The stored token is not the one Xero rotated to; the one before it still works in the grace.
            used = current.previousRefreshToken();
            result = refreshWithRetries(credentials, used);
        }
        if (result instanceof IdentityAnswer.Ok<TokenSet> ok) {
            TokenSet set = ok.value();
            Instant now = clock.instant();
            String refresh = set.refreshToken() != null ? set.refreshToken() : used;
            StoredTokens next = new StoredTokens(set.accessToken(), refresh, set.expiresAt(),
                    refresh.equals(used) ? current.previousRefreshToken() : used,
                    refresh.equals(used) ? current.previousUsedAt() : now);
            // Stored before anyone uses the new access token: the rotated refresh token must never be lost.
            String version = vault.write(orgId, next);
            store.recordTokenRefresh(orgId, version, now);
            cache.put(orgId, next);
            LOG.info("xero.token.refreshed", "orgId", orgId, "tenantId", connection.tenantId(),
                    "accessExpiresAt", set.expiresAt().toString());
            return next;
        }
        if (result.invalidGrant()) {
            String reason = "Xero refused the refresh token (invalid_grant): an admin must connect Xero again.";
            connectionLost(orgId, reason);
            throw new ConnectionUnavailable(orgId, ConnectionStatus.NEEDS_RECONNECT.name(), reason);
        }
        // An identity answer never carries a token in its text: safe to log.
        LOG.warn("xero.token.refresh_failed", "orgId", orgId, "tenantId", connection.tenantId(),
                "outcome", result.toString());
        throw new TokenRefreshFailed(orgId, result.toString());
    }

    /** Retries only while Xero did not answer: the same refresh token may be reused inside Xero's grace. */
    private IdentityAnswer<TokenSet> refreshWithRetries(AppCredentials credentials, String refreshToken) {
        IdentityAnswer<TokenSet> result = xero.refresh(credentials, refreshToken);
        for (int attempt = 1; attempt < REFRESH_ATTEMPTS && result instanceof IdentityAnswer.Unanswered<TokenSet>; attempt++) {
            waiter.pause(attempt);
            result = xero.refresh(credentials, refreshToken);
        }
        return result;
    }

    private ConnectionRecord requireConnected(String orgId) {
        try {
            return store.requireUsable(orgId, "not connected to Xero");
        } catch (ConnectionUnavailable e) {
            cache.remove(orgId);
            throw e;
        }
    }

    /**
     * The vault's tokens, at least as new as the connection says: Secrets Manager reads are eventually
     * consistent, while the connection item (read consistently) names the version the last refresh wrote.
     */
    private VaultEntry readVault(ConnectionRecord connection) {
        String orgId = connection.orgId();
        String expected = connection.tokenVersion();
        for (int attempt = 0; ; attempt++) {
            VaultEntry entry = vault.read(orgId).orElseThrow(() -> new ConnectionUnavailable(orgId,
                    ConnectionStatus.DISCONNECTED.name(), "no Xero tokens stored"));
            if (expected == null || expected.equals(entry.version()) || attempt >= LEASE_CHECK_EVERY) {
                return entry;
            }
            // Either the vault lags behind the connection item, or a refresh wrote both since we read it.
            expected = store.connection(orgId).map(ConnectionRecord::tokenVersion).orElse(null);
            if (entry.version().equals(expected)) {
                return entry;
            }
            waiter.pause(attempt);
        }
    }
}
