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
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.support.JsonLog;

/**
 * An organisation's connection lifecycle: connect (authorize with state and PKCE), the callback that
 * completes it, its status, and disconnect. A failed callback stores nothing; tokens only ever go to
 * the vault.
 */
public final class XeroConnections {

    private static final JsonLog LOG = JsonLog.forClass(XeroConnections.class);
    /** How long an admin has to consent in Xero. */
    static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
    /** A used or expired state is kept this long, so a repeated callback still finds the way back. */
    static final Duration STATE_KEPT = Duration.ofDays(1);

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

    /** Starts connecting: where to send the admin's browser (Xero's authorize page). */
    public URI connect(String orgId, String userId, URI returnTo, URI redirectUri) {
        AuthorizationRequest request = AuthorizationRequest.random();
        Instant now = clock.instant();
        pending.save(new PendingAuthorization(AuthorizationRequest.stateHash(request.state()), orgId, userId, returnTo,
                redirectUri, request.codeVerifier(), scopes.requested(), now.plus(STATE_LIFETIME)), now.plus(STATE_KEPT));
        LOG.info("xero.connect.started", "orgId", orgId, "userId", userId);
        return xero.authorizeUrl(app.credentials().clientId(), redirectUri, scopes.requested(), request.state(),
                request.codeChallenge());
    }

    /** Completes connecting with what Xero sent back to the callback. */
    public CallbackOutcome callback(String state, String code, String error) {
        if (state == null || state.isBlank()) {
            return refused(null, null, "unknown_state", "The answer from Xero did not match a connect request.");
        }
        Instant now = clock.instant();
        Optional<PendingAuthorizations.Use> use = pending.use(AuthorizationRequest.stateHash(state), now);
        if (use.isEmpty()) {
            return refused(null, null, "unknown_state", "The answer from Xero did not match a connect request.");
        }
        PendingAuthorization p = use.get().pending();
        if (!use.get().firstUse()) {
            return refused(p, null, "state_reused", "This connect request was already completed; start again.");
        }
        if (!now.isBefore(p.expiresAt())) {
            return refused(p, null, "state_expired", "The connect request expired; start again.");
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
        String version = vault.write(orgId, new StoredTokens(set.accessToken(), set.refreshToken(), set.expiresAt(), null, null));
        ConnectionRecord record = new ConnectionRecord(orgId, ConnectionStatus.CONNECTED, tenant.tenantId(),
                tenant.tenantName(), tenant.connectionId(), List.copyOf(set.scopes()), missing, now, p.userId(), null, null, now,
                version, ok.remaining().minute(), ok.remaining().day(),
                ok.remaining().minute() == null && ok.remaining().day() == null ? null : now);
        try {
            store.saveConnected(record, previousTenant);
            tokens.forget(orgId);
        } catch (ConnectionStore.TenantTaken e) {
            return refused(p, tenant.tenantId(), "tenant_connected_elsewhere",
                    "The Xero organisation " + tenant.tenantName() + " is already connected to another LRM organisation.");
        }
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

    private static CallbackOutcome refused(PendingAuthorization p, String tenantId, String reason, String message) {
        LOG.warn("xero.connect.refused", "orgId", p == null ? null : p.orgId(), "tenantId", tenantId, "reason", reason);
        return CallbackOutcome.failed(p == null ? null : p.returnTo(), reason, message);
    }

    /** The organisation's connection; empty when it never connected. */
    public Optional<ConnectionRecord> status(String orgId) {
        return store.connection(orgId);
    }

    /**
     * Disconnects: the connection deleted at Xero and the refresh token revoked (both best effort: Xero may
     * have dropped them already), the vault emptied and the status DISCONNECTED. Idempotent.
     */
    public void disconnect(String orgId, String userId) {
        ConnectionRecord c = store.connection(orgId).orElse(null);
        if (c == null || c.status() == ConnectionStatus.DISCONNECTED) {
            return;
        }
        if (c.usable() && c.xeroConnectionId() != null) {
            try {
                IdentityAnswer<Void> deleted = xero.disconnect(tokens.accessToken(orgId), c.xeroConnectionId());
                LOG.info("xero.disconnect.connection_deleted", "orgId", orgId, "tenantId", c.tenantId(),
                        "outcome", deleted.isOk() ? "ok" : deleted.toString());
            } catch (ConnectionUnavailable | TokenRefreshFailed e) {
                LOG.warn("xero.disconnect.connection_not_deleted", "orgId", orgId, "tenantId", c.tenantId(),
                        "reason", e.getMessage());
            }
        }
        // Read after the delete: getting its access token may have rotated the refresh token.
        vault.read(orgId).map(e -> e.tokens().refreshToken()).ifPresent(refresh -> {
            IdentityAnswer<Void> revoked = xero.revoke(app.credentials(), refresh);
            LOG.info("xero.disconnect.revoked", "orgId", orgId, "tenantId", c.tenantId(),
                    "outcome", revoked.isOk() ? "ok" : revoked.toString());
        });
        vault.erase(orgId);
        tokens.forget(orgId);
        store.markDisconnected(orgId, clock.instant());
        LOG.info("xero.disconnected", "orgId", orgId, "tenantId", c.tenantId(), "userId", userId);
    }
}
