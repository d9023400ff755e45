package org.lrm.xero.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local token desk: the roles the console's picker offers, minted only for loopback callers. */
class LocalTokensTest {

    private static final Instant NOW = Instant.parse("2027-03-01T00:00:00Z");
    private final Jwt jwt = new Jwt("desk-secret");
    private final LocalTokens desk = new LocalTokens(jwt, Clock.fixed(NOW, ZoneOffset.UTC), "org-local", "L-1", Duration.ofHours(12));

    @Test
    void eachRoleGetsATokenTheGatewayAccepts() throws Exception {
        for (String role : LocalTokens.ROLES) {
            String body = role.equals("learner") ? "{\"role\":\"learner\",\"learnerId\":\"L-7\"}" : "{\"role\":\"" + role + "\"}";
            APIGatewayV2HTTPResponse r = desk.mint(post(body, "127.0.0.1"), null);
            assertThat(r.getStatusCode()).as(role).isEqualTo(200);
            JsonNode minted = new ObjectMapper().readTree(r.getBody());
            Map<String, Object> claims = jwt.verify(minted.get("token").asText(), NOW.plusSeconds(60)).orElseThrow();
            assertThat(claims).containsEntry("role", role);
            assertThat(claims.get("org")).as("an operator belongs to no organisation")
                    .isEqualTo(role.equals("operator") ? null : "org-local");
            assertThat(claims.get("learner")).isEqualTo(role.equals("learner") ? "L-7" : null);
            assertThat(jwt.verify(minted.get("token").asText(), NOW.plus(Duration.ofHours(13)))).as("expires").isEmpty();
        }
    }

    @Test
    void badRequestsAreNamedAndOtherHostsAreRefused() throws Exception {
        APIGatewayV2HTTPResponse bad = desk.mint(post("{\"role\":\"root\",\"learnerId\":\"L 1\"}", "127.0.0.1"), null);
        assertThat(bad.getStatusCode()).isEqualTo(400);
        assertThat(bad.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(new ObjectMapper().readTree(bad.getBody()).get("errors").findValuesAsText("field"))
                .containsExactly("role", "learnerId");
        assertThat(desk.mint(post("{\"role\":\"learner\"}", "127.0.0.1"), null).getStatusCode()).isEqualTo(400);
        assertThat(desk.mint(post("not json", "127.0.0.1"), null).getStatusCode()).isEqualTo(400);
        assertThat(desk.mint(post("{\"role\":\"admin\"}", "192.0.2.10"), null).getStatusCode()).isEqualTo(403);
        assertThat(desk.describe(post(null, "192.0.2.10"), null).getStatusCode()).isEqualTo(403);
        assertThat(desk.describe(post(null, "::1"), null).getBody()).contains("\"operator\"", "\"L-1\"");
    }

    private static APIGatewayV2HTTPEvent post(String body, String sourceIp) {
        return APIGatewayV2HTTPEvent.builder().withBody(body).withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withSourceIp(sourceIp).build())
                .build()).build();
    }
}
