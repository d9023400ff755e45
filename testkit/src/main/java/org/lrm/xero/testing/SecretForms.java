package org.lrm.xero.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The forms a secret can take where it leaks: as it is, URL-encoded, and inside base64 or
 * base64url text. A secret inside a longer encoded value is encoded according to where it falls
 * in the 3-byte groups, so each of the three alignments gives a form: the characters that come from
 * the secret's bytes alone, whatever surrounds it.
 */
public final class SecretForms {

    private SecretForms() {
    }

    /** Every form of {@code secret} to search for (the shortest kept at 16 characters, so no form matches by chance). */
    public static Set<String> of(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder().withoutPadding(), Base64.getUrlEncoder().withoutPadding())) {
            for (int offset = 0; offset < 3; offset++) {
                String core = core(encoder, bytes, offset);
                if (core.length() >= 16) {
                    forms.add(core);
                }
            }
        }
        return forms;
    }

    /** Whether {@code text} holds {@code secret} in any of its forms. */
    public static boolean found(String secret, String text) {
        return of(secret).stream().anyMatch(text::contains);
    }

    /**
     * The characters of the encoding of {@code bytes} placed {@code offset} bytes into a 3-byte
     * group that depend on the secret's bytes only: the groups wholly inside it.
     */
    private static String core(Base64.Encoder encoder, byte[] bytes, int offset) {
        byte[] placed = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, placed, offset, bytes.length);
        String encoded = encoder.encodeToString(placed);
        int firstGroup = (offset + 2) / 3;
        int lastGroup = (offset + bytes.length) / 3; // exclusive
        return lastGroup <= firstGroup ? "" : encoded.substring(firstGroup * 4, lastGroup * 4);
    }
}
