package org.lrm.xero.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;

/** JSON as the sandbox reads and writes it: exact decimals, plain (never scientific) numbers. */
final class Json {
    private Json() {}

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    static ObjectNode obj() { return new ObjectNode(NODES); }
    static ArrayNode arr() { return new ArrayNode(NODES); }

    static String write(JsonNode n) {
        try { return MAPPER.writeValueAsString(n); } catch (Exception e) { throw new IllegalStateException(e); }
    }

    /** An empty body reads as {}; anything that is not JSON is a malformed request. */
    static JsonNode read(byte[] body) {
        if (body == null || body.length == 0) return obj();
        try { return MAPPER.readTree(body); } catch (Exception e) { throw new MalformedRequest("Invalid JSON: " + e.getMessage()); }
    }

    static String text(JsonNode n, String field) {
        if (n == null) return null;
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A decimal sent as a number or a string; {@code dflt} when absent or empty. */
    static BigDecimal dec(JsonNode n, String field, BigDecimal dflt) {
        if (n == null) return dflt;
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return dflt;
        if (v.isNumber()) return v.decimalValue();
        String s = v.asText().trim();
        if (s.isEmpty()) return dflt;
        try { return new BigDecimal(s); } catch (NumberFormatException e) { throw new MalformedRequest("Invalid number for " + field + ": " + s); }
    }
}
