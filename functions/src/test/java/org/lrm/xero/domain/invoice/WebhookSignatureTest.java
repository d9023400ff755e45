package org.lrm.xero.domain.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.cases.GeneratedCases.edgesThenGenerated;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lrm.xero.cases.Draw;
import org.lrm.xero.cases.Property;

class WebhookSignatureTest {

    private static final byte[] KEY = "0123456789abcdefXEROwebhookKEY==".getBytes(StandardCharsets.UTF_8);
    private static final long SEED = 20_250_306L;
    private static final int CASES = 1_000;
    /** HMAC-SHA256 pads a key up to its 64-byte block and hashes a longer one: both sides of that line. */
    private static final List<byte[]> EDGE_KEYS = List.of(new byte[] {0}, new byte[] {-1}, filled(63, 7), filled(64, 7),
            filled(65, 7), filled(255, -1));
    private static final List<byte[]> EDGE_BODIES = List.of(new byte[] {0}, new byte[] {-128}, filled(64, 0), filled(255, -1),
            "{\"events\":[]}".getBytes(StandardCharsets.UTF_8));

    @Test
    void matchesXerosDocumentedComputation() {
        byte[] body = "{\"events\":[],\"firstEventSequence\":0,\"lastEventSequence\":0,\"entropy\":\"ABC\"}"
                .getBytes(StandardCharsets.UTF_8);
        // Independently: openssl dgst -sha256 -hmac <key> -binary | base64
        String signature = WebhookSignature.sign(body, KEY);

        assertThat(Base64.getDecoder().decode(signature)).hasSize(32);
        assertThat(WebhookSignature.verify(body, signature, KEY)).isTrue();
        assertThat(WebhookSignature.verify(body, signature, "another key".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(WebhookSignature.verify(body, null, KEY)).isFalse();
        assertThat(WebhookSignature.verify(body, "not base64 !!", KEY)).isFalse();
        assertThat(WebhookSignature.verify(body, "", KEY)).isFalse();
    }

    @Property
    @MethodSource("bodiesAndKeys")
    void validSignaturesAlwaysVerify(byte[] body, byte[] key) {
        assertThat(WebhookSignature.verify(body, WebhookSignature.sign(body, key), key)).isTrue();
    }

    /** Bodies of 0 to 255 bytes and keys of 1 to 255; the edge bodies, the empty one too, with each edge key. */
    static Stream<Arguments> bodiesAndKeys() {
        List<List<?>> edges = new ArrayList<>();
        for (byte[] key : EDGE_KEYS) {
            edges.add(List.of(new byte[0], key));
            for (byte[] body : EDGE_BODIES) {
                edges.add(List.of(body, key));
            }
        }
        return edgesThenGenerated(edges, SEED, CASES, draw -> List.of(draw.bytes(0, 255), draw.bytes(1, 255)));
    }

    @Property
    @MethodSource("bodiesKeysAndChanges")
    void aChangedBodyNeverVerifies(byte[] body, byte[] key, int changedByte, int flippedBit) {
        String signature = WebhookSignature.sign(body, key);
        byte[] changed = body.clone();
        changed[changedByte] ^= (byte) (1 << flippedBit);
        assertThat(WebhookSignature.verify(changed, signature, key)).isFalse();
    }

    /** Bodies and keys of 1 to 255 bytes, one bit of any byte flipped; edges: first and last byte, lowest and highest bit. */
    static Stream<Arguments> bodiesKeysAndChanges() {
        List<List<?>> edges = new ArrayList<>();
        for (byte[] key : EDGE_KEYS) {
            for (byte[] body : EDGE_BODIES) {
                edges.add(List.of(body, key, 0, 0));
                edges.add(List.of(body, key, body.length - 1, 7));
            }
        }
        return edgesThenGenerated(edges, SEED, CASES, draw -> {
            byte[] body = draw.bytes(1, 255);
            return List.of(body, draw.bytes(1, 255), draw.between(0, body.length - 1), draw.between(0, 7));
        });
    }

    @Property
    @MethodSource("bodies")
    void arbitraryBodiesNeverThrowAnythingButAClearParseError(byte[] body) {
        try {
            WebhookPayload payload = WebhookPayload.parse(body);
            assertThat(payload.events()).allSatisfy(e -> assertThat(e.resourceId()).isNotBlank());
        } catch (WebhookPayload.Malformed expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** Bodies wrong in their structure: not an object, no proper events array, an event without a usable id, nothing. */
    private static final List<String> STRUCTURAL = List.of("null", "[]", "{}", "{\"events\":null}", "{\"events\":{}}",
            "{\"events\":[1]}", "{\"events\":[],\"firstEventSequence\":\"x\"}", "{\"events\":[]} trailing", "\"s\"", "1e999",
            "{\"events\":[{}]}", "{\"events\":[null]}", "{\"events\":[{\"resourceId\":\"\",\"tenantId\":\"t\"}]}", "",
            "{\"events\":[{\"resourceId\":\" \",\"tenantId\":\"t\",\"eventCategory\":\"INVOICE\",\"eventType\":\"UPDATE\","
                    + "\"eventDateUtc\":\"2027-02-01T10:00:00\"}]}");

    /**
     * Payloads Xero might send with fields missing or unknown, the same cut short anywhere, any text,
     * any bytes, and the structural oddities (written out as edges too).
     */
    static Stream<Arguments> bodies() {
        List<List<?>> edges = new ArrayList<>();
        STRUCTURAL.forEach(s -> edges.add(List.of(s.getBytes(StandardCharsets.UTF_8))));
        edges.add(List.of(new byte[] {(byte) 0xC3}));
        edges.add(List.of(new byte[] {(byte) 0xFF, (byte) 0xFE, 0}));
        return edgesThenGenerated(edges, SEED, CASES, draw -> List.of(draw.from(
                () -> jsonish(draw),
                () -> {
                    byte[] whole = jsonish(draw);
                    return Arrays.copyOf(whole, draw.between(0, whole.length));
                },
                () -> draw.anyString(0, 200).getBytes(StandardCharsets.UTF_8),
                () -> draw.oneOf(STRUCTURAL).getBytes(StandardCharsets.UTF_8),
                () -> draw.bytes(0, 100))));
    }

    /**
     * Up to four events of up to six fields, some of Xero's and an unknown one, in any order and
     * repeated; values mostly text, sometimes blank, a number, null, an object or an array.
     */
    private static byte[] jsonish(Draw draw) {
        List<String> events = draw.list(0, 4, () -> {
            List<String> fields = draw.list(0, 6, () -> draw.oneOf("resourceId", "tenantId", "eventCategory", "eventType",
                    "eventDateUtc", "x"));
            StringBuilder b = new StringBuilder("{");
            for (int i = 0; i < fields.size(); i++) {
                String value = draw.chance(0.8) ? "\"v" + i + "\"" : draw.oneOf("\"\"", "\" \"", "1", "null", "{}", "[]");
                b.append(i == 0 ? "" : ",").append('"').append(fields.get(i)).append("\":").append(value);
            }
            return b.append('}').toString();
        });
        return ("{\"events\":[" + String.join(",", events)
                + "],\"firstEventSequence\":1,\"lastEventSequence\":2,\"entropy\":\"E\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }

    @Test
    void intentToReceiveIsAnEmptyEventList() {
        WebhookPayload p = WebhookPayload.parse(
                "{\"events\":[],\"firstEventSequence\":0,\"lastEventSequence\":0,\"entropy\":\"XYZ\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(p.events()).isEmpty();
    }

    @Test
    void readsXerosEventFields() {
        WebhookPayload p = WebhookPayload.parse(("{\"events\":[{\"resourceUrl\":\"https://api.xero.com/api.xro/2.0/Invoices/i-1\","
                + "\"resourceId\":\"i-1\",\"eventDateUtc\":\"2027-02-01T10:00:00.1234567\",\"eventType\":\"UPDATE\","
                + "\"eventCategory\":\"INVOICE\",\"tenantId\":\"t-1\",\"tenantType\":\"ORGANISATION\"}],"
                + "\"firstEventSequence\":3,\"lastEventSequence\":3,\"entropy\":\"E\"}").getBytes(StandardCharsets.UTF_8));

        assertThat(p.events()).containsExactly(new WebhookPayload.WebhookEvent("i-1", "t-1", "INVOICE", "UPDATE",
                "2027-02-01T10:00:00.1234567"));
        assertThat(p.events().get(0).dedupeKey()).isEqualTo("INVOICE#i-1#2027-02-01T10:00:00.1234567");
        assertThat(p.firstEventSequence()).isEqualTo(3);
        assertThatThrownBy(() -> WebhookPayload.parse("{\"events\":[{\"resourceId\":\"i-1\"}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WebhookPayload.Malformed.class).hasMessageContaining("tenantId");
    }
}
