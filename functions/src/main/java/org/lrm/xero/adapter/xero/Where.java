package org.lrm.xero.adapter.xero;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Xero {@code where} filter expressions the integration uses. */
public final class Where {

    /** What may stand in a {@code Guid("...")} literal: a GUID's characters. */
    private static final Pattern GUID = Pattern.compile("[0-9A-Fa-f-]{1,64}");

    private Where() {
    }

    /** {@code ContactStatus=="ARCHIVED"}. */
    public static String contactStatus(String status) {
        return anyEquals("ContactStatus", List.of(status));
    }

    /** Whether a value can be written as a {@code Guid("...")} literal. */
    public static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    /** {@code Field==Guid("a") OR Field==Guid("b")}. */
    public static String guidIn(String field, Collection<String> guids) {
        if (guids.isEmpty()) {
            throw new IllegalArgumentException("no values for " + field);
        }
        return guids.stream().map(g -> {
            if (!isGuid(g)) {
                throw new IllegalArgumentException("not a GUID: " + g);
            }
            return field + "==Guid(\"" + g + "\")";
        }).collect(Collectors.joining(" OR "));
    }

    /** {@code ContactNumber=="W1" OR ContactNumber=="W2"}: an optimised filter in Xero. */
    public static String contactNumberIn(Collection<String> contactNumbers) {
        return anyEquals("ContactNumber", contactNumbers);
    }

    /** {@code Field=="a" OR Field=="b"}. */
    public static String anyEquals(String field, Collection<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values for " + field);
        }
        return values.stream().map(v -> field + "==" + quote(v)).collect(Collectors.joining(" OR "));
    }

    /** {@code Date>=DateTime(2027,02,01) AND Date<DateTime(2027,03,01)}: {@code from} inclusive, {@code to} exclusive. */
    public static String dateRange(String field, LocalDate from, LocalDate toExclusive) {
        StringBuilder sb = new StringBuilder();
        if (from != null) {
            sb.append(field).append(">=").append(XeroDates.whereDateTime(from));
        }
        if (toExclusive != null) {
            if (sb.length() > 0) {
                sb.append(" AND ");
            }
            sb.append(field).append('<').append(XeroDates.whereDateTime(toExclusive));
        }
        if (sb.length() == 0) {
            throw new IllegalArgumentException("a date range needs a bound");
        }
        return sb.toString();
    }

    /** Joins filters with AND, each in parentheses. */
    public static String and(String a, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        if (b == null || b.isBlank()) {
            return a;
        }
        return "(" + a + ") AND (" + b + ")";
    }

    static String quote(String value) {
        if (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("a where value cannot hold a quote or backslash: " + value);
        }
        return '"' + value + '"';
    }
}
