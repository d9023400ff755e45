package org.lrm.xero.app.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroIdentity;
import org.lrm.xero.app.fakes.FixedAppCredentials;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryTokenVault;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.IdentityAnswer;
import org.lrm.xero.app.xero.TenantConnection;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.app.xero.XeroIdentity;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.domain.connection.XeroScopes;

/** Access tokens: refreshed when they expire soon, the rotated refresh token stored first, never lost. */
class XeroTokensTest {

    private static final String ORG = "org-1";

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final InMemoryTokenVault vault = new InMemoryTokenVault();
    private final FakeXeroIdentity xero = new FakeXeroIdentity(clock);
    private final XeroTokens tokens = new XeroTokens(connections, vault, xero, FixedAppCredentials.of("client", "key"), XeroScopes.GRANULAR, clock,
            attempt -> clock.advance(Duration.ofMillis(25)));

    @BeforeEach
    void connectedWithTokensFor20Minutes() {
        connections.connect(ORG, "tenant-1", clock.instant());
        connections.recordTokenRefresh(ORG, vault.write(ORG, new StoredTokens("access-0", "refresh-0",
                clock.instant().plus(Duration.ofMinutes(20)), null, null)), clock.instant());
    }

    @Test
    void aFreshTokenIsUsedAsStored() {
        assertThat(tokens.accessToken(ORG)).isEqualTo("access-0");
        assertThat(xero.refreshTokensUsed()).isEmpty();
    }

    @Test
    void aTokenAboutToExpireIsRefreshedAndTheRotatedRefreshTokenStoredFirst() {
        clock.advance(Duration.ofMinutes(19));

        assertThat(tokens.accessToken(ORG)).isEqualTo("access-1");

        assertThat(xero.refreshTokensUsed()).containsExactly("refresh-0");
        StoredTokens stored = vault.read(ORG).orElseThrow().tokens();
        assertThat(stored.refreshToken()).isEqualTo("refresh-1");
        assertThat(stored.previousRefreshToken()).isEqualTo("refresh-0");
        assertThat(connections.connection(ORG).orElseThrow().tokenVersion()).isEqualTo(vault.read(ORG).orElseThrow().version());
        assertThat(connections.tokenLease(ORG)).isEmpty();
    }

    @Test
    void a401RenewsOnceAndAnotherInstancesNewTokenIsTakenWithoutARefresh() {
        assertThat(tokens.renewAfterUnauthorized(ORG, "access-0")).isEqualTo("access-1");
        connections.recordTokenRefresh(ORG, vault.write(ORG, new StoredTokens("access-other", "refresh-other",
                clock.instant().plus(Duration.ofMinutes(30)), null, null)), clock.instant());

        assertThat(tokens.renewAfterUnauthorized(ORG, "access-1")).isEqualTo("access-other");
        assertThat(xero.refreshTokensUsed()).containsExactly("refresh-0");
    }

    @Test
    void invalidGrantMeansAnAdminMustReconnect() {
        clock.advance(Duration.ofMinutes(19));
        xero.refreshAnswers(new IdentityAnswer.Refused<>("invalid_grant", "expired"));

        assertThatThrownBy(() -> tokens.accessToken(ORG)).isInstanceOf(ConnectionUnavailable.class)
                .hasMessageContaining("NEEDS_RECONNECT");

        assertThat(connections.connection(ORG).orElseThrow().status()).isEqualTo(ConnectionStatus.NEEDS_RECONNECT);
        assertThatThrownBy(() -> tokens.accessToken(ORG)).isInstanceOf(ConnectionUnavailable.class);
    }

    @Test
    void whenXeroDoesNotAnswerTheSameRefreshTokenIsTriedAgain() {
        clock.advance(Duration.ofMinutes(19));
        xero.refreshAnswers(new IdentityAnswer.Unanswered<>("timed out"));

        assertThat(tokens.accessToken(ORG)).isEqualTo("access-1");

        assertThat(xero.refreshTokensUsed()).containsExactly("refresh-0", "refresh-0");
    }

    @Test
    void aRefreshXeroKeepsFailingLeavesTheConnectionAndTheTokensAlone() {
        clock.advance(Duration.ofMinutes(19));
        for (int i = 0; i < 3; i++) {
            xero.refreshAnswers(new IdentityAnswer.Unanswered<>("503"));
        }

        assertThatThrownBy(() -> tokens.accessToken(ORG)).isInstanceOf(TokenRefreshFailed.class);

        assertThat(connections.connection(ORG).orElseThrow().usable()).isTrue();
        assertThat(vault.read(ORG).orElseThrow().tokens().refreshToken()).isEqualTo("refresh-0");
    }

    @Test
    void theRefreshTokenBeforeTheStoredOneIsTriedWithinXerosGrace() {
        clock.advance(Duration.ofMinutes(19));
        tokens.accessToken(ORG);
        clock.advance(Duration.ofMinutes(5));
        // Xero never took refresh-1 (the answer to our rotation was not the one it kept), and rejects access-1.
        xero.refreshAnswers(new IdentityAnswer.Refused<>("invalid_grant", "unknown token"));

        assertThat(tokens.renewAfterUnauthorized(ORG, "access-1")).isEqualTo("access-2");

        assertThat(xero.refreshTokensUsed()).containsExactly("refresh-0", "refresh-1", "refresh-0");
    }

    @Test
    void aConnectionXeroDroppedIsMarkedAndAnUnconnectedOrganisationHasNoToken() {
        tokens.connectionLost(ORG, "Xero answered 403");

        assertThat(connections.connection(ORG).orElseThrow().lastError()).isEqualTo("Xero answered 403");
        assertThatThrownBy(() -> tokens.accessToken(ORG)).isInstanceOf(ConnectionUnavailable.class)
                .hasMessageContaining("Xero answered 403");
        assertThatThrownBy(() -> tokens.accessToken("org-never")).isInstanceOf(ConnectionUnavailable.class)
                .hasMessageContaining("DISCONNECTED");
    }

    @Test
    void anotherInstanceHoldingTheLeaseIsWaitedForAndItsTokensTaken() {
        clock.advance(Duration.ofMinutes(19));
        Instant now = clock.instant();
        connections.tryAcquireTokenLease(ORG, "other-instance", now, now.plusSeconds(60));
        // The other instance stores its refresh while this one waits.
        XeroTokens waiting = new XeroTokens(connections, vault, xero, FixedAppCredentials.of("client", "key"), XeroScopes.GRANULAR, clock,
                attempt -> {
                    if (attempt == 0) {
                        connections.recordTokenRefresh(ORG, vault.write(ORG, new StoredTokens("access-other",
                                "refresh-other", clock.instant().plus(Duration.ofMinutes(30)), null, null)), clock.instant());
                    }
                });

        assertThat(waiting.accessToken(ORG)).isEqualTo("access-other");
        assertThat(xero.refreshTokensUsed()).isEmpty();
    }

    // ---------------------------------------------------------------- the lease

    /**
     * Xero's identity service that runs {@code onRefresh} when a refresh arrives, before answering it:
     * what happens meanwhile in other instances (a clock moved, a lease taken).
     */
    private final class HookedXero implements XeroIdentity {

        private final Function<Integer, IdentityAnswer<TokenSet>> onRefresh;
        private int refreshes;

        HookedXero(Function<Integer, IdentityAnswer<TokenSet>> onRefresh) {
            this.onRefresh = onRefresh;
        }

        @Override
        public URI authorizeUrl(String clientId, URI redirectUri, Collection<String> scopes, String state, String challenge) {
            return xero.authorizeUrl(clientId, redirectUri, scopes, state, challenge);
        }

        @Override
        public IdentityAnswer<TokenSet> exchangeCode(AppCredentials app, String code, URI redirectUri, String verifier) {
            return xero.exchangeCode(app, code, redirectUri, verifier);
        }

        @Override
        public IdentityAnswer<TokenSet> refresh(AppCredentials app, String refreshToken) {
            IdentityAnswer<TokenSet> scripted = onRefresh.apply(refreshes++);
            if (scripted != null) {
                xero.refreshAnswers(scripted); // recorded as a refresh with this token, answered as scripted
            }
            return xero.refresh(app, refreshToken);
        }

        @Override
        public IdentityAnswer<Void> revoke(AppCredentials app, String refreshToken) {
            return xero.revoke(app, refreshToken);
        }

        @Override
        public IdentityAnswer<List<TenantConnection>> tenantsConnected(String accessToken) {
            return xero.tenantsConnected(accessToken);
        }

        @Override
        public IdentityAnswer<Void> disconnect(String accessToken, String connectionId) {
            return xero.disconnect(accessToken, connectionId);
        }
    }

    private XeroTokens instance(XeroIdentity identity, Waiter waiter) {
        return new XeroTokens(connections, vault, identity, FixedAppCredentials.of("client", "key"), XeroScopes.GRANULAR, clock, waiter);
    }

    @Test
    void everyAcquisitionOfTheLeaseHasATokenOfItsOwnEvenOnOneInstance() {
        List<String> holders = new ArrayList<>();
        XeroTokens restored = instance(new HookedXero(n -> {
            holders.add(connections.tokenLease(ORG).orElseThrow().holder());
            return null;
        }), attempt -> { });

        clock.advance(Duration.ofMinutes(19));
        restored.accessToken(ORG);
        clock.advance(Duration.ofMinutes(29));
        restored.accessToken(ORG);

        assertThat(holders).hasSize(2).doesNotHaveDuplicates().allSatisfy(h -> assertThat(h).hasSizeGreaterThanOrEqualTo(24));
        assertThat(connections.tokenLease(ORG)).isEmpty();
    }

    @Test
    void aTwinRestoredFromTheSameSnapshotKeepsTheLeaseItTookWhenTheFirstHolderRanOverItsTime() {
        // One object stands for two instances restored from one snapshot: all they share is what init made.
        XeroTokens[] snapshot = new XeroTokens[1];
        XeroTokens.Lease[] twins = new XeroTokens.Lease[1];
        snapshot[0] = instance(new HookedXero(n -> {
            if (n == 0) {
                clock.advance(XeroTokens.LEASE.plusSeconds(1));
                twins[0] = snapshot[0].awaitLease(ORG, 0);
            }
            return null;
        }), attempt -> { });
        clock.advance(Duration.ofMinutes(19));

        assertThat(snapshot[0].accessToken(ORG)).isEqualTo("access-1");

        assertThat(connections.tokenLease(ORG)).as("the first holder released only its own lease")
                .map(TokenLease::holder).contains(twins[0].token());
        assertThat(vault.read(ORG).orElseThrow().tokens().refreshToken()).as("Xero's rotation stored all the same")
                .isEqualTo("refresh-1");
    }

    @Test
    void aLiveHolderRenewsTheLeaseBeforeEachAttemptSoNobodyTakesItOverHowEverLongXeroTakes() {
        List<Boolean> takenOver = new ArrayList<>();
        XeroTokens slow = instance(new HookedXero(n -> {
            Instant now = clock.instant();
            takenOver.add(connections.tryAcquireTokenLease(ORG, "another-instance", now, now.plusSeconds(60)));
            return n < 2 ? new IdentityAnswer.Unanswered<>("timed out after 20 s") : null;
        }), attempt -> clock.advance(Duration.ofSeconds(40)));
        clock.advance(Duration.ofMinutes(19));

        assertThat(slow.accessToken(ORG)).isEqualTo("access-1");

        assertThat(takenOver).as("80 s of attempts under a 60 s lease").containsExactly(false, false, false);
        assertThat(xero.refreshTokensUsed()).containsExactly("refresh-0", "refresh-0", "refresh-0");
        assertThat(connections.tokenLease(ORG)).isEmpty();
    }

    @Test
    void aHolderThatLostItsLeaseSendsNothingMoreToXero() {
        XeroTokens stalled = instance(new HookedXero(n -> {
            clock.advance(XeroTokens.LEASE.plusSeconds(1));
            Instant now = clock.instant();
            connections.tryAcquireTokenLease(ORG, "another-instance", now, now.plusSeconds(60));
            return new IdentityAnswer.Unanswered<>("timed out");
        }), attempt -> { });
        clock.advance(Duration.ofMinutes(19));

        assertThatThrownBy(() -> stalled.accessToken(ORG)).isInstanceOf(TokenRefreshFailed.class)
                .hasMessageContaining("lease was lost");

        assertThat(xero.refreshTokensUsed()).hasSize(1);
        assertThat(connections.tokenLease(ORG)).map(TokenLease::holder).contains("another-instance");
    }
}
