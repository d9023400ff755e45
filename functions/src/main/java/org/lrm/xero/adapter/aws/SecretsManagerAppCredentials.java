package org.lrm.xero.adapter.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.lrm.xero.adapter.xero.AppCredentials;
import org.lrm.xero.app.connection.AppCredentialsSource;
import org.lrm.xero.support.Json;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Xero app's credentials from the {@code XERO_APP_SECRET_ID} secret (JSON {clientId, clientSecret,
 * webhookKey}), re-read every few minutes so that rotated credentials are picked up without a deploy.
 */
public final class SecretsManagerAppCredentials implements AppCredentialsSource {

    private static final Duration KEEP = Duration.ofMinutes(5);

    private final SecretsManagerClient secrets;
    private final String secretId;
    private final Clock clock;
    private AppCredentials cached;
    private Instant readAt;

    public SecretsManagerAppCredentials(SecretsManagerClient secrets, String secretId, Clock clock) {
        this.secrets = secrets;
        this.secretId = secretId;
        this.clock = clock;
    }

    @Override
    public synchronized AppCredentials credentials() {
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
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Xero app secret is not JSON");
            }
            readAt = now;
        }
        return cached;
    }
}
