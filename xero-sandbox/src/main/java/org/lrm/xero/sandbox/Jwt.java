package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signed JSON Web Tokens as Xero's identity service issues them: RS256, with a key id. The key is the sandbox's own,
 * made at start (Xero's are published at identity.xero.com's JWKS); a client that only decodes the claims, as the
 * integration does, cannot tell the difference.
 */
final class Jwt {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final KeyPair keys;
    private final String keyId;

    Jwt(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, random);
            keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] id = new byte[20];
        random.nextBytes(id);
        keyId = HexFormat.of().withUpperCase().formatHex(id);
    }

    /** header.claims.signature, base64url without padding. */
    String sign(ObjectNode claims) {
        ObjectNode header = Json.obj().put("alg", "RS256").put("kid", keyId).put("typ", "JWT");
        String signingInput = part(Json.write(header)) + "." + part(Json.write(claims));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys.getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(String json) { return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8)); }
}
