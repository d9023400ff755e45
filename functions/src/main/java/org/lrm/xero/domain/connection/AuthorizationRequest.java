package org.lrm.xero.domain.connection;

import java.util.Base64;

/**
 * The secrets of one authorize round trip: the {@code state} (single use, proves the callback answers
 * our request) and the PKCE code verifier with its S256 challenge. Only the state's SHA-256 is stored
 * as a key, so a leaked table does not reveal live states. {@link #toString()} shows neither secret.
 */
public record AuthorizationRequest(String state, String codeVerifier) {

    public static AuthorizationRequest random() {
        return new AuthorizationRequest(RandomTokens.urlSafe(32), RandomTokens.urlSafe(32));
    }

    /** RFC 7636: base64url(SHA-256(ASCII(verifier))) without padding. */
    public String codeChallenge() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(RandomTokens.sha256(codeVerifier));
    }

    /** The key a state is stored under. */
    public static String stateHash(String state) {
        return RandomTokens.sha256Hex(state);
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[state=***, codeVerifier=***]";
    }
}
