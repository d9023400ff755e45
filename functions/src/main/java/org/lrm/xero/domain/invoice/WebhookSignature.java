package org.lrm.xero.domain.invoice;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Xero's webhook signature: {@code x-xero-signature} = base64(HMAC-SHA256(raw body, webhook key)).
 * Compared in constant time so that a caller cannot learn the signature byte by byte.
 */
public final class WebhookSignature {

    private WebhookSignature() {
    }

    public static String sign(byte[] body, byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** True when {@code signature} is the body's signature under {@code key}; false for a missing or malformed one. */
    public static boolean verify(byte[] body, String signature, byte[] key) {
        if (signature == null || key == null || key.length == 0) {
            return false;
        }
        byte[] expected = Base64.getDecoder().decode(sign(body, key));
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }
}
