package org.lrm.xero.app.xero;

import java.time.Instant;
import java.util.Set;

/**
 * What Xero's token endpoint returns. {@link #toString()} never shows a token.
 *
 * @param expiresAt when the access token stops working (now + expires_in when it was received)
 * @param idToken null unless the openid scope was granted
 */
public record TokenSet(String accessToken, String refreshToken, Instant expiresAt, Set<String> scopes, String idToken) {

    public TokenSet {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "TokenSet[accessToken=***, refreshToken=" + (refreshToken == null ? "none" : "***") + ", expiresAt="
                + expiresAt + ", scopes=" + scopes + ", idToken=" + (idToken == null ? "none" : "***") + "]";
    }
}
