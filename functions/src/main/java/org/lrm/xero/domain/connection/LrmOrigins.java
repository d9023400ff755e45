package org.lrm.xero.domain.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The origins of the LRM's pages (and the console's) that a connect may send the admin's browser
 * back to: {@code https://host[:port]}, or {@code http} on a loopback host for a run on a developer's
 * machine. Anything else given as {@code returnTo} is refused, so the API's domain is no open redirect.
 */
public final class LrmOrigins {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final Set<String> origins;

    private LrmOrigins(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    public static LrmOrigins none() {
        return new LrmOrigins(Set.of());
    }

    /**
     * Origins separated by spaces or commas ({@code LRM_ORIGINS}); blank is none.
     *
     * @throws IllegalArgumentException naming the first entry that is not an allowed origin
     */
    public static LrmOrigins parse(String list) {
        Set<String> parsed = new LinkedHashSet<>();
        if (list != null) {
            for (String entry : list.trim().split("[\\s,]+")) {
                if (!entry.isEmpty()) {
                    parsed.add(origin(entry, false));
                }
            }
        }
        return new LrmOrigins(parsed);
    }

    /** These origins and the origin of {@code url} (the integration's own public URL, where the console is served). */
    public LrmOrigins with(String url) {
        if (url == null || url.isBlank()) {
            return this;
        }
        Set<String> more = new LinkedHashSet<>(origins);
        more.add(origin(url.trim(), true));
        return new LrmOrigins(more);
    }

    /** True when {@code url} (an absolute http(s) URL) is on one of the origins. */
    public boolean allows(URI url) {
        if (url == null || url.getScheme() == null || url.getHost() == null) {
            return false;
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        return origins.contains(scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + port(scheme, url.getPort()));
    }

    public boolean isEmpty() {
        return origins.isEmpty();
    }

    /** The origins, for an error message that says what is allowed. */
    public List<String> list() {
        return new ArrayList<>(origins);
    }

    /** The origin {@code entry} names; with {@code ofAUrl} the origin of a URL that may have a path. */
    private static String origin(String entry, boolean ofAUrl) {
        URI uri;
        try {
            uri = new URI(entry);
        } catch (URISyntaxException e) {
            throw invalid(entry, "not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw invalid(entry, "not an https origin");
        }
        if (scheme.equals("http") && !LOOPBACK.contains(host)) {
            throw invalid(entry, "http is only allowed on a loopback host (127.0.0.1, localhost)");
        }
        boolean pathless = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (uri.getRawUserInfo() != null || (!ofAUrl && (!pathless || uri.getRawQuery() != null || uri.getRawFragment() != null))) {
            throw invalid(entry, "an origin has no user, path, query or fragment");
        }
        return scheme + "://" + host + port(scheme, uri.getPort());
    }

    /** The port as an origin spells it: none for the scheme's default. */
    private static String port(String scheme, int port) {
        boolean standard = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return standard ? "" : ":" + port;
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException("LRM origin '" + entry + "' is refused: " + why);
    }

    @Override
    public String toString() {
        return "LrmOrigins" + origins;
    }
}
