package org.lrm.xero.adapter.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.lrm.xero.support.Json;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A secret whose value is a JSON object, kept per instance and read again every few minutes, so
 * that a value operators rotate is picked up without a deploy. Errors name the secret's purpose,
 * never its value.
 */
final class CachedJsonSecret {

    private static final Duration KEEP = Duration.ofMinutes(5);

    private final SecretsManagerClient secrets;
    private final String secretId;
    private final String purpose;
    private final Clock clock;
    private JsonNode value;
    private Instant readAt;

    /** @param purpose what the secret is, for errors (e.g. "Xero app secret") */
    CachedJsonSecret(SecretsManagerClient secrets, String secretId, String purpose, Clock clock) {
        this.secrets = secrets;
        this.secretId = secretId;
        this.purpose = purpose;
        this.clock = clock;
    }

    /** The value as last read, read again when older than a few minutes. */
    synchronized JsonNode value() {
        Instant now = clock.instant();
        if (value == null || now.isAfter(readAt.plus(KEEP)) || now.isBefore(readAt)) {
            String text = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
            try {
                value = Json.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(purpose + " is not JSON");
            }
            readAt = now;
        }
        return value;
    }

    /** A text field of the value; null when missing or empty. */
    String text(String field) {
        String text = value().path(field).asText(null);
        return text == null || text.isEmpty() ? null : text;
    }
}
