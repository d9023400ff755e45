package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The subset of Xero's {@code where} and {@code order} syntax that integrations use. */
final class Where {
    private Where() {}

    private static final Pattern CMP = Pattern.compile(
            "^([A-Za-z][A-Za-z0-9.]*?)(\\.ToLower\\(\\)|\\.ToUpper\\(\\))?\\s*(==|!=|>=|<=|>|<)\\s*(.+?)\\s*$");
    private static final Pattern METHOD = Pattern.compile(
            "^([A-Za-z][A-Za-z0-9.]*?)(\\.ToLower\\(\\)|\\.ToUpper\\(\\))?\\.(Contains|StartsWith|EndsWith)\\(\"(.*)\"\\)$");
    private static final Pattern DATETIME = Pattern.compile("DateTime\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)(?:\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+))?\\s*\\)");
    private static final Pattern GUID = Pattern.compile("Guid\\(\"(.*)\"\\)");

    /** A where clause as a test of a record in the API's shape; blank: everything. */
    static Predicate<ObjectNode> parse(String where) {
        if (where == null || where.isBlank()) return n -> true;
        List<Predicate<ObjectNode>> ors = new ArrayList<>();
        for (String orPart : where.split("\\|\\||(?i)\\s+OR\\s+")) {
            List<Predicate<ObjectNode>> ands = new ArrayList<>();
            for (String clause : orPart.split("&&|(?i)\\s+AND\\s+")) ands.add(clause(clause.trim()));
            ors.add(n -> ands.stream().allMatch(p -> p.test(n)));
        }
        return n -> ors.stream().anyMatch(p -> p.test(n));
    }

    /** Strips parentheses that enclose the whole clause. */
    static String unwrap(String c) {
        c = c.trim();
        while (c.startsWith("(") && c.endsWith(")")) {
            int depth = 0;
            boolean encloses = true;
            for (int i = 0; i < c.length(); i++) {
                char ch = c.charAt(i);
                if (ch == '(') depth++;
                else if (ch == ')') depth--;
                if (depth == 0 && i < c.length() - 1) { encloses = false; break; }
            }
            if (!encloses) break;
            c = c.substring(1, c.length() - 1).trim();
        }
        return c;
    }

    private static Predicate<ObjectNode> clause(String c) {
        c = unwrap(c);
        Matcher m = METHOD.matcher(c);
        if (m.matches()) {
            String field = m.group(1), method = m.group(3), arg = m.group(4).toLowerCase(Locale.ROOT);
            return n -> {
                JsonNode v = path(n, field);
                if (v == null || v.isNull()) return false;
                String s = v.asText().toLowerCase(Locale.ROOT);
                return switch (method) {
                    case "Contains" -> s.contains(arg);
                    case "StartsWith" -> s.startsWith(arg);
                    default -> s.endsWith(arg);
                };
            };
        }
        m = CMP.matcher(c);
        if (!m.matches()) throw new MalformedRequest("Unsupported where clause: " + c);
        String field = m.group(1), op = m.group(3), raw = m.group(4).trim();
        Object value = literal(raw);
        return n -> {
            JsonNode v = path(n, field);
            int cmp;
            if (value == null) {
                boolean isNull = v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty());
                return op.equals("==") ? isNull : op.equals("!=") && !isNull;
            }
            if (v == null || v.isNull()) return op.equals("!=");
            if (value instanceof Instant i) {
                Instant have = XeroDates.parseMs(v.asText());
                if (have == null) return false;
                cmp = have.compareTo(i);
            } else if (value instanceof BigDecimal d) {
                if (!v.isNumber()) return false;
                cmp = v.decimalValue().compareTo(d);
            } else if (value instanceof Boolean b) {
                cmp = v.asBoolean() == b ? 0 : 1;
            } else {
                cmp = v.asText().compareToIgnoreCase((String) value);
            }
            return switch (op) {
                case "==" -> cmp == 0;
                case "!=" -> cmp != 0;
                case ">=" -> cmp >= 0;
                case "<=" -> cmp <= 0;
                case ">" -> cmp > 0;
                default -> cmp < 0;
            };
        };
    }

    private static Object literal(String raw) {
        if (raw.startsWith("\"") && raw.endsWith("\"") && raw.length() >= 2) return raw.substring(1, raw.length() - 1);
        Matcher d = DATETIME.matcher(raw);
        if (d.matches()) {
            int h = d.group(4) == null ? 0 : Integer.parseInt(d.group(4));
            int mi = d.group(5) == null ? 0 : Integer.parseInt(d.group(5));
            int s = d.group(6) == null ? 0 : Integer.parseInt(d.group(6));
            return LocalDateTime.of(Integer.parseInt(d.group(1)), Integer.parseInt(d.group(2)), Integer.parseInt(d.group(3)), h, mi, s)
                    .toInstant(ZoneOffset.UTC);
        }
        Matcher g = GUID.matcher(raw);
        if (g.matches()) return g.group(1);
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) return Boolean.parseBoolean(raw);
        if (raw.equalsIgnoreCase("null")) return null;
        try { return new BigDecimal(raw); } catch (NumberFormatException e) { return raw; }
    }

    static JsonNode path(JsonNode n, String field) {
        JsonNode cur = n;
        for (String p : field.split("\\.")) {
            if (cur == null) return null;
            JsonNode next = cur.get(p);
            if (next == null) { // case-insensitive field names, as Xero's where is
                var it = cur.fieldNames();
                while (it.hasNext()) { String f = it.next(); if (f.equalsIgnoreCase(p)) { next = cur.get(f); break; } }
            }
            cur = next;
        }
        return cur;
    }

    /** {@code order=Name ASC, UpdatedDateUTC DESC}. */
    static Comparator<ObjectNode> order(String order) {
        if (order == null || order.isBlank()) return null;
        Comparator<ObjectNode> result = null;
        for (String part : order.split(",")) {
            String[] bits = part.trim().split("\\s+");
            String field = bits[0];
            boolean desc = bits.length > 1 && bits[1].equalsIgnoreCase("DESC");
            Comparator<ObjectNode> c = (a, b) -> compare(path(a, field), path(b, field));
            if (desc) c = c.reversed();
            result = result == null ? c : result.thenComparing(c);
        }
        return result;
    }

    private static int compare(JsonNode a, JsonNode b) {
        if (a == null || a.isNull()) return b == null || b.isNull() ? 0 : -1;
        if (b == null || b.isNull()) return 1;
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
        Instant ia = XeroDates.parseMs(a.asText()), ib = XeroDates.parseMs(b.asText());
        if (ia != null && ib != null) return ia.compareTo(ib);
        return a.asText().compareToIgnoreCase(b.asText());
    }
}
