package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Apps have a creation date; new ones get only granular scopes; each scope reaches what Xero lets it; tokens are Xero's JWTs. */
class ScopesTest {
    Harness h;

    @BeforeEach void up() throws Exception { h = Harness.connected(null, null); }
    @AfterEach void down() { h.close(); }

    /** The Location of GET /identity/connect/authorize with these scopes. */
    private String authorizeLocation(String scope) throws Exception {
        String q = "response_type=code&client_id=" + Harness.CLIENT_ID + "&redirect_uri=" + Harness.enc(Harness.REDIRECT)
                + "&scope=" + Harness.enc(scope) + "&state=s-1";
        HttpResponse<String> r = h.http.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/identity/connect/authorize?" + q)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(302);
        return URLDecoder.decode(r.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void aNewAppIsRefusedTheBroadScopesAsXeroRefusesThem() throws Exception {
        assertThat(authorizeLocation("offline_access accounting.transactions accounting.contacts"))
                .startsWith(Harness.REDIRECT + "?error=unauthorized_client&error_description=Invalid scope for client").endsWith("state=s-1");
        assertThat(authorizeLocation("offline_access accounting.reports.read")).contains("error=unauthorized_client");
        assertThat(authorizeLocation("offline_access accounting.everything")).contains("error=invalid_scope");
        assertThat(authorizeLocation("offline_access accounting.invoices.read accounting.contacts")).contains("code=");
    }

    @Test
    void anAppCreatedBeforeMarch2026MayStillUseTheBroadOnes() throws Exception {
        h.admin.registerApp(new SandboxAdminClient.App(Harness.CLIENT_ID, Harness.SECRET, List.of(Harness.REDIRECT), null, null,
                Instant.parse("2025-06-01T00:00:00Z"), List.of()));
        String token = h.authorize("offline_access accounting.transactions accounting.contacts").get("access_token").asText();
        assertThat(h.api(token, "GET", "BankTransactions", null, null).status()).isEqualTo(200);
        assertThat(h.api(token, "GET", "Invoices", null, null).status()).isEqualTo(200);
        assertThat(h.api(token, "GET", "Accounts", null, null).status()).isEqualTo(403);
    }

    @Test
    void eachGranularScopeReachesOnlyItsEndpointsAndReadScopesOnlyRead() throws Exception {
        String token = h.authorize("offline_access accounting.payments accounting.invoices.read accounting.contacts.read").get("access_token").asText();
        assertThat(h.api(token, "GET", "Payments", null, null).status()).isEqualTo(200);
        assertThat(h.api(token, "GET", "Prepayments", null, null).status()).isEqualTo(200);
        assertThat(h.api(token, "GET", "Overpayments", null, null).status()).isEqualTo(200);
        Harness.Res bank = h.api(token, "GET", "BankTransactions", null, null);
        assertThat(bank.status()).isEqualTo(403);
        assertThat(bank.json().get("Detail").asText()).isEqualTo("AuthorizationUnsuccessful");
        assertThat(h.api(token, "GET", "Invoices", null, null).status()).isEqualTo(200);
        assertThat(h.api(token, "GET", "CreditNotes", null, null).status()).isEqualTo(200);
        Harness.Res write = h.api(token, "PUT", "Contacts", "{\"Contacts\":[{\"Name\":\"Not Allowed\"}]}", null);
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().get("Title").asText()).isEqualTo("Forbidden");
        assertThat(write.json().get("Detail").asText()).isEqualTo("AuthorizationUnsuccessful");
        assertThat(h.api(token, "GET", "Contacts", null, null).status()).isEqualTo(200);
        assertThat(h.api(token, "GET", "Organisation", null, null).status()).isEqualTo(403);
    }

    @Test
    void accessTokensAreJwtsCarryingTheAuthenticationEvent() throws Exception {
        String[] parts = h.accessToken.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = Harness.M.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = Harness.M.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(header.get("kid").asText()).isNotBlank();
        assertThat(claims.get("exp").asLong() - claims.get("nbf").asLong()).isEqualTo(1800);
        assertThat(claims.get("xero_userid").asText()).matches("[0-9a-f-]{36}");
        assertThat(claims.get("client_id").asText()).isEqualTo(Harness.CLIENT_ID);
        assertThat(claims.get("scope")).extracting(JsonNode::asText).contains("offline_access", "accounting.contacts");
        JsonNode conns = h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/connections"))
                .header("Authorization", "Bearer " + h.accessToken).GET().build()).json();
        String authEventId = claims.get("authentication_event_id").asText();
        assertThat(conns.get(0).get("authEventId").asText()).isEqualTo(authEventId);
        JsonNode filtered = h.send(HttpRequest.newBuilder(h.sandbox.baseUri().resolve("/connections?authEventId=" + authEventId))
                .header("Authorization", "Bearer " + h.accessToken).GET().build()).json();
        assertThat(filtered).hasSize(1);

        // A refreshed token belongs to the same authentication event.
        String refreshed = h.token(java.util.Map.of("grant_type", "refresh_token", "refresh_token", h.refreshToken)).json().get("access_token").asText();
        JsonNode again = Harness.M.readTree(Base64.getUrlDecoder().decode(refreshed.split("\\.")[1]));
        assertThat(again.get("authentication_event_id").asText()).isEqualTo(authEventId);
        assertThat(again.get("jti").asText()).isNotEqualTo(claims.get("jti").asText());
    }
}
