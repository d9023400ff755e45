package org.lrm.xero.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a method and a path pattern to a handler. In a pattern, a literal segment matches case-insensitively (Xero's
 * paths are), {@code {name}} matches any one segment and is handed on as a path parameter, and a final {@code **}
 * matches the rest (none or more segments), which is handed on for the next router. Routes are tried in the order
 * they were added.
 *
 * @param <H> the handler type of this surface
 */
final class Router<H> {
    private record Route<H>(Set<String> methods, List<String> pattern, H handler) {}

    /** The handler that matched, and the request with its path parameters and the segments left after {@code **}. */
    record Routed<H>(H handler, Request request) {}

    private final List<Route<H>> routes = new ArrayList<>();

    /**
     * @param methods e.g. {@code "GET"}, {@code "PUT|POST"}, or {@code "*"} for any
     * @param pattern e.g. {@code "/Invoices/{id}/OnlineInvoice"}, {@code "/sandbox/**"}
     */
    Router<H> on(String methods, String pattern, H handler) {
        List<String> segments = new ArrayList<>();
        for (String s : pattern.split("/")) if (!s.isEmpty()) segments.add(s);
        int wildcard = segments.indexOf("**");
        if (wildcard >= 0 && wildcard != segments.size() - 1) throw new IllegalArgumentException("** must end the pattern: " + pattern);
        routes.add(new Route<>(Set.of(methods.split("\\|")), List.copyOf(segments), handler));
        return this;
    }

    Optional<Routed<H>> route(Request r) {
        for (Route<H> route : routes) {
            if (!route.methods().contains("*") && !route.methods().contains(r.method())) continue;
            Map<String, String> params = new HashMap<>();
            List<String> rest = match(route.pattern(), r.segments(), params);
            if (rest != null) return Optional.of(new Routed<>(route.handler(), r.routed(params, rest)));
        }
        return Optional.empty();
    }

    /** The segments left after a {@code **} (empty without one), or null if the path does not match. */
    private static List<String> match(List<String> pattern, List<String> path, Map<String, String> params) {
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (p.equals("**")) return List.copyOf(path.subList(i, path.size()));
            if (i >= path.size()) return null;
            if (p.startsWith("{") && p.endsWith("}")) params.put(p.substring(1, p.length() - 1), path.get(i));
            else if (!p.equalsIgnoreCase(path.get(i))) return null;
        }
        return pattern.size() == path.size() ? List.of() : null;
    }
}
