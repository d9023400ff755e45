package org.lrm.xero.app.xero;

import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * Xero's identity service: the OAuth flows and the app's connections to tenants. These calls are
 * not made for a tenant, so they take no place in a tenant's call budget.
 */
public interface XeroIdentity {

    /** Where to send a person to connect a Xero organisation: authorization code flow with PKCE (S256). */
    URI authorizeUrl(String clientId, URI redirectUri, Collection<String> scopes, String state, String codeChallenge);

    /** Swaps an authorization code for tokens. */
    IdentityAnswer<TokenSet> exchangeCode(AppCredentials app, String code, URI redirectUri, String codeVerifier);

    /** New tokens for a refresh token (Xero rotates the refresh token too). */
    IdentityAnswer<TokenSet> refresh(AppCredentials app, String refreshToken);

    /** Revokes a refresh token, and with it every connection it granted. */
    IdentityAnswer<Void> revoke(AppCredentials app, String refreshToken);

    /**
     * The tenants the authorization that issued {@code accessToken} connected (Xero lists every
     * tenant the app may call; only this authorization's are wanted).
     */
    IdentityAnswer<List<TenantConnection>> tenantsConnected(String accessToken);

    /** Disconnects one tenant. */
    IdentityAnswer<Void> disconnect(String accessToken, String connectionId);
}
