package org.lrm.xero.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JSON, money and Xero date helpers. */
final class J {
    private J() {}

    static final ObjectMapper M = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

    static ObjectNode obj() { return new ObjectNode(F); }
    static ArrayNode arr() { return new ArrayNode(F); }

    static String write(JsonNode n) {
        try { return M.writeValueAsString(n); } catch (Exception e) { throw new IllegalStateException(e); }
    }

    static JsonNode read(byte[] body) {
        if (body == null || body.length == 0) return obj();
        try { return M.readTree(body); } catch (Exception e) { throw new BadRequest("Invalid JSON: " + e.getMessage()); }
    }

    static String text(JsonNode n, String field) {
        if (n == null) return null;
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Money: BigDecimal, scale 2, half-up (Xero rounds line amounts to 2 decimals). */
    static BigDecimal money(BigDecimal v) { return v.setScale(2, RoundingMode.HALF_UP); }

    static BigDecimal dec(JsonNode n, String field, BigDecimal dflt) {
        if (n == null) return dflt;
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return dflt;
        if (v.isNumber()) return v.decimalValue();
        String s = v.asText().trim();
        if (s.isEmpty()) return dflt;
        try { return new BigDecimal(s); } catch (NumberFormatException e) { throw new BadRequest("Invalid number for " + field + ": " + s); }
    }

    // ---- dates -------------------------------------------------------------------------------

    /** Xero's MS-JSON date-time as used for UpdatedDateUTC and Date: {@code /Date(1700000000000+0000)/}. */
    static String msDate(Instant i) { return "/Date(" + i.toEpochMilli() + "+0000)/"; }

    static final DateTimeFormatter DATE_STRING = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** {@code 2027-02-01T00:00:00} as Xero's DateString fields have it. */
    static String dateString(LocalDate d) { return d.atStartOfDay().format(DATE_STRING); }

    /** ISO-ish date-time without zone, as Xero's identity and webhook payloads have it (e.g. 2019-12-07T18:46:19.5165400). */
    static String isoNoZone(Instant i) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS"));
    }

    static String eventDate(Instant i) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS"));
    }

    private static final Pattern MS = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

    /** Parses a date as clients send it: 2026-01-31, 2026-01-31T00:00:00, /Date(ms+0000)/. */
    static LocalDate parseDate(String s) {
        if (s == null || s.isBlank()) return null;
        s = s.trim();
        Matcher m = MS.matcher(s);
        if (m.matches()) return LocalDateTime.ofInstant(Instant.ofEpochMilli(Long.parseLong(m.group(1))), ZoneOffset.UTC).toLocalDate();
        try {
            if (s.length() == 10) return LocalDate.parse(s);
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) return OffsetDateTime.parse(s).toLocalDate();
            return LocalDateTime.parse(s).toLocalDate();
        } catch (Exception e) {
            throw new BadRequest("Invalid date: " + s);
        }
    }

    static Instant dateInstant(LocalDate d) { return d.atStartOfDay(ZoneOffset.UTC).toInstant(); }

    /** Parses a stored MS date back to an instant (for where/order/If-Modified-Since). */
    static Instant parseMs(String s) {
        if (s == null) return null;
        Matcher m = MS.matcher(s);
        if (m.matches()) return Instant.ofEpochMilli(Long.parseLong(m.group(1)));
        return null;
    }

    /** If-Modified-Since as Xero accepts it: RFC 1123 or ISO 8601 (zone optional, UTC assumed). */
    static Instant parseHttpDate(String s) {
        if (s == null || s.isBlank()) return null;
        s = s.trim();
        try { return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(); } catch (Exception ignored) { }
        try { return OffsetDateTime.parse(s).toInstant(); } catch (Exception ignored) { }
        try { return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC); } catch (Exception ignored) { }
        try { return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant(); } catch (Exception ignored) { }
        throw new BadRequest("Invalid If-Modified-Since: " + s);
    }

    /** A client error that is not a Xero validation error (malformed input). */
    static final class BadRequest extends RuntimeException {
        BadRequest(String m) { super(m); }
    }
}
