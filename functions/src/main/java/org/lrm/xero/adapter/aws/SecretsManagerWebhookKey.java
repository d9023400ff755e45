package org.lrm.xero.adapter.aws;

import java.time.Clock;
import org.lrm.xero.app.invoice.WebhookKeySource;
import org.lrm.xero.domain.invoice.WebhookKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The key Xero signs webhook deliveries with, from the {@code XERO_WEBHOOK_KEY_SECRET_ID} secret
 * (JSON {webhookKey}): the webhook receiver's only secret, which no other function can read. A key
 * that is missing, still the template's placeholder or too short to be Xero's is refused when it is
 * first needed after a start (it is kept out of SnapStart's snapshot, so that is the first delivery),
 * with an error that says how to set it.
 */
public final class SecretsManagerWebhookKey implements WebhookKeySource {

    private final CachedJsonSecret secret;
    private final String secretId;

    public SecretsManagerWebhookKey(SecretsManagerClient secrets, String secretId, Clock clock) {
        this.secretId = secretId;
        this.secret = new CachedJsonSecret(secrets, secretId, "Xero webhook key secret", clock);
    }

    /** @throws IllegalStateException when the secret's webhookKey is missing, the placeholder or too short */
    @Override
    public byte[] webhookKey() {
        try {
            return WebhookKey.check(secret.text("webhookKey"));
        } catch (IllegalStateException refused) {
            throw new IllegalStateException("The Xero webhook key secret " + secretId + " " + refused.getMessage()
                    + ". Set it to the webhook key Xero shows for the app (developer.xero.com > My Apps > Webhooks): "
                    + "aws secretsmanager put-secret-value --secret-id " + secretId
                    + " --secret-string '{\"webhookKey\":\"…\"}'");
        }
    }
}
