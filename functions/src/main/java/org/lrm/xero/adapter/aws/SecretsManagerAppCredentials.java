package org.lrm.xero.adapter.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.lrm.xero.app.connection.AppCredentialsSource;
import org.lrm.xero.app.invoice.WebhookKeySource;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.domain.invoice.WebhookKey;
import org.lrm.xero.support.Json;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Xero app's credentials from the {@code XERO_APP_SECRET_ID} secret (JSON {clientId, clientSecret,
 * webhookKey}), kept per instance and re-read every few minutes so that rotated credentials are
 * picked up without a deploy. A webhook key that is missing, still the template's placeholder or too short
 * to be Xero's is refused when it is first needed after a start (it is kept out of SnapStart's snapshot,
 * so that is the first delivery), with an error that says how to set it.
 */
public final class SecretsManagerAppCredentials implements AppCredentialsSource, WebhookKeySource {

    private static final Duration KEEP = Duration.ofMinutes(5);

    private final SecretsManagerClient secrets;
    private final String secretId;
    private final Clock clock;
    private AppCredentials cached;
    private String webhookKeyText;
    private Instant readAt;

    public SecretsManagerAppCredentials(SecretsManagerClient secrets, String secretId, Clock clock) {
        this.secrets = secrets;
        this.secretId = secretId;
        this.clock = clock;
    }

    @Override
    public synchronized AppCredentials credentials() {
        read();
        return cached;
    }

    /** @throws IllegalStateException when the secret's webhookKey is missing, the placeholder or too short */
    @Override
    public synchronized byte[] webhookKey() {
        read();
        try {
            return WebhookKey.check(webhookKeyText);
        } catch (IllegalStateException refused) {
            throw new IllegalStateException("The Xero app secret " + secretId + " " + refused.getMessage()
                    + ". Set it to the webhook key Xero shows for the app (developer.xero.com > My Apps > Webhooks): "
                    + "aws secretsmanager put-secret-value --secret-id " + secretId
                    + " --secret-string '{\"clientId\":\"…\",\"clientSecret\":\"…\",\"webhookKey\":\"…\"}'");
        }
    }

    private void read() {
        Instant now = clock.instant();
        if (cached == null || now.isAfter(readAt.plus(KEEP)) || now.isBefore(readAt)) {
            String value = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
            try {
                JsonNode node = Json.MAPPER.readTree(value);
                String clientId = node.path("clientId").asText(null);
                if (clientId == null || clientId.isBlank()) {
                    throw new IllegalStateException("Xero app secret has no clientId");
                }
                cached = new AppCredentials(clientId, node.path("clientSecret").asText(null));
                webhookKeyText = node.path("webhookKey").asText(null);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Xero app secret is not JSON");
            }
            readAt = now;
        }
    }
}
