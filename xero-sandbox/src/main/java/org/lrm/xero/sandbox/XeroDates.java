package org.lrm.xero.sandbox;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every date format Xero writes or accepts, in one place. */
final class XeroDates {
    private XeroDates() {}

    private static final Pattern MS = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");
    private static final DateTimeFormatter DATE_STRING = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter NO_ZONE_7 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");
    private static final DateTimeFormatter NO_ZONE_3 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    private static final DateTimeFormatter EXPIRED_AT = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");

    /** Xero's MS-JSON date-time as used for UpdatedDateUTC and Date: {@code /Date(1700000000000+0000)/}. */
    static String msDate(Instant i) { return "/Date(" + i.toEpochMilli() + "+0000)/"; }

    /** The envelope's DateTimeUTC: {@code /Date(1700000000000)/}, without an offset. */
    static String envelopeTime(Instant i) { return "/Date(" + i.toEpochMilli() + ")/"; }

    /** {@code 2027-02-01T00:00:00} as Xero's DateString fields have it. */
    static String dateString(LocalDate d) { return d.atStartOfDay().format(DATE_STRING); }

    /** ISO-ish date-time without zone, as Xero's identity payloads have it (e.g. 2019-12-07T18:46:19.5165400). */
    static String isoNoZone(Instant i) { return LocalDateTime.ofInstant(i, ZoneOffset.UTC).format(NO_ZONE_7); }

    /** A webhook event's eventDateUtc: milliseconds, no zone. */
    static String eventDate(Instant i) { return LocalDateTime.ofInstant(i, ZoneOffset.UTC).format(NO_ZONE_3); }

    /** The time in a 401 {@code TokenExpired: token expired at MM/dd/yyyy HH:mm:ss}. */
    static String expiredAt(Instant i) { return LocalDateTime.ofInstant(i, ZoneOffset.UTC).format(EXPIRED_AT); }

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
            throw new MalformedRequest("Invalid date: " + s);
        }
    }

    static Instant dateInstant(LocalDate d) { return d.atStartOfDay(ZoneOffset.UTC).toInstant(); }

    /** Parses a stored MS date back to an instant (for where, order and FullyPaidOnDate); null if it is not one. */
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
        throw new MalformedRequest("Invalid If-Modified-Since: " + s);
    }
}
