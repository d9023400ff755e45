package org.lrm.xero.adapter.xero;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.StringJoiner;

/** Builds a query string with every value percent-encoded (spaces as %20). */
final class QueryString {

    private final StringJoiner joiner = new StringJoiner("&", "?", "");
    private boolean empty = true;

    QueryString add(String name, Object value) {
        if (value != null) {
            joiner.add(encode(name) + "=" + encode(String.valueOf(value)));
            empty = false;
        }
        return this;
    }

    /** A comma-separated list (OpenAPI form style, explode=false), skipped when empty. */
    QueryString addList(String name, Collection<String> values) {
        if (values != null && !values.isEmpty()) {
            add(name, String.join(",", values));
        }
        return this;
    }

    QueryString addTrue(String name, boolean flag) {
        return flag ? add(name, "true") : this;
    }

    @Override
    public String toString() {
        return empty ? "" : joiner.toString();
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
