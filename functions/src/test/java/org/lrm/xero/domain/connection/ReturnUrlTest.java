package org.lrm.xero.domain.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReturnUrlTest {

    @Test
    void acceptsOnlyAbsoluteHttpUrlsWithAHost() {
        assertThat(ReturnUrl.parse("https://lrm.example.org/settings/apps")).hasToString("https://lrm.example.org/settings/apps");
        assertThat(ReturnUrl.parse("http://localhost:3000/x?tab=xero")).isNotNull();
        assertThat(ReturnUrl.parse(null)).isNull();
        assertThat(ReturnUrl.parse("")).isNull();
        assertThat(ReturnUrl.parse("/settings")).isNull();
        assertThat(ReturnUrl.parse("//evil.example")).isNull();
        assertThat(ReturnUrl.parse("javascript:alert(1)")).isNull();
        assertThat(ReturnUrl.parse("ftp://lrm.example.org/")).isNull();
        assertThat(ReturnUrl.parse("https://user@lrm.example.org/")).isNull();
        assertThat(ReturnUrl.parse("https://lrm.example.org/#frag")).isNull();
        assertThat(ReturnUrl.parse("https://lrm.example.org/a b")).isNull();
    }

    @Test
    void appendsTheOutcomeToAnExistingQuery() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("xero", "error");
        p.put("reason", "state_expired");
        p.put("message", "Start again & retry");
        p.put("tenantName", null);
        assertThat(ReturnUrl.withOutcome(URI.create("https://lrm.example.org/s?tab=xero"), p))
                .isEqualTo("https://lrm.example.org/s?tab=xero&xero=error&reason=state_expired&message=Start%20again%20%26%20retry");
        assertThat(ReturnUrl.withOutcome(URI.create("https://lrm.example.org/s"), Map.of("xero", "connected")))
                .isEqualTo("https://lrm.example.org/s?xero=connected");
    }
}
