package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityTest {
    Harness h;

    @BeforeEach void up() throws Exception { h = Harness.connected(null, null); }
    @AfterEach void down() { h.close(); }

    @Test
    void refreshRotatesAndTheOldTokenHasAThirtyMinuteGrace() throws Exception {
        String r0 = h.refreshToken;
        JsonNode first = h.token(Map.of("grant_type", "refresh_token", "refresh_token", r0)).json();
        String r1 = first.get("refresh_token").asText();
        assertThat(r1).isNotEqualTo(r0);
        assertThat(first.get("expires_in").asInt()).isEqualTo(1800);
        assertThat(first.get("token_type").asText()).isEqualTo("Bearer");

        h.admin.advanceClock(29 * 60);
        Harness.Res again = h.token(Map.of("grant_type", "refresh_token", "refresh_token", r0));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("refresh_token").asText()).isEqualTo(r1);

        h.admin.advanceClock(2 * 60);
        Harness.Res late = h.token(Map.of("grant_type", "refresh_token", "refresh_token", r0));
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.json().get("error").asText()).isEqualTo("invalid_grant");

        assertThat(h.token(Map.of("grant_type", "refresh_token", "refresh_token", r1)).status()).isEqualTo(200);
    }

    @Test
    void accessTokenExpiresAfterThirtyMinutesAndUnusedRefreshAfterSixtyDays() throws Exception {
        assertThat(h.get("Contacts").status()).isEqualTo(200);
        h.admin.advanceClock(30 * 60);
        Harness.Res r = h.get("Contacts");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("Title").asText()).isEqualTo("Unauthorized");
        assertThat(r.json().get("Detail").asText()).startsWith("TokenExpired");
        h.admin.advanceClock(61L * 86400);
        assertThat(h.token(Map.of("grant_type", "refresh_token", "refresh_token", h.refreshToken)).json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void codeIsSingleUseAndConnectionsListTheTenant() throws Exception {
        JsonNode conns = h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/connections"))
                .header("Authorization", "Bearer " + h.accessToken).GET().build()).json();
        assertThat(conns).hasSize(1);
        assertThat(conns.get(0).get("tenantId").asText()).isEqualTo(h.tenantId);
        assertThat(conns.get(0).get("tenantType").asText()).isEqualTo("ORGANISATION");
        assertThat(conns.get(0).get("tenantName").asText()).isEqualTo("Acme Learning");

        Harness.Res del = h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/connections/" + conns.get(0).get("id").asText()))
                .header("Authorization", "Bearer " + h.accessToken).DELETE().build());
        assertThat(del.status()).isEqualTo(204);
        assertThat(h.get("Contacts").status()).isEqualTo(403);
    }

    @Test
    void revocationEndsAccessAndUnknownTenantIsForbidden() throws Exception {
        String saved = h.tenantId;
        h.tenantId = h.admin.createTenant("Not connected", null);
        Harness.Res r = h.get("Contacts");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("Detail").asText()).isEqualTo("AuthenticationUnsuccessful");
        h.tenantId = saved;
        h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/connect/revocation"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((Harness.CLIENT_ID + ":" + Harness.SECRET).getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + Harness.enc(h.refreshToken))).build());
        assertThat(h.get("Contacts").status()).isEqualTo(401);
        assertThat(h.token(Map.of("grant_type", "refresh_token", "refresh_token", h.refreshToken)).json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void consentPageWithoutAutoConsentAndPkceWithoutSecret() throws Exception {
        h.admin.consent(null);
        String verifier = "a-verifier-that-is-long-enough-to-be-valid-0123456789";
        String q = "response_type=code&client_id=" + Harness.CLIENT_ID + "&redirect_uri=" + Harness.enc(Harness.REDIRECT)
                + "&scope=" + Harness.enc("offline_access accounting.contacts") + "&state=s1&code_challenge=" + Identity.s256(verifier) + "&code_challenge_method=S256";
        Harness.Res page = h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/identity/connect/authorize?" + q)).GET().build());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("<form method=\"post\"").contains("Acme Learning");
        // the person clicks "Allow access"
        Harness.Res click = h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/identity/connect/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(q + "&tenant=" + h.tenantId + "&consent=allow")).build());
        assertThat(click.status()).isEqualTo(302);
        String loc = click.header("Location");
        assertThat(loc).startsWith(Harness.REDIRECT).contains("state=s1");
        String code = java.net.URLDecoder.decode(loc.replaceAll(".*[?&]code=([^&]+).*", "$1"), java.nio.charset.StandardCharsets.UTF_8);
        String form = Harness.form(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", Harness.REDIRECT,
                "client_id", Harness.CLIENT_ID, "code_verifier", verifier));
        Harness.Res tok = h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertThat(tok.status()).isEqualTo(200);
        assertThat(tok.json().get("scope").asText()).isEqualTo("offline_access accounting.contacts");
        // granular scope: contacts yes, invoices no
        assertThat(h.api(tok.json().get("access_token").asText(), "GET", "Contacts", null, null).status()).isEqualTo(200);
        assertThat(h.api(tok.json().get("access_token").asText(), "GET", "Invoices", null, null).status()).isEqualTo(403);
        // the code is single-use
        Harness.Res reuse = h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertThat(reuse.json().get("error").asText()).isEqualTo("invalid_grant");
        // unregistered redirect URI is refused
        Harness.Res bad = h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/identity/connect/authorize?response_type=code&client_id="
                + Harness.CLIENT_ID + "&redirect_uri=" + Harness.enc("http://evil.example/cb"))).GET().build());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Location")).isNull();
    }
}
