package org.lrm.xero.adapter.aws;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.lrm.xero.app.invoice.WebhookKeySource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The key Xero signs webhook deliveries with, from the {@code XERO_WEBHOOK_KEY_SECRET_ID} secret
 * (JSON {webhookKey}): the webhook receiver's only secret, which no other function can read.
 */
public final class SecretsManagerWebhookKey implements WebhookKeySource {

    private final CachedJsonSecret secret;

    public SecretsManagerWebhookKey(SecretsManagerClient secrets, String secretId, Clock clock) {
        this.secret = new CachedJsonSecret(secrets, secretId, "Xero webhook key secret", clock);
    }

    /** @throws IllegalStateException when the secret has no webhookKey */
    @Override
    public byte[] webhookKey() {
        String key = secret.text("webhookKey");
        if (key == null) {
            throw new IllegalStateException("Xero webhook key secret has no webhookKey");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
