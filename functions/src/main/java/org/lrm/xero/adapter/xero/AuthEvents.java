package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.lrm.xero.support.Json;

/**
 * Which tenants one authorization connected. Xero's access tokens are JWTs whose
 * {@code authentication_event_id} claim filters {@code GET /connections}; when a token carries no such
 * claim, the connections of the most recent authorization event are taken.
 */
final class AuthEvents {

    private AuthEvents() {
    }

    /** The claim, or null when the token is not a JWT that has it. The signature is Xero's concern, not ours. */
    static String idOf(String accessToken) {
        String[] parts = accessToken.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode id = claims.get("authentication_event_id");
            return id == null || id.isNull() ? null : id.asText();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The connections made by the newest authorization event among them. */
    static List<Connection> latest(List<Connection> connections) {
        return connections.stream()
                .max(Comparator.comparing(c -> c.updatedDateUtc() == null ? Instant.MIN : c.updatedDateUtc()))
                .map(newest -> connections.stream()
                        .filter(c -> Objects.equals(c.authEventId(), newest.authEventId())).toList())
                .orElse(List.of());
    }
}
