package org.lrm.xero.adapter.aws;

import java.time.Clock;
import org.lrm.xero.app.connection.AppCredentialsSource;
import org.lrm.xero.app.xero.AppCredentials;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Xero app's OAuth client from the {@code XERO_APP_SECRET_ID} secret (JSON {clientId,
 * clientSecret}), read by the functions that exchange or renew tokens; the webhook key has a
 * secret of its own ({@link SecretsManagerWebhookKey}), which they cannot read.
 */
public final class SecretsManagerAppCredentials implements AppCredentialsSource {

    private final CachedJsonSecret secret;

    public SecretsManagerAppCredentials(SecretsManagerClient secrets, String secretId, Clock clock) {
        this.secret = new CachedJsonSecret(secrets, secretId, "Xero app secret", clock);
    }

    @Override
    public AppCredentials credentials() {
        String clientId = secret.text("clientId");
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalStateException("Xero app secret has no clientId");
        }
        return new AppCredentials(clientId, secret.text("clientSecret"));
    }
}
