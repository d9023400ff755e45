package org.lrm.xero.domain.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Where a connect may send the admin's browser back: the configured LRM origins only. */
class LrmOriginsTest {

    private final LrmOrigins origins = LrmOrigins.parse(" https://lrm.example.org, https://App.Example.com:8443 http://127.0.0.1:3000 ")
            .with("https://console.example.net/some/base");

    @Test
    void urlsOnAConfiguredOriginAreAllowed() {
        assertThat(origins.allows(URI.create("https://lrm.example.org/settings/connected-apps?tab=xero"))).isTrue();
        assertThat(origins.allows(URI.create("https://lrm.example.org:443/"))).isTrue();
        assertThat(origins.allows(URI.create("https://app.example.com:8443/x"))).isTrue();
        assertThat(origins.allows(URI.create("http://127.0.0.1:3000/lrm"))).isTrue();
        assertThat(origins.allows(URI.create("https://console.example.net/"))).as("the integration's own origin").isTrue();
    }

    @Test
    void anyOtherHostSchemeOrPortIsRefused() {
        assertThat(origins.allows(URI.create("https://evil.example/phish"))).isFalse();
        assertThat(origins.allows(URI.create("https://lrm.example.org.evil.example/"))).isFalse();
        assertThat(origins.allows(URI.create("http://lrm.example.org/settings"))).as("http of an https origin").isFalse();
        assertThat(origins.allows(URI.create("https://app.example.com/x"))).as("another port").isFalse();
        assertThat(origins.allows(URI.create("http://127.0.0.1:3001/"))).isFalse();
        assertThat(LrmOrigins.parse("").allows(URI.create("https://lrm.example.org/"))).isFalse();
        assertThat(LrmOrigins.parse(null).isEmpty()).isTrue();
    }

    @Test
    void aConfiguredValueThatIsNoHttpsOriginIsRefusedAtStart() {
        assertThatThrownBy(() -> LrmOrigins.parse("http://lrm.example.org")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> LrmOrigins.parse("https://lrm.example.org/settings")).hasMessageContaining("no user, path");
        assertThatThrownBy(() -> LrmOrigins.parse("lrm.example.org")).hasMessageContaining("not an https origin");
        assertThatThrownBy(() -> LrmOrigins.parse("javascript:alert(1)")).hasMessageContaining("not an https origin");
        assertThat(LrmOrigins.parse("http://localhost:8080").allows(URI.create("http://localhost:8080/a"))).isTrue();
    }
}
