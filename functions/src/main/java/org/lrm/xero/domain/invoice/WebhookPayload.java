package org.lrm.xero.domain.invoice;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A Xero webhook delivery: {@code {events[], firstEventSequence, lastEventSequence, entropy}}.
 * Intent to Receive sends an empty {@code events} list. Parsing never throws anything but
 * {@link Malformed}.
 */
public record WebhookPayload(List<WebhookEvent> events, long firstEventSequence, long lastEventSequence) {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    public WebhookPayload {
        events = List.copyOf(events);
    }

    /** One event: a contact, invoice or credit note of a tenant was created or updated. */
    public record WebhookEvent(String resourceId, String tenantId, String eventCategory, String eventType,
            String eventDateUtc) {

        /** Names the event across re-deliveries: Xero's payload has no event id. */
        public String dedupeKey() {
            return eventCategory + "#" + resourceId + "#" + eventDateUtc;
        }

        /**
         * When the change happened: Xero writes eventDateUtc in UTC without a zone
         * ({@code 2025-12-02T00:44:09.923}); null when it cannot be read as a time.
         */
        public java.time.Instant occurredAt() {
            try {
                String at = eventDateUtc.trim();
                return at.endsWith("Z") || at.matches(".*[+-]\\d\\d:\\d\\d$") ? java.time.OffsetDateTime.parse(at).toInstant()
                        : java.time.LocalDateTime.parse(at).toInstant(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException | NullPointerException unreadable) {
                return null;
            }
        }
    }

    /** The body is not a Xero webhook payload. */
    public static final class Malformed extends IllegalArgumentException {
        public Malformed(String message) {
            super(message);
        }
    }

    public static WebhookPayload parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException | RuntimeException e) {
            throw new Malformed("not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("not a JSON object");
        }
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            throw new Malformed("no events array");
        }
        List<WebhookEvent> parsed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            if (!e.isObject()) {
                throw new Malformed("events[" + i + "] is not an object");
            }
            parsed.add(new WebhookEvent(required(e, "resourceId", i), required(e, "tenantId", i),
                    required(e, "eventCategory", i), required(e, "eventType", i), required(e, "eventDateUtc", i)));
        }
        return new WebhookPayload(parsed, sequence(root, "firstEventSequence"), sequence(root, "lastEventSequence"));
    }

    private static String required(JsonNode event, String field, int index) {
        JsonNode v = event.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new Malformed("events[" + index + "]." + field + " is missing");
        }
        return v.asText();
    }

    private static long sequence(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.canConvertToLong()) {
            throw new Malformed(field + " is not a number");
        }
        return v.asLong();
    }
}
