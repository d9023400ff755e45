package org.lrm.xero.app.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lrm.xero.app.xero.AccessTokens;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.IdentityAnswer;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.app.xero.XeroIdentity;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.connection.RandomTokens;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.connection.TokenTiming;
import org.lrm.xero.support.JsonLog;

/**
 * The token vault's use case: valid access tokens per organisation, with Xero's rotating refresh tokens
 * never lost. One change to an organisation's tokens at a time across every Lambda instance (a lease in
 * DynamoDB that refreshes, connects and disconnects take); the others wait for the vault's version to
 * change. The lease is taken with a random token drawn at that moment (never during init, which SnapStart
 * copies into every restored instance), so only its holder renews or releases it; the holder renews it
 * before every call to Xero it makes under it, so a live holder never loses it and a crashed one blocks
 * the others for at most {@link #LEASE}. The rotated refresh token is in the vault before the new access
 * token is handed out. A refresh whose answer was lost is retried with the same refresh token, which Xero
 * honours for 30 minutes. Refresh tokens of a disconnected organisation are revoked until Xero confirms.
 */
public final class XeroTokens implements AccessTokens {

    private static final JsonLog LOG = JsonLog.forClass(XeroTokens.class);
    /**
     * How far ahead a lease is taken or renewed. It is renewed before every call to Xero made under it,
     * and a call ends within the Xero client's timeout (20 s), so it outlives every call by a wide margin.
     */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** Polls of the vault while another instance refreshes; with the back-off over a minute, beyond the lease. */
    static final int MAX_POLLS = 150;
    /** How often (in polls) a waiter checks whether the lease holder is gone. */
    private static final int LEASE_CHECK_EVERY = 4;
    /** Token-endpoint attempts per refresh while Xero does not answer. */
    private static final int REFRESH_ATTEMPTS = 3;
    /** Revocation attempts per token while Xero does not confirm (then kept for the next run). */
    private static final int REVOKE_ATTEMPTS = 2;

    private final ConnectionStore store;
    private final TokenVault vault;
    private final XeroIdentity xero;
    private final AppCredentialsSource app;
    private final XeroScopes scopes;
    private final Clock clock;
    private final Waiter waiter;
    /** This instance's copy of each organisation's tokens: a fresh access token needs no vault read. */
    private final Map<String, StoredTokens> cache = new ConcurrentHashMap<>();

    /** An organisation's token lease as its holder has it: {@code token} proves whose it is. */
    record Lease(String orgId, String token) {
    }

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

    /** The usable connections whose tokens were not refreshed for {@link TokenTiming#IDLE_REFRESH_AFTER}. */
    public List<ConnectionRecord> idleConnections(Instant now) {
        return store.usableConnections().stream().filter(c -> TokenTiming.idle(c.lastRefreshAt(), now)).toList();
    }

    /**
     * Refreshes one organisation's tokens if they are still idle (another refresh may have come since it was
     * found idle); a connection Xero refused is left as the refresh marked it.
     *
     * @return whether this call refreshed them
     */
    public boolean refreshIdle(String orgId, Instant now) {
        Optional<ConnectionRecord> c = store.usable(orgId);
        if (c.isEmpty() || !TokenTiming.idle(c.get().lastRefreshAt(), now)) {
            return false;
        }
        try {
            refreshOnce(orgId, readVault(c.get()).version());
            return true;
        } catch (ConnectionUnavailable | TokenRefreshFailed e) {
            LOG.warn("xero.token.idle_refresh_failed", "orgId", orgId, "tenantId", c.get().tenantId(), "reason", e.getMessage());
            return false;
        }
    }

    /**
     * New tokens for the organisation, unless another instance stores newer ones than {@code observedVersion}
     * first: then those.
     */
    private StoredTokens refreshOnce(String orgId, String observedVersion) {
        boolean tryLease = true;
        for (int poll = 0; ; poll++) {
            if (tryLease) {
                Optional<Lease> lease = tryLease(orgId);
                if (lease.isPresent()) {
                    try {
                        return refreshHoldingLease(lease.get(), observedVersion);
                    } finally {
                        release(lease.get());
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

    private StoredTokens refreshHoldingLease(Lease lease, String observedVersion) {
        String orgId = lease.orgId();
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
        IdentityAnswer<TokenSet> result = refreshWithRetries(lease, credentials, used);
        if (result.invalidGrant() && current.previousRefreshToken() != null
                && TokenTiming.withinGrace(current.previousUsedAt(), clock.instant())) {
            // The stored token is not the one Xero rotated to; the one before it still works in the grace.
            used = current.previousRefreshToken();
            result = refreshWithRetries(lease, credentials, used);
        }
        if (result instanceof IdentityAnswer.Ok<TokenSet> ok) {
            TokenSet set = ok.value();
            Instant now = clock.instant();
            String refresh = set.refreshToken() != null ? set.refreshToken() : used;
            StoredTokens next = new StoredTokens(set.accessToken(), refresh, set.expiresAt(),
                    refresh.equals(used) ? current.previousRefreshToken() : used,
                    refresh.equals(used) ? current.previousUsedAt() : now);
            // Stored before anyone uses the new access token: the rotated refresh token must never be lost
            // (written even if the lease was lost meanwhile: the tokens Xero gave are the ones it holds).
            String version = TokenVault.newVersion();
            vault.write(orgId, version, next);
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
        if (!(result instanceof IdentityAnswer.Refused<TokenSet>)) {
            // Xero's token endpoint failing (no answer, 5xx): the connection shows it while the work backs off.
            store.recordXeroFailing(orgId, "POST /connect/token: " + result, clock.instant());
        }
        throw new TokenRefreshFailed(orgId, result.toString());
    }

    /**
     * Retries only while Xero did not answer: the same refresh token may be reused inside Xero's grace.
     * The lease is renewed before each attempt; once lost (its holder took longer than the lease) nothing
     * more is sent to Xero.
     */
    private IdentityAnswer<TokenSet> refreshWithRetries(Lease lease, AppCredentials credentials, String refreshToken) {
        IdentityAnswer<TokenSet> result = null;
        for (int attempt = 0; attempt < REFRESH_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                waiter.pause(attempt);
            }
            requireLease(lease);
            result = xero.refresh(credentials, refreshToken);
            if (!(result instanceof IdentityAnswer.Unanswered<TokenSet>)) {
                break;
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- the lease

    /** Takes the organisation's lease if it is free, with a token drawn now. */
    private Optional<Lease> tryLease(String orgId) {
        Instant now = clock.instant();
        Lease lease = new Lease(orgId, RandomTokens.urlSafe(18));
        return store.tryAcquireTokenLease(orgId, lease.token(), now, now.plus(LEASE)) ? Optional.of(lease) : Optional.empty();
    }

    /**
     * The organisation's lease, for a connect or disconnect: waits up to {@code maxPolls} polls while
     * another instance holds it.
     *
     * @throws TokenRefreshFailed when it stayed taken
     */
    Lease awaitLease(String orgId, int maxPolls) {
        for (int poll = 0; ; poll++) {
            Optional<Lease> lease = tryLease(orgId);
            if (lease.isPresent()) {
                return lease.get();
            }
            if (poll >= maxPolls) {
                throw new TokenRefreshFailed(orgId, "another change to the Xero connection is under way");
            }
            waiter.pause(poll);
        }
    }

    /**
     * Renews the lease before a call to Xero made under it.
     *
     * @throws TokenRefreshFailed when it is no longer ours (held past its time and taken by another)
     */
    void requireLease(Lease lease) {
        if (!store.renewTokenLease(lease.orgId(), lease.token(), clock.instant().plus(LEASE))) {
            LOG.warn("xero.token.lease_lost", "orgId", lease.orgId());
            throw new TokenRefreshFailed(lease.orgId(), "the token lease was lost");
        }
    }

    void release(Lease lease) {
        store.releaseTokenLease(lease.orgId(), lease.token());
    }

    /** As {@link #accessToken(String)}, for the holder of the lease: a refresh it needs happens under that lease. */
    String accessToken(Lease lease) {
        ConnectionRecord connection = requireConnected(lease.orgId());
        VaultEntry entry = readVault(connection);
        if (!TokenTiming.needsRefresh(entry.tokens().accessExpiresAt(), clock.instant())) {
            return entry.tokens().accessToken();
        }
        return refreshHoldingLease(lease, entry.version()).accessToken();
    }

    // ---------------------------------------------------------------- revocation

    /**
     * Revokes the refresh tokens the organisation has waiting for revocation (see
     * {@link TokenVault#awaitRevocation}), under its lease: each confirmed one is forgotten, the others
     * stay for the next run.
     *
     * @return how many Xero confirmed
     */
    int revokeWaiting(Lease lease) {
        String orgId = lease.orgId();
        List<String> waiting = vault.awaitingRevocation(orgId);
        if (waiting.isEmpty()) {
            store.revocationsDone(orgId);
            return 0;
        }
        AppCredentials credentials = app.credentials();
        List<String> confirmed = new ArrayList<>();
        for (String refreshToken : waiting) {
            IdentityAnswer<Void> answer = null;
            for (int attempt = 0; attempt < REVOKE_ATTEMPTS; attempt++) {
                if (attempt > 0) {
                    waiter.pause(attempt);
                }
                requireLease(lease);
                answer = xero.revoke(credentials, refreshToken);
                if (answer.isOk()) {
                    break;
                }
            }
            if (answer.isOk()) {
                confirmed.add(refreshToken);
            } else {
                // An identity answer never carries a token in its text: safe to log.
                LOG.warn("xero.token.revocation_unconfirmed", "orgId", orgId, "outcome", answer.toString());
            }
        }
        vault.revoked(orgId, confirmed);
        if (confirmed.size() == waiting.size()) {
            store.revocationsDone(orgId);
        }
        LOG.info("xero.token.revoked", "orgId", orgId, "confirmed", confirmed.size(), "waiting",
                waiting.size() - confirmed.size());
        return confirmed.size();
    }

    /**
     * Retries every revocation Xero has not confirmed yet (the nightly run calls this). An organisation
     * whose lease is taken (a connect or disconnect under way) is left for the next run.
     *
     * @return how many refresh tokens Xero confirmed revoked
     */
    public int retryRevocations() {
        int confirmed = 0;
        for (String orgId : store.orgsAwaitingRevocation()) {
            Optional<Lease> lease = tryLease(orgId);
            if (lease.isEmpty()) {
                continue;
            }
            try {
                confirmed += revokeWaiting(lease.get());
            } catch (RuntimeException e) {
                LOG.warn("xero.token.revocation_retry_failed", "orgId", orgId, "reason", e.getMessage());
            } finally {
                release(lease.get());
            }
        }
        return confirmed;
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
