package org.lrm.xero.app.connection;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.IdentityAnswer;
import org.lrm.xero.app.xero.TenantConnection;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.app.xero.XeroIdentity;
import org.lrm.xero.domain.connection.AuthorizationRequest;
import org.lrm.xero.domain.connection.BrowserNonce;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.support.JsonLog;

/**
 * An organisation's connection lifecycle: connect (authorize with state and PKCE, bound to the admin's
 * browser), the callback that completes it, its status, and disconnect. A failed callback stores
 * nothing; tokens only ever go to the vault, and only once the tenant is the organisation's. Completing
 * a connect and disconnecting hold the organisation's token lease, as a refresh does, so none of them
 * overwrites what another is writing.
 */
public final class XeroConnections {

    private static final JsonLog LOG = JsonLog.forClass(XeroConnections.class);
    /** How long an admin has to consent in Xero. */
    public static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
    /** A state (and its PKCE verifier) is removed this long after it expires; reads refuse it from then on. */
    static final Duration STATE_REMOVED_AFTER = Duration.ofMinutes(5);
    /** Polls (about 13 s with the back-off) a callback or disconnect waits for a refresh under way to end. */
    static final int LEASE_POLLS_IN_A_REQUEST = 30;

    private final ConnectionStore store;
    private final TokenVault vault;
    private final PendingAuthorizations pending;
    private final AppCredentialsSource app;
    private final XeroIdentity xero;
    private final XeroTokens tokens;
    private final XeroScopes scopes;
    private final Clock clock;

    public XeroConnections(ConnectionStore store, TokenVault vault, PendingAuthorizations pending,
            AppCredentialsSource app, XeroIdentity xero, XeroTokens tokens, XeroScopes scopes, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.vault = Objects.requireNonNull(vault);
        this.pending = Objects.requireNonNull(pending);
        this.app = Objects.requireNonNull(app);
        this.xero = Objects.requireNonNull(xero);
        this.tokens = Objects.requireNonNull(tokens);
        this.scopes = Objects.requireNonNull(scopes);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Starts connecting: where to send the admin's browser (Xero's authorize page). The state is bound to
     * {@code browser}, the nonce the caller keeps in that browser's cookie; only its hash is stored.
     */
    public URI connect(String orgId, String userId, URI returnTo, URI redirectUri, BrowserNonce browser) {
        AuthorizationRequest request = AuthorizationRequest.random();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(STATE_LIFETIME);
        pending.save(new PendingAuthorization(AuthorizationRequest.stateHash(request.state()), orgId, userId,
                browser.hash(), returnTo, redirectUri, request.codeVerifier(), scopes.requested(), expiresAt),
                expiresAt.plus(STATE_REMOVED_AFTER));
        LOG.info("xero.connect.started", "orgId", orgId, "userId", userId);
        return xero.authorizeUrl(app.credentials().clientId(), redirectUri, scopes.requested(), request.state(),
                request.codeChallenge());
    }

    /**
     * Completes connecting with what Xero sent back to the callback, in the browser whose cookie carries
     * {@code browser} (empty when it carries none). A state this cannot trust (unknown, used, expired, or
     * from another browser than the one that started it) completes nothing, and its outcome names no
     * {@code returnTo}: the stored one belongs to whoever started the connect, not to this browser.
     */
    public CallbackOutcome callback(String state, String code, String error, Optional<BrowserNonce> browser) {
        if (state == null || state.isBlank()) {
            return untrusted(null, "unknown_state", "This answer from Xero belongs to no connect request.");
        }
        Instant now = clock.instant();
        Optional<PendingAuthorizations.Use> use = pending.use(AuthorizationRequest.stateHash(state), now);
        if (use.isEmpty()) {
            return untrusted(null, "unknown_state", "This answer from Xero belongs to no connect request, or one too old to finish.");
        }
        PendingAuthorization p = use.get().pending();
        if (!use.get().firstUse()) {
            return untrusted(p, "state_reused", "This connect request was already used.");
        }
        if (!now.isBefore(p.expiresAt())) {
            return untrusted(p, "state_expired", "This connect request expired before Xero answered.");
        }
        if (browser.isEmpty() || !browser.get().matches(p.browserHash())) {
            // Xero's consent link followed in another browser than the admin's: a login CSRF, or a link shared.
            LOG.warn("xero.connect.other_browser", "orgId", p.orgId(), "userId", p.userId(), "cookie", browser.isPresent());
            return untrusted(p, "other_browser",
                    "This connect request was started in another browser; connect again from the LRM in this one.");
        }
        if (error != null && !error.isBlank()) {
            String reason = error.matches("[a-z_]{1,40}") ? error : "xero_error";
            return refused(p, null, reason, refusal(reason));
        }
        if (code == null || code.isBlank()) {
            return refused(p, null, "missing_code", "Xero's answer held no authorization code.");
        }
        AppCredentials credentials = app.credentials();
        IdentityAnswer<TokenSet> exchanged = xero.exchangeCode(credentials, code, p.redirectUri(), p.codeVerifier());
        if (!(exchanged instanceof IdentityAnswer.Ok<TokenSet> ok)) {
            LOG.warn("xero.connect.exchange_failed", "orgId", p.orgId(), "outcome", exchanged.toString());
            return refused(p, null, "code_exchange_failed", "Xero did not accept the authorization; start again.");
        }
        return complete(p, ok.value(), now);
    }

    private CallbackOutcome complete(PendingAuthorization p, TokenSet set, Instant now) {
        String orgId = p.orgId();
        IdentityAnswer<List<TenantConnection>> listed = xero.tenantsConnected(set.accessToken());
        if (!(listed instanceof IdentityAnswer.Ok<List<TenantConnection>> ok)) {
            LOG.warn("xero.connect.connections_failed", "orgId", orgId, "outcome", listed.toString());
            return refused(p, null, "connections_unavailable", "Xero did not say which organisation was connected.");
        }
        List<TenantConnection> connected = ok.value();
        if (connected.isEmpty()) {
            return refused(p, null, "no_organisation", "No Xero organisation was chosen.");
        }
        if (connected.size() > 1) {
            return refused(p, null, "several_organisations", "Choose exactly one Xero organisation to connect.");
        }
        TenantConnection tenant = connected.get(0);
        XeroTokens.Lease lease;
        try {
            lease = tokens.awaitLease(orgId, LEASE_POLLS_IN_A_REQUEST);
        } catch (TokenRefreshFailed busy) {
            return refused(p, tenant.tenantId(), "connection_busy",
                    "Another change to this organisation's Xero connection is under way; connect again in a minute.");
        }
        try {
            return completeHoldingLease(p, set, tenant, ok, now);
        } finally {
            tokens.release(lease);
        }
    }

    private CallbackOutcome completeHoldingLease(PendingAuthorization p, TokenSet set, TenantConnection tenant,
            IdentityAnswer.Ok<List<TenantConnection>> ok, Instant now) {
        String orgId = p.orgId();
        Optional<String> owner = store.findOrgByTenant(tenant.tenantId());
        if (owner.isPresent() && !owner.get().equals(orgId)) {
            return refused(p, tenant.tenantId(), "tenant_connected_elsewhere",
                    "The Xero organisation " + tenant.tenantName() + " is already connected to another LRM organisation.");
        }
        ConnectionRecord existing = store.connection(orgId).orElse(null);
        String previousTenant = existing == null || existing.tenantId() == null
                || existing.tenantId().equals(tenant.tenantId()) ? null : existing.tenantId();
        if (previousTenant != null && store.hasLinkedContacts(orgId)) {
            // Xero made this connection on consent; nobody uses it, so it goes again.
            IdentityAnswer<Void> deleted = xero.disconnect(set.accessToken(), tenant.connectionId());
            LOG.warn("xero.connect.refused_other_tenant", "orgId", orgId, "tenantId", tenant.tenantId(),
                    "connectedTenantId", previousTenant, "xeroConnectionDeleted", deleted.isOk());
            return refused(p, tenant.tenantId(), "different_organisation",
                    "Learners are already linked to contacts in the Xero organisation " + existing.tenantName()
                            + "; connect that organisation again, or have the learners unlinked before switching to "
                            + tenant.tenantName() + ".");
        }
        List<String> missing = scopes.missingFrom(set.scopes());
        if (set.refreshToken() == null) {
            LOG.warn("xero.connect.no_refresh_token", "orgId", orgId, "tenantId", tenant.tenantId());
        }
        // The connection names the vault version before the vault holds it: readers wait for it to appear.
        String version = TokenVault.newVersion();
        ConnectionRecord record = new ConnectionRecord(orgId, ConnectionStatus.CONNECTED, tenant.tenantId(),
                tenant.tenantName(), tenant.connectionId(), List.copyOf(set.scopes()), missing, now, p.userId(), null, null, now,
                version, ok.remaining().minute(), ok.remaining().day(),
                ok.remaining().minute() == null && ok.remaining().day() == null ? null : now);
        try {
            store.saveConnected(record, previousTenant);
        } catch (ConnectionStore.TenantTaken e) {
            // Refused: the vault was not touched, so the organisation's tokens (if any) are as they were.
            return refused(p, tenant.tenantId(), "tenant_connected_elsewhere",
                    "The Xero organisation " + tenant.tenantName() + " is already connected to another LRM organisation.");
        }
        try {
            vault.write(orgId, version, new StoredTokens(set.accessToken(), set.refreshToken(), set.expiresAt(), null, null));
        } catch (RuntimeException e) {
            LOG.error("xero.connect.tokens_not_stored", e, "orgId", orgId, "tenantId", tenant.tenantId());
            store.markNeedsReconnect(orgId, "Xero's tokens could not be stored when connecting; connect again.", now);
            return refused(p, tenant.tenantId(), "tokens_not_stored", "The connection could not be saved; connect again.");
        }
        tokens.forget(orgId);
        LOG.info("xero.connected", "orgId", orgId, "tenantId", tenant.tenantId(), "userId", p.userId(),
                "missingScopes", missing);
        return CallbackOutcome.succeeded(p.returnTo(), tenant.tenantName(), missing);
    }

    /** What Xero's {@code error} on the authorize redirect means for the admin, and what to do. */
    private String refusal(String error) {
        return switch (error) {
            case "access_denied" -> "Access to Xero was not granted; start connecting again to grant it.";
            case "unauthorized_client", "invalid_scope" -> "Xero refused the scopes this integration asks for ("
                    + String.join(" ", scopes.requested()) + ")"
                    + (scopes == XeroScopes.BROAD
                            ? ": Xero apps created on or after 2 March 2026 may use granular scopes only. The deployment"
                                    + " asks for broad ones (XERO_SCOPES=broad); set XERO_SCOPES=granular."
                            : ": check that the Xero app at developer.xero.com may use them.")
                    + " Xero said: " + error + ".";
            default -> "Xero did not grant access (" + error + ").";
        };
    }

    /** A trusted connect that did not complete: back to the LRM page it came from. */
    private static CallbackOutcome refused(PendingAuthorization p, String tenantId, String reason, String message) {
        LOG.warn("xero.connect.refused", "orgId", p.orgId(), "tenantId", tenantId, "reason", reason);
        return CallbackOutcome.failed(p.returnTo(), reason, message);
    }

    /** A callback that cannot be tied to a connect this browser started: no way back to its {@code returnTo}. */
    private static CallbackOutcome untrusted(PendingAuthorization p, String reason, String message) {
        LOG.warn("xero.connect.refused", "orgId", p == null ? null : p.orgId(), "reason", reason);
        return CallbackOutcome.failed(null, reason, message);
    }

    /** The organisation's connection; empty when it never connected. */
    public Optional<ConnectionRecord> status(String orgId) {
        return store.connection(orgId);
    }

    /**
     * Disconnects, holding the organisation's token lease: the connection deleted at Xero (best effort:
     * Xero may have dropped it already), the status DISCONNECTED and the vault emptied; the refresh token
     * is kept apart for revocation before anything else, and forgotten once Xero confirms it revoked (here,
     * or in a nightly retry). Idempotent.
     *
     * @throws TokenRefreshFailed when another change to the connection held the lease throughout
     */
    public void disconnect(String orgId, String userId) {
        if (store.connection(orgId).map(c -> c.status() == ConnectionStatus.DISCONNECTED).orElse(true)) {
            return;
        }
        XeroTokens.Lease lease = tokens.awaitLease(orgId, LEASE_POLLS_IN_A_REQUEST);
        try {
            ConnectionRecord c = store.connection(orgId).orElse(null);
            if (c == null || c.status() == ConnectionStatus.DISCONNECTED) {
                return;
            }
            if (c.usable() && c.xeroConnectionId() != null) {
                try {
                    String accessToken = tokens.accessToken(lease);
                    tokens.requireLease(lease);
                    IdentityAnswer<Void> deleted = xero.disconnect(accessToken, c.xeroConnectionId());
                    LOG.info("xero.disconnect.connection_deleted", "orgId", orgId, "tenantId", c.tenantId(),
                            "outcome", deleted.isOk() ? "ok" : deleted.toString());
                } catch (ConnectionUnavailable | TokenRefreshFailed e) {
                    LOG.warn("xero.disconnect.connection_not_deleted", "orgId", orgId, "tenantId", c.tenantId(),
                            "reason", e.getMessage());
                }
            }
            // Read after the delete: getting its access token may have rotated the refresh token. Kept for
            // revocation before the vault is emptied, so that no crash from here on loses it unrevoked.
            Optional<String> refresh = vault.read(orgId).map(e -> e.tokens().refreshToken());
            if (refresh.isPresent()) {
                vault.awaitRevocation(orgId, refresh.get());
                store.revocationPending(orgId, clock.instant());
            }
            store.markDisconnected(orgId, clock.instant());
            tokens.forget(orgId);
            vault.erase(orgId);
            LOG.info("xero.disconnected", "orgId", orgId, "tenantId", c.tenantId(), "userId", userId);
            if (refresh.isPresent()) {
                try {
                    tokens.revokeWaiting(lease);
                } catch (RuntimeException e) {
                    // Disconnected all the same: the token waits in the vault for the nightly retry.
                    LOG.warn("xero.disconnect.revocation_deferred", "orgId", orgId, "reason", e.getMessage());
                }
            }
        } finally {
            tokens.release(lease);
        }
    }
}
