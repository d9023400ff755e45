package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as the sandbox reads it.
 *
 * @param rawPath  the whole path as sent (error messages and idempotency scopes use it)
 * @param rawQuery the query as sent (percent-encoded), or null
 * @param segments the URL-decoded path segments still to be routed: a {@link Router} match hands on what its
 *                 {@code **} did not consume
 * @param headers  lower-case names; repeated headers joined with ", "
 * @param pathParams the {@code {name}} segments of the matched route
 */
record Request(String method, String rawPath, String rawQuery, List<String> segments, Map<String, String> query,
               Map<String, String> headers, byte[] body, Map<String, String> pathParams) {

    static Request read(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream is = ex.getRequestBody()) { body = is.readAllBytes(); }
        Map<String, String> headers = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> { if (!v.isEmpty()) headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)); });
        String path = ex.getRequestURI().getRawPath();
        String rawQuery = ex.getRequestURI().getRawQuery();
        return new Request(ex.getRequestMethod().toUpperCase(Locale.ROOT), path, rawQuery, segments(path), parseForm(rawQuery),
                headers, body, Map.of());
    }

    /** The same request, routed: these path parameters, these segments left for the next router. */
    Request routed(Map<String, String> params, List<String> rest) {
        return new Request(method, rawPath, rawQuery, rest, query, headers, body, params);
    }

    String pathParam(String name) { return pathParams.get(name); }

    /** A query parameter by name, case-insensitively (as Xero reads {@code IDs}, {@code where}, {@code page} ...). */
    String queryParam(String name) {
        for (var e : query.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        return null;
    }

    /** A true/false query parameter; {@code dflt} when absent. */
    boolean flag(String name, boolean dflt) { String v = queryParam(name); return v == null ? dflt : Boolean.parseBoolean(v); }

    String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

    boolean isGet() { return method.equals("GET"); }

    JsonNode json() { return Json.read(body); }

    /** The body as an HTML form ({@code application/x-www-form-urlencoded}). */
    Map<String, String> form() { return parseForm(new String(body, StandardCharsets.UTF_8)); }

    /** Query strings and form bodies; a repeated {@code tenant} (the consent page's checkboxes) collects as a comma-separated list. */
    static Map<String, String> parseForm(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return m;
        for (String part : raw.split("&")) {
            if (part.isEmpty()) continue;
            int i = part.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? part : part.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(part.substring(i + 1), StandardCharsets.UTF_8);
            m.merge(k, v, (a, b) -> k.equals("tenant") ? a + "," + b : b);
        }
        return m;
    }

    /** {@code a, b,,c} -> [a, b, c]. */
    static List<String> splitCsv(String s) {
        List<String> out = new ArrayList<>();
        if (s == null) return out;
        for (String p : s.split(",")) { p = p.trim(); if (!p.isEmpty()) out.add(p); }
        return out;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty()) out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        return out;
    }
}
