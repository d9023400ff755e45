package org.lrm.xero.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local run started in this JVM on free ports, used over HTTP as a developer would. */
class LocalRunIT {

    private static final String SECRET = "it-secret";
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static LocalRun run;
    private static GatewayClient gateway;

    @BeforeAll
    static void start() {
        run = LocalRun.start(new LocalOptions(0, 0, 0, System.getenv("AWS_ENDPOINT_URL"), false, 0, SECRET),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        gateway = new GatewayClient(run);
    }

    @AfterAll
    static void stop() {
        try {
            run.sandboxAdmin().assertContractKept();
        } finally {
            run.close();
        }
    }

    @Test
    void routesBehindTheAuthorizerNeedAValidToken() {
        Jwt jwt = new Jwt(SECRET);
        Instant now = Instant.now();
        String wrongAudience = jwt.sign(claims("aud", "someone-else", "exp", now.plusSeconds(600).getEpochSecond()));
        String wrongIssuer = jwt.sign(claims("iss", "https://elsewhere", "exp", now.plusSeconds(600).getEpochSecond()));
        String expired = jwt.sign(claims("exp", now.minusSeconds(5).getEpochSecond()));
        String otherKey = new Jwt("not-" + SECRET).forUser("org-it", "staff", "u", null, now, Duration.ofHours(1));

        for (String token : new String[] {null, "not-a-jwt", wrongAudience, wrongIssuer, expired, otherKey}) {
            HttpResponse<String> r = gateway.send("GET", "/v1/xero/connection", token, null);
            assertThat(r.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        }
        String valid = jwt.sign(claims("exp", now.plusSeconds(600).getEpochSecond()));
        assertThat(gateway.expect(200, gateway.send("GET", "/v1/xero/connection", valid, null)).get("status").asText())
                .isEqualTo("DISCONNECTED");
    }

    @Test
    void aStaffTokenSavesALearnerAndReadsItsStatus() {
        String staff = run.token("org-unconnected", "staff", null);
        gateway.expect(202, gateway.send("PUT", "/v1/learners/L-7", staff, learner("W000007", "Ana")));
        JsonNode status = gateway.expect(200, gateway.send("GET", "/v1/learners/L-7/xero", staff, null));
        assertThat(status.get("syncToXero").asBoolean()).isTrue();
        assertThat(status.get("state").asText()).isEqualTo("PENDING");
        // A learner's own token reads only their own status.
        assertThat(gateway.send("GET", "/v1/learners/L-7/xero", run.token("org-unconnected", "learner", "L-7"), null).statusCode())
                .isEqualTo(200);
        assertThat(gateway.send("GET", "/v1/learners/L-7/xero", run.token("org-unconnected", "learner", "L-8"), null).statusCode())
                .isIn(403, 404);
    }

    @Test
    void theXeroFacingRoutesNeedNoJwt() throws Exception {
        // The OAuth callback is the handler's to refuse (no stored state), not the authorizer's.
        HttpResponse<String> callback = gateway.send("GET", "/v1/xero/callback?code=x&state=unknown", null, null);
        assertThat(callback.statusCode()).isNotEqualTo(401);
        String body = "{\"events\":[],\"firstEventSequence\":0,\"lastEventSequence\":0,\"entropy\":\"IT\"}";
        String key = webhookKey();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> signed = gateway.sendWithHeaders("POST", "/v1/xero/webhooks", body, Map.of("x-xero-signature", signature));
        assertThat(signed.statusCode()).isEqualTo(200);
        HttpResponse<String> unsigned = gateway.sendWithHeaders("POST", "/v1/xero/webhooks", body, Map.of("x-xero-signature", "AAAA"));
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).isNotEqualTo("{\"message\":\"Unauthorized\"}");
    }

    @Test
    void aLearnerSyncTravelsThroughTheQueueToXero() {
        String tenant = run.sandboxAdmin().createTenant("IT Training Co", null);
        gateway.connect("org-it-sync", tenant);
        String staff = run.token("org-it-sync", "staff", null);
        gateway.expect(202, gateway.send("PUT", "/v1/learners/L-1", staff, learner("W100001", "Bo")));

        JsonNode status = waitFor(() -> gateway.expect(200, gateway.send("GET", "/v1/learners/L-1/xero", staff, null)),
                s -> s.get("state").asText().equals("SYNCED"));
        assertThat(status.get("contactName").asText()).isEqualTo("Bo Lopez W100001");
        JsonNode contact = null;
        for (JsonNode c : run.sandboxAdmin().state(tenant).get("Contacts")) {
            if (c.get("ContactID").asText().equals(status.get("contactId").asText())) {
                contact = c;
            }
        }
        assertThat(contact).isNotNull();
        assertThat(contact.get("ContactNumber").asText()).isEqualTo("W100001");
        assertThat(waitFor(run::queueDepths, d -> d.values().stream().allMatch(n -> n == 0))).isNotEmpty();
    }

    @Test
    void aScheduleRunsWhenTriggered() {
        HttpResponse<String> unknown = gateway.send("POST", "/local/schedules/NoSuchSchedule", null, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        String tenant = run.sandboxAdmin().createTenant("IT Poll Co", null);
        gateway.connect("org-it-poll", tenant);
        long before = run.sandboxAdmin().stats().at("/tenants/" + tenant + "/appCalls").asLong();
        JsonNode fired = gateway.expect(200, gateway.send("POST", "/local/schedules/TransactionPoll", null, null));
        assertThat(fired.get("schedule").asText()).isEqualTo("TransactionPoll");
        // The schedule only queues the organisation's poll; the scheduled-work worker, fed by its queue, asks Xero.
        assertThat(waitFor(() -> run.sandboxAdmin().stats().at("/tenants/" + tenant + "/appCalls").asLong(), n -> n > before))
                .as("the poll asked Xero for the connected organisation's changes").isGreaterThan(before);
    }

    @Test
    void theConsoleSaysWhereEverythingIsAndGivesWorkingTokens() {
        run.printWelcome();
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains(run.gatewayUri().toString(), run.sandboxUri().toString(), run.awsEndpoint().toString(),
                "lrm-xero-dev-integration", "lrm-xero-dev-learner-sync", "curl");
        for (String role : List.of("ADMIN", "STAFF", "LEARNER")) {
            String token = printed.lines().filter(l -> l.startsWith("export " + role + "=")).findFirst().orElseThrow()
                    .replaceFirst("export " + role + "=", "").split(" ")[0];
            assertThat(gateway.send("GET", "/v1/learners/" + LocalRun.LEARNER + "/xero", token, null).statusCode())
                    .as(role).isNotEqualTo(401);
        }
    }

    private static String webhookKey() {
        String secret = run.aws().secretsManager().getSecretValue(b -> b.secretId(run.environment().get("XERO_WEBHOOK_KEY_SECRET_ID")))
                .secretString();
        return GatewayClient.json(secret).get("webhookKey").asText();
    }

    private static Map<String, Object> claims(Object... overrides) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", Jwt.ISSUER);
        c.put("aud", Jwt.AUDIENCE);
        c.put("sub", "u-it");
        c.put("org", "org-it");
        c.put("role", "staff");
        for (int i = 0; i < overrides.length; i += 2) {
            c.put((String) overrides[i], overrides[i + 1]);
        }
        return c;
    }

    private static String learner(String ref, String firstName) {
        return "{\"refInternal\":\"" + ref + "\",\"firstName\":\"" + firstName + "\",\"lastName\":\"Lopez\","
                + "\"email\":\"" + ref.toLowerCase() + "@example.org\",\"syncToXero\":true}";
    }

    private static <T> T waitFor(java.util.function.Supplier<T> probe, java.util.function.Predicate<T> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        T last = probe.get();
        while (!done.test(last)) {
            assertThat(Instant.now()).as("waiting; last seen %s", last).isBefore(deadline);
            last = probe.get();
        }
        return last;
    }
}
