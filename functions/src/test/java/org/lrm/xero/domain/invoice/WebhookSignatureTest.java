package org.lrm.xero.domain.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.NotEmpty;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final byte[] KEY = "0123456789abcdefXEROwebhookKEY==".getBytes(StandardCharsets.UTF_8);

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
    void validSignaturesAlwaysVerify(@ForAll byte[] body, @ForAll @NotEmpty byte[] key) {
        assertThat(WebhookSignature.verify(body, WebhookSignature.sign(body, key), key)).isTrue();
    }

    @Property
    void aChangedBodyNeverVerifies(@ForAll @NotEmpty byte[] body, @ForAll @NotEmpty byte[] key) {
        String signature = WebhookSignature.sign(body, key);
        byte[] changed = body.clone();
        changed[0] ^= 1;
        assertThat(WebhookSignature.verify(changed, signature, key)).isFalse();
    }

    @Property
    void arbitraryBodiesNeverThrowAnythingButAClearParseError(@ForAll("bodies") byte[] body) {
        try {
            WebhookPayload payload = WebhookPayload.parse(body);
            assertThat(payload.events()).allSatisfy(e -> assertThat(e.resourceId()).isNotBlank());
        } catch (WebhookPayload.Malformed expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> event = Arbitraries.of("resourceId", "tenantId", "eventCategory", "eventType", "eventDateUtc", "x")
                .list().ofMaxSize(6).map(fields -> {
                    StringBuilder b = new StringBuilder("{");
                    for (int i = 0; i < fields.size(); i++) {
                        b.append(i == 0 ? "" : ",").append('"').append(fields.get(i)).append("\":\"v").append(i).append('"');
                    }
                    return b.append('}').toString();
                });
        Arbitrary<byte[]> jsonish = event.list().ofMaxSize(4).map(events -> ("{\"events\":[" + String.join(",", events)
                + "],\"firstEventSequence\":1,\"lastEventSequence\":2,\"entropy\":\"E\"}").getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> mangled = jsonish.flatMap(b -> Arbitraries.integers().between(0, b.length).map(cut -> {
            byte[] out = new byte[cut];
            System.arraycopy(b, 0, out, 0, cut);
            return out;
        }));
        Arbitrary<byte[]> text = Arbitraries.strings().ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> structural = Arbitraries.of("null", "[]", "{}", "{\"events\":null}", "{\"events\":{}}",
                "{\"events\":[1]}", "{\"events\":[],\"firstEventSequence\":\"x\"}", "{\"events\":[]} trailing", "\"s\"", "1e999")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(jsonish, mangled, text, structural, Arbitraries.bytes().array(byte[].class).ofMaxSize(100));
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
