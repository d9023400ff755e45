package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Xero's date formats. Timestamps come as Microsoft JSON dates {@code /Date(1700000000000+0000)/}
 * (milliseconds since the epoch in UTC; the offset, e.g. {@code +1300}, only says which local time the
 * value was written in), and sometimes as ISO local date-times in UTC ({@code 2019-03-01T09:00:31.597}).
 * Date-only fields come as {@code /Date(ms+0000)/} at midnight, or as {@code 2027-02-01T00:00:00}.
 */
public final class XeroDates {

    private static final Pattern MS_DATE = Pattern.compile("^/Date\\((-?\\d+)([+-])?(\\d{2})?(\\d{2})?\\)/$");
    private static final DateTimeFormatter DATE_ONLY = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'00:00:00");
    private static final DateTimeFormatter IF_MODIFIED_SINCE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private XeroDates() {
    }

    /** Parses any of Xero's timestamp forms; an ISO value without offset is UTC. */
    public static Instant parseInstant(String text) {
        String s = requireText(text);
        Matcher m = MS_DATE.matcher(s);
        if (m.matches()) {
            return Instant.ofEpochMilli(Long.parseLong(m.group(1)));
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (hasOffset(s)) {
                return OffsetDateTime.parse(s).toInstant();
            }
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a Xero timestamp: " + s, e);
        }
    }

    /**
     * Parses a Xero date-only field. A {@code /Date(..)/} value is read as a date at its own offset
     * (UTC when none is given), an ISO value by its date part.
     */
    public static LocalDate parseDate(String text) {
        String s = requireText(text);
        Matcher m = MS_DATE.matcher(s);
        if (m.matches()) {
            ZoneOffset offset = ZoneOffset.UTC;
            if (m.group(2) != null && m.group(3) != null) {
                int hours = Integer.parseInt(m.group(3));
                int minutes = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
                int sign = "-".equals(m.group(2)) ? -1 : 1;
                offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            }
            return Instant.ofEpochMilli(Long.parseLong(m.group(1))).atOffset(offset).toLocalDate();
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s);
            }
            if (hasOffset(s)) {
                return OffsetDateTime.parse(s).toLocalDate();
            }
            return LocalDateTime.parse(s).toLocalDate();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a Xero date: " + s, e);
        }
    }

    /** {@code /Date(ms+0000)/}, to the millisecond. */
    public static String formatInstant(Instant instant) {
        return "/Date(" + instant.toEpochMilli() + "+0000)/";
    }

    /** {@code 2027-02-01T00:00:00}, the form Xero accepts for date-only fields in a request. */
    public static String formatDate(LocalDate date) {
        return DATE_ONLY.format(date);
    }

    /**
     * The {@code If-Modified-Since} value: UTC, whole seconds (Xero does not take milliseconds), rounded
     * down so that nothing modified within the same second is missed.
     */
    public static String formatIfModifiedSince(Instant instant) {
        return IF_MODIFIED_SINCE.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A {@code DateTime(2027,02,01)} literal for {@code where} filters. */
    public static String whereDateTime(LocalDate date) {
        return String.format("DateTime(%04d,%02d,%02d)", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }

    private static boolean hasOffset(String s) {
        int t = s.indexOf('T');
        if (t < 0) {
            return false;
        }
        String time = s.substring(t);
        return time.endsWith("Z") || time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }

    private static String requireText(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty Xero date");
        }
        return text.trim();
    }

    /** Jackson: a Xero timestamp string to an {@link Instant}. */
    public static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return Instant.ofEpochMilli(p.getLongValue());
            }
            String s = p.getValueAsString();
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                return parseInstant(s);
            } catch (IllegalArgumentException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, s, e.getMessage());
            }
        }
    }

    /** Jackson: a Xero date-only string to a {@link LocalDate}. */
    public static final class LocalDateDeserializer extends JsonDeserializer<LocalDate> {
        @Override
        public LocalDate deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = p.getValueAsString();
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                return parseDate(s);
            } catch (IllegalArgumentException e) {
                return (LocalDate) ctxt.handleWeirdStringValue(LocalDate.class, s, e.getMessage());
            }
        }
    }
}
