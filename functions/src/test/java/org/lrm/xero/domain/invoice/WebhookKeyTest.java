package org.lrm.xero.domain.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A webhook key anyone could guess is refused rather than used to check signatures. */
class WebhookKeyTest {

    /** The shape of a key Xero issues: 64 random bytes in base64. */
    private static final String XERO_LIKE = "k8Rz0mBv2q6d1yS0pZgW4Jm3sQy0N4bq7oG0vY2cXnJ0lM3uR5tA9eF1hK2jL4wPq8sV6xT0zB3nC5mD7gH9iJ==";

    @Test
    void aKeyAsXeroIssuesThemIsUsedAsItsUtf8Bytes() {
        assertThat(WebhookKey.check(XERO_LIKE)).isEqualTo(XERO_LIKE.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void missingPlaceholderAndShortKeysAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> WebhookKey.check(null)).hasMessageContaining("no webhookKey");
        assertThatThrownBy(() -> WebhookKey.check("  ")).hasMessageContaining("no webhookKey");
        assertThatThrownBy(() -> WebhookKey.check("SET_ME")).hasMessageContaining("placeholder");
        assertThatThrownBy(() -> WebhookKey.check("set_me-and-then-some-more-characters-to-be-long")).hasMessageContaining("placeholder");
        assertThatThrownBy(() -> WebhookKey.check("webhook-key-for-tests")).hasMessageContaining("21 characters")
                .message().doesNotContain("webhook-key-for-tests");
    }
}
