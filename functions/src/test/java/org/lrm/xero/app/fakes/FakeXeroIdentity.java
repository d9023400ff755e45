package org.lrm.xero.app.fakes;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.IdentityAnswer;
import org.lrm.xero.app.xero.TenantConnection;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.app.xero.XeroIdentity;
import org.lrm.xero.domain.rate.Remaining;

/**
 * Xero's identity service in memory: it issues numbered tokens that live 30 minutes, answers as a
 * test scripts it, and keeps every refresh token used, revocation and disconnection.
 */
public final class FakeXeroIdentity implements XeroIdentity {

    private final Clock clock;
    private final Deque<IdentityAnswer<TokenSet>> scriptedRefreshes = new ArrayDeque<>();
    private final Deque<IdentityAnswer<Void>> scriptedRevocations = new ArrayDeque<>();
    private final List<String> refreshTokensUsed = new ArrayList<>();
    private final List<String> revoked = new ArrayList<>();
    private final List<String> disconnected = new ArrayList<>();
    private IdentityAnswer<TokenSet> exchangeAnswer;
    private List<TenantConnection> tenants = List.of(new TenantConnection("connection-1", "tenant-1", "Training Co"));
    private Set<String> grantedScopes = Set.of("openid", "offline_access", "accounting.contacts",
            "accounting.transactions", "accounting.settings.read");
    private int issued;

    public FakeXeroIdentity(Clock clock) {
        this.clock = clock;
    }

    /** The tenants the next authorizations connect. */
    public void tenants(List<TenantConnection> connected) {
        this.tenants = List.copyOf(connected);
    }

    public void grantedScopes(Set<String> scopes) {
        this.grantedScopes = Set.copyOf(scopes);
    }

    /** The answer to the next code exchange (null: new tokens). */
    public void exchangeAnswers(IdentityAnswer<TokenSet> answer) {
        this.exchangeAnswer = answer;
    }

    /** The next refresh answers this (then new tokens again). */
    public void refreshAnswers(IdentityAnswer<TokenSet> answer) {
        scriptedRefreshes.add(answer);
    }

    /** The next revocation answers this (then Ok again). */
    public void revocationAnswers(IdentityAnswer<Void> answer) {
        scriptedRevocations.add(answer);
    }

    public List<String> refreshTokensUsed() {
        return List.copyOf(refreshTokensUsed);
    }

    public List<String> revoked() {
        return List.copyOf(revoked);
    }

    public List<String> disconnected() {
        return List.copyOf(disconnected);
    }

    /** The tokens Xero issues next. */
    public TokenSet newTokens() {
        issued++;
        return new TokenSet("access-" + issued, "refresh-" + issued, clock.instant().plus(Duration.ofMinutes(30)),
                grantedScopes, null);
    }

    @Override
    public URI authorizeUrl(String clientId, URI redirectUri, Collection<String> scopes, String state, String codeChallenge) {
        return URI.create("https://login.example/authorize?client_id=" + clientId + "&state=" + state
                + "&code_challenge=" + codeChallenge);
    }

    @Override
    public IdentityAnswer<TokenSet> exchangeCode(AppCredentials app, String code, URI redirectUri, String codeVerifier) {
        return exchangeAnswer != null ? exchangeAnswer : new IdentityAnswer.Ok<>(newTokens(), Remaining.UNKNOWN);
    }

    @Override
    public IdentityAnswer<TokenSet> refresh(AppCredentials app, String refreshToken) {
        refreshTokensUsed.add(refreshToken);
        IdentityAnswer<TokenSet> scripted = scriptedRefreshes.poll();
        return scripted != null ? scripted : new IdentityAnswer.Ok<>(newTokens(), Remaining.UNKNOWN);
    }

    @Override
    public IdentityAnswer<Void> revoke(AppCredentials app, String refreshToken) {
        IdentityAnswer<Void> scripted = scriptedRevocations.poll();
        if (scripted != null) {
            return scripted;
        }
        revoked.add(refreshToken);
        return new IdentityAnswer.Ok<>(null, Remaining.UNKNOWN);
    }

    @Override
    public IdentityAnswer<List<TenantConnection>> tenantsConnected(String accessToken) {
        return new IdentityAnswer.Ok<>(tenants, new Remaining(59, 4999, null));
    }

    @Override
    public IdentityAnswer<Void> disconnect(String accessToken, String connectionId) {
        disconnected.add(connectionId);
        return new IdentityAnswer.Ok<>(null, Remaining.UNKNOWN);
    }
}
