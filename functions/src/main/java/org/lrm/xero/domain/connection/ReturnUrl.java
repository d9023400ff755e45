package org.lrm.xero.domain.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Where the admin's browser goes back to after Xero: an absolute http(s) URL given when connecting,
 * stored with the state. The callback only ever redirects to a stored one, so it is no open redirect.
 */
public final class ReturnUrl {

    private ReturnUrl() {
    }

    /** The URL, or null when it is not an absolute http(s) URL with a host (no user info, no fragment). */
    public static URI parse(String value) {
        if (value == null || value.isBlank() || value.length() > 2000) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The return URL with the outcome parameters appended to its query. */
    public static String withOutcome(URI returnTo, Map<String, String> params) {
        StringBuilder b = new StringBuilder(returnTo.toString());
        char sep = returnTo.getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getValue() == null) {
                continue;
            }
            b.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
