package org.lrm.xero.adapter.xero;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthEventsTest {

    @Test
    void readsTheAuthenticationEventIdOfAXeroJwt() {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"authentication_event_id\":\"ae-1\",\"xero_userid\":\"u\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(AuthEvents.idOf("eyJhbGciOiJSUzI1NiJ9." + payload + ".sig")).isEqualTo("ae-1");
        assertThat(AuthEvents.idOf("opaque-token")).isNull();
        assertThat(AuthEvents.idOf("a.!!!.c")).isNull();
    }

    @Test
    void withoutAnIdTheNewestAuthorizationsConnectionsAreTaken() {
        Instant t = Instant.parse("2027-03-01T10:00:00Z");
        Connection old = new Connection("c1", "ae-old", "t1", "ORGANISATION", "Old", t, t);
        Connection a = new Connection("c2", "ae-new", "t2", "ORGANISATION", "A", t, t.plusSeconds(5));
        Connection b = new Connection("c3", "ae-new", "t3", "ORGANISATION", "B", t, t.plusSeconds(5));
        assertThat(AuthEvents.latest(List.of(old, a, b))).containsExactly(a, b);
        assertThat(AuthEvents.latest(List.of())).isEmpty();
    }
}
