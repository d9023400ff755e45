package org.lrm.xero.adapter.xero;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.IdentityAnswer;
import org.lrm.xero.app.xero.TenantConnection;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.app.xero.XeroIdentity;

/**
 * {@link XeroIdentity} over Xero's identity service ({@code /connect/token}, {@code /connect/revocation})
 * and {@code /connections}. These calls are the app's, not a tenant's: they take no place in a
 * tenant's budget, so they do not go through the {@link XeroGateway}.
 */
public final class XeroApiIdentity implements XeroIdentity {

    private final XeroClient xero;

    public XeroApiIdentity(XeroClient xero) {
        this.xero = xero;
    }

    @Override
    public URI authorizeUrl(String clientId, URI redirectUri, Collection<String> scopes, String state, String codeChallenge) {
        return xero.authorizeUrl(clientId, redirectUri, scopes, state, codeChallenge);
    }

    @Override
    public IdentityAnswer<TokenSet> exchangeCode(AppCredentials app, String code, URI redirectUri, String codeVerifier) {
        return answer(xero.exchangeCode(app, code, redirectUri, codeVerifier));
    }

    @Override
    public IdentityAnswer<TokenSet> refresh(AppCredentials app, String refreshToken) {
        return answer(xero.refresh(app, refreshToken));
    }

    @Override
    public IdentityAnswer<Void> revoke(AppCredentials app, String refreshToken) {
        return answer(xero.revoke(app, refreshToken));
    }

    @Override
    public IdentityAnswer<List<TenantConnection>> tenantsConnected(String accessToken) {
        String authEventId = AuthEvents.idOf(accessToken);
        return answer(xero.connections(accessToken, authEventId)
                .map(all -> (authEventId != null ? all : AuthEvents.latest(all)).stream()
                        .map(c -> new TenantConnection(c.id(), c.tenantId(), c.tenantName())).toList()));
    }

    @Override
    public IdentityAnswer<Void> disconnect(String accessToken, String connectionId) {
        return answer(xero.deleteConnection(accessToken, connectionId));
    }

    /** Xero's answer in the identity port's terms; the texts are {@link XeroResult}'s, which never hold a token. */
    static <T> IdentityAnswer<T> answer(XeroResult<T> result) {
        if (result instanceof XeroResult.Ok<T> ok) {
            return new IdentityAnswer.Ok<>(ok.value(), ok.rate().remaining());
        }
        if (result instanceof XeroResult.IdentityError<T> refused) {
            return new IdentityAnswer.Refused<>(refused.error(), refused.description());
        }
        if (result instanceof XeroResult.Transient<T> unanswered) {
            return new IdentityAnswer.Unanswered<>(unanswered.detail());
        }
        return new IdentityAnswer.Failed<>(result.toString());
    }
}
