package org.lrm.xero.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lrm.xero.testing.ApiContract;

/**
 * Who may call what, over every JWT route of the contract, through the local gateway (the same JWT
 * authorizer checks as API Gateway's: signature, issuer, audience, expiry) in front of the real
 * handlers: no token, an expired token and a token for another audience get 401 from the
 * authorizer; another organisation's learner, staff on admin routes and a learner on another
 * learner's records get 403, or 404 where 403 would tell that the record exists. Operators (the
 * vendor's support, across organisations) get 403 on every organisation's route, even with a token
 * naming the organisation, and everyone else gets 403 on the operators' routes. Every answer is
 * one the API's OpenAPI document allows, and the roles the document gives each route are the ones
 * proven here.
 */
class AccessMatrixIT {

    private static final String SECRET = "access-matrix-secret";
    private static final String ORG = "org-a";
    private static final String OTHER_ORG = "org-b";
    private static LocalRun run;
    private static GatewayClient gateway;
    private static Jwt jwt;

    /** A route of the contract with a request that would be valid, and who may call it. */
    private record Route(String method, String path, String body, Who who, boolean ofALearner) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Who may call a route, and the roles the API document lists for it ({@code x-roles}). */
    private enum Who {
        ADMIN(List.of("admin")), STAFF(List.of("admin", "staff")), STAFF_OR_THE_LEARNER(List.of("admin", "staff", "learner")),
        OPERATOR(List.of("operator"));

        final List<String> roles;

        Who(List<String> roles) {
            this.roles = roles;
        }
    }

    private static final ApiContract CONTRACT = ApiContract.load();

    private static final List<Route> ROUTES = List.of(
            new Route("GET", "/v1/xero/connect?returnTo=https://lrm.example.org/settings", null, Who.ADMIN, false),
            new Route("GET", "/v1/xero/connection", null, Who.STAFF, false),
            new Route("DELETE", "/v1/xero/connection", null, Who.ADMIN, false),
            new Route("PUT", "/v1/learners/L-9", learner("L-9", "W9"), Who.STAFF, true),
            new Route("POST", "/v1/learners/L-1/sync", null, Who.STAFF, true),
            new Route("POST", "/v1/learners:bulk-sync", "{\"learners\":[" + learner("L-3", "W3") + "]}", Who.ADMIN, false),
            new Route("GET", "/v1/learners/L-1/xero", null, Who.STAFF_OR_THE_LEARNER, true),
            new Route("POST", "/v1/learners/L-1/merge", "{\"intoLearnerId\":\"L-2\"}", Who.STAFF, true),
            new Route("GET", "/v1/learners/L-1/invoices", null, Who.STAFF_OR_THE_LEARNER, true),
            new Route("GET", "/v1/learners/L-1/invoices/00000000-0000-0000-0000-000000000001/pdf", null, Who.STAFF_OR_THE_LEARNER, true),
            new Route("GET", "/v1/learners/L-1/logbook", null, Who.STAFF, true),
            new Route("POST", "/v1/xero/resync", "{\"from\":\"2027-01-01\",\"to\":\"2027-01-31\",\"invoices\":true,\"learners\":false}",
                    Who.ADMIN, false),
            new Route("GET", "/v1/xero/resync/job-1", null, Who.STAFF, false),
            new Route("GET", "/v1/reports/finance?since=2027-01-01T00:00:00Z", null, Who.STAFF, false),
            new Route("GET", "/v1/learners?state=PENDING", null, Who.STAFF, false),
            new Route("GET", "/v1/xero/resync", null, Who.STAFF, false),
            new Route("GET", "/v1/operator/organisations", null, Who.OPERATOR, false),
            new Route("GET", "/v1/operator/organisations/" + ORG + "/failing-learners", null, Who.OPERATOR, false),
            new Route("GET", "/v1/operator/dead-letters?queue=learner-sync", null, Who.OPERATOR, false),
            new Route("POST", "/v1/operator/dead-letters:replay", "{\"queue\":\"learner-sync\",\"dryRun\":true}", Who.OPERATOR,
                    false));

    @BeforeAll
    static void start() {
        run = LocalRun.start(new LocalOptions(0, 0, 0, System.getenv("AWS_ENDPOINT_URL"), false, 0, SECRET),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        gateway = new GatewayClient(run);
        jwt = new Jwt(SECRET);
        String staff = run.token(ORG, "staff", null);
        gateway.expect(202, gateway.send("PUT", "/v1/learners/L-1", staff, learner("L-1", "W1")));
        gateway.expect(202, gateway.send("PUT", "/v1/learners/L-2", staff, learner("L-2", "W2")));
    }

    @AfterAll
    static void stop() {
        run.close();
    }

    private static String learner(String id, String ref) {
        return "{\"learnerId\":\"" + id + "\",\"refInternal\":\"" + ref + "\",\"firstName\":\"Ana\",\"lastName\":\"Lopez" + ref
                + "\",\"syncToXero\":true}";
    }

    @Test
    void theDocumentGivesEachJwtRouteTheRolesProvenHere() {
        List<String> documented = new ArrayList<>();
        for (ApiContract.Operation op : CONTRACT.operations()) {
            if (!op.node().has("security")) {
                documented.add(op.routeKey());
            }
        }
        List<String> proven = new ArrayList<>();
        for (Route route : ROUTES) {
            ApiContract.Operation op = CONTRACT.operation(route.method(), route.path().split("\\?")[0]).orElseThrow();
            proven.add(op.routeKey());
            List<String> roles = new ArrayList<>();
            op.node().path("x-roles").forEach(r -> roles.add(r.asText()));
            assertThat(roles).as("x-roles of %s", op).containsExactlyInAnyOrderElementsOf(route.who().roles);
        }
        assertThat(proven).as("every JWT route of the document is in this matrix").containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void theAuthorizerRefusesMissingExpiredAndForeignTokensOnEveryJwtRoute() {
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("expired token", jwt.sign(claims("admin", null, "exp", now.minusSeconds(1).getEpochSecond())));
        tokens.put("wrong audience", jwt.sign(claims("admin", null, "aud", "another-api")));
        tokens.put("wrong issuer", jwt.sign(claims("admin", null, "iss", "https://elsewhere.example")));
        tokens.put("another key", new Jwt("not-" + SECRET).forUser(ORG, "admin", "u", null, now, Duration.ofHours(1)));
        tokens.put("not yet valid", jwt.sign(claims("admin", null, "nbf", now.plusSeconds(3600).getEpochSecond())));
        List<String> seen = new ArrayList<>();
        for (Route route : ROUTES) {
            tokens.forEach((what, token) -> {
                HttpResponse<String> r = gateway.send(route.method(), route.path(), token, route.body());
                assertThat(r.statusCode()).as("%s with %s", route, what).isEqualTo(401);
                assertThat(r.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
                assertThat(CONTRACT.check(route.method(), route.path(), r)).as("%s with %s", route, what).isEmpty();
                seen.add(route + " " + what);
            });
        }
        assertThat(seen).hasSize(ROUTES.size() * tokens.size());
        // The same requests with a valid admin token get past the authorizer (control).
        assertThat(gateway.send("GET", "/v1/xero/connection", run.token(ORG, "admin", null), null).statusCode()).isEqualTo(200);
    }

    @Test
    void theHandlersKeepEachCallerToTheirOrganisationRoleAndLearner() {
        List<String> rows = new ArrayList<>();
        String operator = run.token(null, "operator", null);
        String operatorNamingOurOrg = jwt.sign(claims("operator", null));
        for (Route route : ROUTES) {
            if (route.who() == Who.OPERATOR) {
                rows.add(expect(route, "an admin on an operator route", run.token(ORG, "admin", null), 403));
                rows.add(expect(route, "staff on an operator route", run.token(ORG, "staff", null), 403));
                rows.add(expect(route, "a learner on an operator route", run.token(ORG, "learner", "L-1"), 403));
                rows.add(expect(route, "a valid token without a role claim", jwt.sign(claims(null, null)), 401));
                // The operator gets through. org-a never connected Xero here, so its failed learners are not found.
                int reached = route.path().endsWith("/failing-learners") ? 404 : 200;
                HttpResponse<String> control = gateway.send(route.method(), route.path(), operator, route.body());
                assertThat(control.statusCode()).as("%s by an operator: %s", route, control.body()).isEqualTo(reached);
                assertThat(CONTRACT.check(route.method(), route.path(), control)).as("%s by an operator", route).isEmpty();
                continue;
            }
            rows.add(expect(route, "an operator on an organisation's route", operator, 403));
            rows.add(expect(route, "an operator whose token names the organisation", operatorNamingOurOrg, 403));
            String allowedRole = route.who() == Who.ADMIN ? "admin" : "staff";
            if (route.ofALearner()) {
                // A PUT is an upsert in the caller's own organisation: it creates their own L-1 and touches nothing of ours.
                int otherOrg = route.method().equals("PUT") ? 202 : 404;
                rows.add(expect(route, "another organisation's " + allowedRole, run.token(OTHER_ORG, allowedRole, null), otherOrg));
            }
            if (route.who() == Who.ADMIN) {
                rows.add(expect(route, "staff on an admin route", run.token(ORG, "staff", null), 403));
            }
            if (route.who() == Who.STAFF_OR_THE_LEARNER) {
                rows.add(expect(route, "another learner", run.token(ORG, "learner", "L-2"), 404));
                rows.add(expect(route, "a learner of another organisation with the same id", run.token(OTHER_ORG, "learner", "L-1"), 404));
            } else {
                rows.add(expect(route, "a learner on a staff route", run.token(ORG, "learner", "L-1"), 403));
            }
            rows.add(expect(route, "a valid token without a role claim", jwt.sign(claims(null, null)), 401));
        }
        System.out.println("ACCESS-MATRIX " + rows.size() + " cases\n" + String.join("\n", rows));
        // Controls: the owners get through.
        assertThat(gateway.send("GET", "/v1/learners/L-1/xero", run.token(ORG, "learner", "L-1"), null).statusCode()).isEqualTo(200);
        assertThat(gateway.send("GET", "/v1/learners/L-1/xero", run.token(ORG, "staff", null), null).statusCode()).isEqualTo(200);
        assertThat(gateway.send("GET", "/v1/learners/L-1/invoices", run.token(ORG, "learner", "L-1"), null).statusCode()).isEqualTo(200);
        // Lists are of the caller's organisation only.
        assertThat(gateway.send("GET", "/v1/learners", run.token(ORG, "staff", null), null).body()).contains("LopezW1", "LopezW2");
        HttpResponse<String> theirs = gateway.send("GET", "/v1/learners", run.token(OTHER_ORG, "staff", null), null);
        assertThat(theirs.statusCode()).isEqualTo(200);
        assertThat(theirs.body()).doesNotContain("LopezW1").doesNotContain("LopezW2");
    }

    private static String expect(Route route, String who, String token, int status) {
        HttpResponse<String> r = gateway.send(route.method(), route.path(), token, route.body());
        assertThat(r.statusCode()).as("%s by %s: %s", route, who, r.body()).isEqualTo(status);
        if (status >= 400) {
            assertThat(r.headers().firstValue("content-type")).as("%s by %s", route, who).contains("application/problem+json");
        }
        assertThat(r.body()).as("%s by %s reveals nothing of org %s", route, who, ORG).doesNotContain("Lopez").doesNotContain("W1\"");
        assertThat(CONTRACT.check(route.method(), route.path(), r)).as("%s by %s", route, who).isEmpty();
        return route + " | " + who + " -> " + status;
    }

    private static Map<String, Object> claims(String role, String learner, Object... overrides) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", Jwt.ISSUER);
        c.put("aud", Jwt.AUDIENCE);
        c.put("sub", "u-matrix");
        c.put("org", ORG);
        if (role != null) {
            c.put("role", role);
        }
        if (learner != null) {
            c.put("learner", learner);
        }
        c.put("exp", Instant.now().plusSeconds(600).getEpochSecond());
        for (int i = 0; i < overrides.length; i += 2) {
            c.put((String) overrides[i], overrides[i + 1]);
        }
        return c;
    }
}
