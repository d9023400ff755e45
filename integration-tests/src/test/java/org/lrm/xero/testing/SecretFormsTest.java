package org.lrm.xero.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The secret scan finds a secret however it is wrapped: plain, URL-encoded, or anywhere inside base64 or base64url text. */
class SecretFormsTest {

    private static final String SECRET = "app-secret-3f1c2a9e-77b4-4d0e-9a51-0c2d6e8f4b13/+=?&";

    @Test
    void findsTheSecretInsideEncodedTextAtEveryAlignment() {
        for (String before : new String[] {"", "a", "ab", "abc", "{\"token\":\""}) {
            byte[] wrapped = (before + SECRET + "\",\"more\":1}").getBytes(StandardCharsets.UTF_8);
            assertThat(SecretForms.found(SECRET, "x " + Base64.getEncoder().encodeToString(wrapped) + " y")).as("base64 after %s", before).isTrue();
            assertThat(SecretForms.found(SECRET, Base64.getUrlEncoder().withoutPadding().encodeToString(wrapped))).as("base64url after %s", before)
                    .isTrue();
        }
        assertThat(SecretForms.found(SECRET, "q=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8))).isTrue();
        assertThat(SecretForms.found(SECRET, "plain " + SECRET)).isTrue();
    }

    @Test
    void doesNotFindWhatIsNotThere() {
        String other = SECRET.replace('3', '4');
        assertThat(SecretForms.found(SECRET, other + Base64.getEncoder().encodeToString(other.getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(SecretForms.found(SECRET, SECRET.substring(0, SECRET.length() - 1))).isFalse();
    }
}
