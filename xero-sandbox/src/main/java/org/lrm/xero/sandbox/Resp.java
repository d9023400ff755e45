package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** An HTTP answer. */
final class Resp {
    final int status;
    final String contentType;
    final byte[] body;
    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    Resp(int status, String contentType, byte[] body) { this.status = status; this.contentType = contentType; this.body = body; }

    static Resp json(int status, JsonNode n) { return new Resp(status, "application/json; charset=utf-8", Json.write(n).getBytes(StandardCharsets.UTF_8)); }
    static Resp text(int status, String contentType, String s) { return new Resp(status, contentType, s.getBytes(StandardCharsets.UTF_8)); }
    static Resp empty(int status) { return new Resp(status, null, new byte[0]); }

    Resp header(String k, String v) { headers.put(k, v); return this; }

    Resp copy() {
        Resp c = new Resp(status, contentType, body);
        c.headers.putAll(headers);
        return c;
    }
}
