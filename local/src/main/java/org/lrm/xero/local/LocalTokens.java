package org.lrm.xero.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The local run's token desk, for the console's role picker: {@code GET /local/tokens} says what
 * it mints, {@code POST /local/tokens {role, learnerId?, orgId?}} mints an HS256 token the local
 * gateway's authorizer accepts (an operator's has no organisation). Only on the local gateway (never in the template) and only to
 * loopback callers: in AWS the LRM issues the tokens.
 */
final class LocalTokens {

    static final List<String> ROLES = List.of("admin", "staff", "learner", "operator");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jwt jwt;
    private final Clock clock;
    private final String defaultOrg;
    private final String defaultLearner;
    private final Duration ttl;

    LocalTokens(Jwt jwt, Clock clock, String defaultOrg, String defaultLearner, Duration ttl) {
        this.jwt = jwt;
        this.clock = clock;
        this.defaultOrg = defaultOrg;
        this.defaultLearner = defaultLearner;
        this.ttl = ttl;
    }

    APIGatewayV2HTTPResponse describe(APIGatewayV2HTTPEvent event, Context context) {
        if (!fromLoopback(event)) {
            return json(403, Map.of("message", "Forbidden"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("orgId", defaultOrg);
        out.put("roles", ROLES);
        out.put("learnerId", defaultLearner);
        out.put("ttlSeconds", ttl.toSeconds());
        return json(200, out);
    }

    APIGatewayV2HTTPResponse mint(APIGatewayV2HTTPEvent event, Context context) {
        if (!fromLoopback(event)) {
            return json(403, Map.of("message", "Forbidden"));
        }
        JsonNode body;
        try {
            body = event.getBody() == null || event.getIsBase64Encoded() ? null : JSON.readTree(event.getBody());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return problem(List.of(Map.of("field", "body", "message", "must be a JSON object {role, learnerId?, orgId?}")));
        }
        String role = body.path("role").asText("");
        String learnerId = body.path("learnerId").isTextual() ? body.get("learnerId").asText() : null;
        String orgId = body.path("orgId").isTextual() ? body.get("orgId").asText() : defaultOrg;
        List<Map<String, String>> errors = new ArrayList<>();
        if (!ROLES.contains(role)) {
            errors.add(Map.of("field", "role", "message", "must be one of " + String.join(", ", ROLES)));
        }
        if (role.equals("learner") && (learnerId == null || !ID.matcher(learnerId).matches())) {
            errors.add(Map.of("field", "learnerId", "message", "is required for a learner: 1 to 64 letters, digits, . _ or -"));
        }
        if (!role.equals("learner") && learnerId != null) {
            errors.add(Map.of("field", "learnerId", "message", "is only for role learner"));
        }
        if (!ID.matcher(orgId).matches()) {
            errors.add(Map.of("field", "orgId", "message", "must be 1 to 64 letters, digits, . _ or -"));
        }
        if (!errors.isEmpty()) {
            return problem(errors);
        }
        Instant now = clock.instant();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", jwt.forUser(orgId, role, role + "-user", learnerId, now, ttl));
        out.put("role", role);
        out.put("orgId", role.equals("operator") ? null : orgId);
        out.put("learnerId", learnerId);
        out.put("expiresAt", now.plus(ttl).toString());
        return json(200, out);
    }

    static boolean fromLoopback(APIGatewayV2HTTPEvent event) {
        String ip = event.getRequestContext() == null || event.getRequestContext().getHttp() == null ? null
                : event.getRequestContext().getHttp().getSourceIp();
        try {
            return ip != null && InetAddress.getByName(ip).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static APIGatewayV2HTTPResponse problem(List<Map<String, String>> errors) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "https://lrm.example.org/problems/validation");
        p.put("title", "The request is not valid");
        p.put("status", 400);
        p.put("detail", errors.size() == 1 ? errors.get(0).get("field") + " " + errors.get(0).get("message")
                : errors.size() + " fields are not valid");
        p.put("errors", errors);
        return write(400, "application/problem+json", p);
    }

    private static APIGatewayV2HTTPResponse json(int status, Object body) {
        return write(status, "application/json", body);
    }

    private static APIGatewayV2HTTPResponse write(int status, String type, Object body) {
        try {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                    .withHeaders(Map.of("content-type", type, "cache-control", "no-store")).withBody(JSON.writeValueAsString(body))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
