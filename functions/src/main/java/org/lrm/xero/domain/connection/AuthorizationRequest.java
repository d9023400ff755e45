package org.lrm.xero.domain.connection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secrets of one authorize round trip: the {@code state} (single use, proves the callback answers
 * our request) and the PKCE code verifier with its S256 challenge. Only the state's SHA-256 is stored
 * as a key, so a leaked table does not reveal live states. {@link #toString()} shows neither secret.
 */
public record AuthorizationRequest(String state, String codeVerifier) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static AuthorizationRequest random() {
        return new AuthorizationRequest(randomUrlSafe(32), randomUrlSafe(32));
    }

    /** RFC 7636: base64url(SHA-256(ASCII(verifier))) without padding. */
    public String codeChallenge() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(codeVerifier));
    }

    /** The key a state is stored under. */
    public static String stateHash(String state) {
        return HexFormat.of().formatHex(sha256(state));
    }

    private static String randomUrlSafe(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[state=***, codeVerifier=***]";
    }
}
