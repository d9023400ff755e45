package org.lrm.xero.app.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroIdentity;
import org.lrm.xero.app.fakes.FixedAppCredentials;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryPendingAuthorizations;
import org.lrm.xero.app.fakes.InMemoryTokenVault;
import org.lrm.xero.app.xero.IdentityAnswer;
import org.lrm.xero.app.xero.TenantConnection;
import org.lrm.xero.domain.connection.AuthorizationRequest;
import org.lrm.xero.domain.connection.BrowserNonce;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.connection.XeroScopes;

/** Connecting an organisation through Xero's consent, in the admin's browser only, and disconnecting it. */
class XeroConnectionsTest {

    private static final String ORG = "org-1";
    private static final URI RETURN_TO = URI.create("https://lrm.example/settings/xero");
    private static final URI REDIRECT = URI.create("https://api.example/v1/xero/callback");
    /** The nonce the admin's browser keeps in its cookie. */
    private static final BrowserNonce ADMIN_BROWSER = BrowserNonce.fresh();

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final InMemoryConnectionStore store = new InMemoryConnectionStore();
    private final InMemoryTokenVault vault = new InMemoryTokenVault();
    private final InMemoryPendingAuthorizations pending = new InMemoryPendingAuthorizations();
    private final FixedAppCredentials app = FixedAppCredentials.of("client-1", "key");
    private final FakeXeroIdentity xero = new FakeXeroIdentity(clock);
    private final XeroTokens tokens = new XeroTokens(store, vault, xero, app, XeroScopes.GRANULAR, clock, attempt -> { });
    private final XeroConnections connections = new XeroConnections(store, vault, pending, app, xero, tokens,
            XeroScopes.GRANULAR, clock);

    /** Starts connecting and returns the state Xero will send back. */
    private String connectStarted(String orgId) {
        URI authorize = connections.connect(orgId, "admin-1", RETURN_TO, REDIRECT, ADMIN_BROWSER);
        assertThat(authorize.getQuery()).contains("client_id=client-1").contains("code_challenge=");
        String query = authorize.getQuery();
        return query.substring(query.indexOf("state=") + 6, query.indexOf('&', query.indexOf("state=")));
    }

    /** Xero's answer arriving in the admin's browser. */
    private CallbackOutcome callback(String state, String code, String error) {
        return connections.callback(state, code, error, Optional.of(ADMIN_BROWSER));
    }

    @Test
    void consentConnectsTheTenantAndKeepsTheTokensOnlyInTheVault() {
        String state = connectStarted(ORG);

        CallbackOutcome outcome = callback(state, "code-1", null);

        assertThat(outcome.connected()).isTrue();
        assertThat(outcome.tenantName()).isEqualTo("Training Co");
        assertThat(outcome.location(null)).startsWith(RETURN_TO + "?xero=connected");
        ConnectionRecord c = store.connection(ORG).orElseThrow();
        assertThat(c.status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(c.tenantId()).isEqualTo("tenant-1");
        assertThat(c.xeroConnectionId()).isEqualTo("connection-1");
        assertThat(c.dayRemaining()).isEqualTo(4999);
        assertThat(c.toString()).doesNotContain("access-1").doesNotContain("refresh-1");
        assertThat(vault.read(ORG).orElseThrow().tokens().refreshToken()).isEqualTo("refresh-1");
        assertThat(store.findOrgByTenant("tenant-1")).contains(ORG);
        assertThat(pending.pending().values()).singleElement().satisfies(p -> {
            assertThat(p.stateHash()).isNotEqualTo(state);
            assertThat(p.orgId()).isEqualTo(ORG);
        });
    }

    @Test
    void missingScopesAreReportedButTheConnectionIsMade() {
        xero.grantedScopes(Set.of("offline_access", "accounting.contacts"));

        CallbackOutcome outcome = callback(connectStarted(ORG), "code-1", null);

        assertThat(outcome.connected()).isTrue();
        assertThat(outcome.missingScopes()).containsExactly("accounting.invoices.read", "accounting.payments.read");
        assertThat(store.connection(ORG).orElseThrow().missingScopes()).isEqualTo(outcome.missingScopes());
    }

    @Test
    void anAppRefusedTheScopesItAsksForIsToldWhyAndWhatToSet() {
        XeroConnections broad = new XeroConnections(store, vault, pending, app, xero, tokens, XeroScopes.BROAD, clock);
        URI authorize = broad.connect(ORG, "admin-1", RETURN_TO, REDIRECT, ADMIN_BROWSER);
        assertThat(pending.pending().values()).singleElement().satisfies(p -> assertThat(p.scopes())
                .containsExactly("offline_access", "accounting.contacts", "accounting.transactions.read"));
        String query = authorize.getQuery();
        String state = query.substring(query.indexOf("state=") + 6, query.indexOf('&', query.indexOf("state=")));

        // A Xero app created since 2 March 2026 asking for broad scopes: Xero redirects back with the error.
        CallbackOutcome outcome = broad.callback(state, null, "unauthorized_client", Optional.of(ADMIN_BROWSER));

        assertThat(outcome.connected()).isFalse();
        assertThat(outcome.reason()).isEqualTo("unauthorized_client");
        assertThat(outcome.message()).contains("granular scopes only").contains("XERO_SCOPES=granular");
        assertThat(outcome.location(null)).startsWith(RETURN_TO + "?xero=error&reason=unauthorized_client&message=");
        assertThat(store.connection(ORG)).isEmpty();
    }

    @Test
    void aScopeXeroRefusesLaterIsRecordedByItsNameAndTheConnectionStaysConnected() {
        callback(connectStarted(ORG), "code-1", null);

        tokens.scopeMissing(ORG, XeroScopes.Need.PAYMENTS, "Xero refused GET Payments modified (403 AuthorizationUnsuccessful)");
        tokens.scopeMissing(ORG, XeroScopes.Need.PAYMENTS, "again");

        ConnectionRecord c = store.connection(ORG).orElseThrow();
        assertThat(c.status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(c.missingScopes()).containsExactly("accounting.payments.read");
        assertThat(c.lastError()).contains("accounting.payments.read").contains("connect Xero again");
        // Only the work that needs it is held back.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.requireScope(XeroScopes.Need.PAYMENTS))
                .isInstanceOf(org.lrm.xero.app.xero.ScopeMissing.class);
        c.requireScope(XeroScopes.Need.CONTACTS);
        c.requireScope(XeroScopes.Need.INVOICES);

        // Connecting again with the scope granted clears it.
        callback(connectStarted(ORG), "code-2", null);
        assertThat(store.connection(ORG).orElseThrow().missingScopes()).isEmpty();
    }

    @Test
    void aStateIsUsedOnceAndOnlyWithinItsLifetimeAndAnUntrustedOneNamesNoWayBack() {
        String state = connectStarted(ORG);
        callback(state, "code-1", null);

        CallbackOutcome reused = callback(state, "code-1", null);
        assertThat(reused.reason()).isEqualTo("state_reused");
        assertThat(reused.trusted()).isFalse();
        assertThat(reused.returnTo()).as("the stored returnTo is not followed").isNull();
        assertThat(callback("forged", "code-1", null).reason()).isEqualTo("unknown_state");
        assertThat(callback(null, "code-1", null).returnTo()).isNull();
        String late = connectStarted("org-2");
        clock.advance(Duration.ofMinutes(11));
        CallbackOutcome expired = callback(late, "code-2", null);
        assertThat(expired.reason()).isEqualTo("state_expired");
        assertThat(expired.returnTo()).isNull();
        assertThat(expired.location(URI.create("https://lrm.example/xero-help")))
                .isEqualTo("https://lrm.example/xero-help?xero=error&reason=state_expired&message="
                        + "This%20connect%20request%20expired%20before%20Xero%20answered.");
        assertThat(store.connection("org-2")).isEmpty();
    }

    @Test
    void aStateAndItsVerifierAreGoneFiveMinutesAfterItExpires() {
        String state = connectStarted(ORG);
        String hash = AuthorizationRequest.stateHash(state);
        Instant expiry = pending.pending().get(hash).expiresAt();

        assertThat(expiry).isEqualTo(clock.instant().plus(XeroConnections.STATE_LIFETIME));
        assertThat(pending.removeAt(hash)).isEqualTo(expiry.plus(Duration.ofMinutes(5)));
        clock.advance(XeroConnections.STATE_LIFETIME.plus(Duration.ofMinutes(5)));
        assertThat(callback(state, "code-1", null).reason()).as("past its removal: as if never made").isEqualTo("unknown_state");
    }

    @Test
    void aCallbackInAnotherBrowserThanTheAdminsCompletesNothing() {
        // An admin of another organisation starts a connect and sends the authorize link to a Xero admin.
        String state = connectStarted("org-attacker");

        CallbackOutcome noCookie = connections.callback(state, "code-1", null, Optional.empty());
        assertThat(noCookie.reason()).isEqualTo("other_browser");
        assertThat(noCookie.returnTo()).isNull();
        String another = connectStarted("org-attacker");
        assertThat(connections.callback(another, "code-1", null, Optional.of(BrowserNonce.fresh())).reason())
                .isEqualTo("other_browser");

        assertThat(store.connection("org-attacker")).isEmpty();
        assertThat(vault.read("org-attacker")).isEmpty();
        assertThat(store.findOrgByTenant("tenant-1")).isEmpty();
        assertThat(callback(state, "code-1", null).reason()).as("the state is spent").isEqualTo("state_reused");
    }

    @Test
    void aRefusalOrAFailedExchangeStoresNothing() {
        assertThat(callback(connectStarted(ORG), null, "access_denied").reason()).isEqualTo("access_denied");
        xero.exchangeAnswers(new IdentityAnswer.Refused<>("invalid_grant", "code used"));
        assertThat(callback(connectStarted(ORG), "code-1", null).reason()).isEqualTo("code_exchange_failed");
        assertThat(callback(connectStarted(ORG), null, null).reason()).isEqualTo("missing_code");

        assertThat(store.connection(ORG)).isEmpty();
        assertThat(vault.read(ORG)).isEmpty();
    }

    @Test
    void exactlyOneTenantMustBeChosen() {
        xero.tenants(List.of(new TenantConnection("c-1", "t-1", "A"), new TenantConnection("c-2", "t-2", "B")));
        assertThat(callback(connectStarted(ORG), "code", null).reason()).isEqualTo("several_organisations");
        xero.tenants(List.of());
        assertThat(callback(connectStarted(ORG), "code", null).reason()).isEqualTo("no_organisation");
        assertThat(store.connection(ORG)).isEmpty();
    }

    @Test
    void aTenantAnotherOrganisationHoldsIsRefused() {
        callback(connectStarted("org-other"), "code", null);

        CallbackOutcome outcome = callback(connectStarted(ORG), "code", null);

        assertThat(outcome.reason()).isEqualTo("tenant_connected_elsewhere");
        assertThat(store.connection(ORG)).isEmpty();
    }

    @Test
    void switchingTenantsIsRefusedOnceLearnersAreLinkedAndXerosNewConnectionIsDropped() {
        InMemoryLearnerStore learners = new InMemoryLearnerStore();
        store.linkedContactsFrom(learners);
        callback(connectStarted(ORG), "code", null);
        learners.linkContact(ORG, "contact-1", "L-1");
        xero.tenants(List.of(new TenantConnection("connection-2", "tenant-2", "Another Co")));

        CallbackOutcome outcome = callback(connectStarted(ORG), "code", null);

        assertThat(outcome.reason()).isEqualTo("different_organisation");
        assertThat(xero.disconnected()).containsExactly("connection-2");
        assertThat(store.connection(ORG).orElseThrow().tenantId()).isEqualTo("tenant-1");
    }

    @Test
    void disconnectingDropsTheConnectionRevokesTheTokensAndEmptiesTheVault() {
        callback(connectStarted(ORG), "code", null);

        connections.disconnect(ORG, "admin-1");
        connections.disconnect(ORG, "admin-1");

        assertThat(xero.disconnected()).containsExactly("connection-1");
        assertThat(xero.revoked()).containsExactly("refresh-1");
        assertThat(vault.read(ORG)).isEmpty();
        assertThat(store.connection(ORG).orElseThrow().status()).isEqualTo(ConnectionStatus.DISCONNECTED);
        assertThat(store.findOrgByTenant("tenant-1")).isEmpty();
        assertThat(connections.status(ORG)).map(ConnectionRecord::usable).contains(false);
        assertThat(vault.awaitingRevocation(ORG)).as("confirmed, so forgotten").isEmpty();
        assertThat(store.orgsAwaitingRevocation()).isEmpty();
        assertThat(store.tokenLease(ORG)).isEmpty();
    }

    @Test
    void aRefusedConnectLeavesTheOrganisationsTokensAsTheyWere() {
        callback(connectStarted(ORG), "code", null);
        VaultEntry before = vault.read(ORG).orElseThrow();
        xero.tenants(List.of(new TenantConnection("connection-9", "tenant-9", "Held Co")));
        callback(connectStarted("org-other"), "code", null);

        assertThat(callback(connectStarted(ORG), "code", null).reason()).isEqualTo("tenant_connected_elsewhere");

        assertThat(vault.read(ORG)).contains(before);
        assertThat(store.connection(ORG).orElseThrow().tokenVersion()).isEqualTo(before.version());
        assertThat(store.connection(ORG).orElseThrow().tenantId()).isEqualTo("tenant-1");
    }

    @Test
    void aConnectWaitsForTheTokenLeaseAndGivesUpWhileAnotherChangeHoldsIt() {
        callback(connectStarted(ORG), "code", null);
        VaultEntry before = vault.read(ORG).orElseThrow();
        Instant now = clock.instant();
        store.tryAcquireTokenLease(ORG, "a-refresh-under-way", now, now.plus(Duration.ofHours(1)));

        CallbackOutcome busy = callback(connectStarted(ORG), "code", null);

        assertThat(busy.reason()).isEqualTo("connection_busy");
        assertThat(busy.returnTo()).isEqualTo(RETURN_TO);
        assertThat(vault.read(ORG)).contains(before);
        assertThat(store.tokenLease(ORG).orElseThrow().holder()).isEqualTo("a-refresh-under-way");
        assertThatThrownBy(() -> connections.disconnect(ORG, "admin-1")).isInstanceOf(TokenRefreshFailed.class);
        assertThat(store.connection(ORG).orElseThrow().status()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void aRevocationXeroDoesNotConfirmIsKeptAndRetriedUntilItIs() {
        callback(connectStarted(ORG), "code", null);
        xero.revocationAnswers(new IdentityAnswer.Unanswered<>("503"));
        xero.revocationAnswers(new IdentityAnswer.Unanswered<>("503"));

        connections.disconnect(ORG, "admin-1");

        assertThat(store.connection(ORG).orElseThrow().status()).isEqualTo(ConnectionStatus.DISCONNECTED);
        assertThat(vault.read(ORG)).as("the organisation's tokens are erased").isEmpty();
        assertThat(vault.awaitingRevocation(ORG)).containsExactly("refresh-1");
        assertThat(store.orgsAwaitingRevocation()).containsExactly(ORG);
        assertThat(xero.revoked()).isEmpty();

        xero.revocationAnswers(new IdentityAnswer.Unanswered<>("503"));
        xero.revocationAnswers(new IdentityAnswer.Failed<>("500"));
        assertThat(tokens.retryRevocations()).isZero();
        assertThat(vault.awaitingRevocation(ORG)).containsExactly("refresh-1");

        assertThat(tokens.retryRevocations()).isEqualTo(1);
        assertThat(xero.revoked()).containsExactly("refresh-1");
        assertThat(vault.awaitingRevocation(ORG)).isEmpty();
        assertThat(store.orgsAwaitingRevocation()).isEmpty();
        assertThat(store.tokenLease(ORG)).isEmpty();
    }
}
