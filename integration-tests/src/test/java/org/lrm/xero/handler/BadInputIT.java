package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.domain.invoice.WebhookSignature;
import org.lrm.xero.domain.learner.LearnerValidation;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.ApiContract;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.HttpApiBridge;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.PlatformLimits;

/**
 * Bad input on every route of the LRM contract, through the real handlers over moto and the Xero
 * sandbox: each answer is a problem+json 4xx (webhooks: 401, empty body), and the table and the
 * queues are exactly as before. Names that merely look like SQL or a spreadsheet formula are
 * legitimate: stored as plain text and escaped in the CSV report. A replayed, correctly signed
 * webhook delivery doubles nothing.
 */
@ExtendWith(AwsEmulator.class)
class BadInputIT {

    private static final String ORG = EndToEndFlow.ORG;
    private static final String GOOD = EndToEndFlow.learnerJson("L-0", "W700000", "Learner", "Number0");
    private static final String BIG = "{\"firstName\":\"" + "x".repeat(1024 * 1024) + "\"}";

    private static EndToEndFlow flow;
    private static Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers;
    private static String invoiceId;

    @BeforeAll
    static void start() throws Exception {
        flow = EndToEndFlow.start().connect();
        flow.bulkSync(0, 3);
        flow.settle();
        flow.financeRaisesInvoices(2);
        flow.settle();
        invoiceId = Json.MAPPER.readTree(call0(flow.invoiceApi, as("GET /v1/learners/{learnerId}/invoices", "staff").path("learnerId", "L-0")).getBody())
                .at("/invoices/0/invoiceId").asText();
        handlers = new LinkedHashMap<>();
        ConnectionApiHandler connectionApi = new ConnectionApiHandler(flow.rig.root("ConnectionApiFunction", ConnectionRoot::of));
        for (String route : List.of("GET /v1/xero/connect", "GET /v1/xero/connection", "DELETE /v1/xero/connection")) {
            handlers.put(route, connectionApi);
        }
        handlers.put("GET /v1/xero/callback", new OAuthCallbackHandler(flow.rig.root("OAuthCallbackFunction", ConnectionRoot::callback)));
        for (String route : List.of("PUT /v1/learners/{learnerId}", "POST /v1/learners/{learnerId}/sync", "POST /v1/learners:bulk-sync",
                "GET /v1/learners/{learnerId}/xero", "POST /v1/learners/{learnerId}/merge", "GET /v1/learners/{learnerId}/logbook",
                "GET /v1/reports/finance")) {
            handlers.put(route, flow.learnerApi);
        }
        handlers.put("GET /v1/learners/{learnerId}/invoices", flow.invoiceApi);
        handlers.put("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf", flow.invoiceApi);
        ResyncApiHandler resync = new ResyncApiHandler(flow.rig.root("ResyncApiFunction", ResyncRoot::of));
        handlers.put("POST /v1/xero/resync", resync);
        handlers.put("GET /v1/xero/resync/{jobId}", resync);
    }

    @AfterAll
    static void stop() {
        flow.close();
    }

    private static APIGatewayV2HTTPResponse call0(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, ApiEvents event) {
        return handler.handleRequest(event.build(), null);
    }

    private static APIGatewayV2HTTPResponse call(String route, ApiEvents event) {
        return handlers.get(route).handleRequest(event.build(), null);
    }

    /** One bad request and the status it must get. */
    private record Bad(String what, String route, ApiEvents event, int status) {
    }

    private static ApiEvents as(String route, String role) {
        return ApiEvents.route(route).as(ORG, role, "u-" + role);
    }

    private static List<Bad> badRequests() {
        List<Bad> bad = new ArrayList<>();
        String put = "PUT /v1/learners/{learnerId}";
        // Bodies: malformed, wrong type, too big, unknown fields, null, empty.
        for (String route : List.of(put, "POST /v1/learners:bulk-sync", "POST /v1/learners/{learnerId}/merge", "POST /v1/xero/resync")) {
            String role = route.contains("bulk") || route.contains("resync") ? "admin" : "staff";
            bad.add(new Bad("malformed JSON", route, as(route, role).path("learnerId", "L-0").json("{\"firstName\": \"Ana\""), 400));
            bad.add(new Bad("wrong content type", route, as(route, role).path("learnerId", "L-0").body(GOOD, false)
                    .header("content-type", "text/plain"), 415));
            bad.add(new Bad("no content type", route, as(route, role).path("learnerId", "L-0").body(GOOD, false), 415));
            if (!route.contains("bulk")) { // the bulk route's larger limit is tried through HTTP, as the platform applies its own
                bad.add(new Bad("over 1 MB", route, as(route, role).path("learnerId", "L-0").json(BIG), 413));
            }
            bad.add(new Bad("unknown field", route, as(route, role).path("learnerId", "L-0").json("{\"surprise\":1}"), 400));
            bad.add(new Bad("JSON null", route, as(route, role).path("learnerId", "L-0").json("null"), 400));
            bad.add(new Bad("empty body", route, as(route, role).path("learnerId", "L-0").json(""), 400));
            bad.add(new Bad("an array", route, as(route, role).path("learnerId", "L-0").json("[]"), 400));
        }
        // Invalid learners, alone and inside a bulk request with valid ones.
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("empty first name", GOOD.replace("\"firstName\":\"Learner\"", "\"firstName\":\"  \""));
        invalid.put("no last name", GOOD.replace("\"lastName\":\"Number0\",", ""));
        invalid.put("last name over Xero's 255", GOOD.replace("Number0", "N".repeat(256)));
        invalid.put("contact name over 255", GOOD.replace("Number0", "N".repeat(240)));
        invalid.put("reference over 50", GOOD.replace("W700000", "W".repeat(51)));
        invalid.put("reference with a quote (Xero's where filter cannot hold it)", GOOD.replace("W700000", "W7\\\"0"));
        invalid.put("reference with a backslash", GOOD.replace("W700000", "W7\\\\0"));
        invalid.put("reference with a key separator", GOOD.replace("W700000", "W7#0"));
        invalid.put("enrolments over the cap of " + LearnerValidation.MAX_ENROLMENTS, GOOD.replace(
                GOOD.substring(GOOD.indexOf("[{\"enrolmentId\""), GOOD.lastIndexOf(']') + 1), enrolments(LearnerValidation.MAX_ENROLMENTS + 1, 10)));
        invalid.put("a learner over its stored size", GOOD.replace(
                GOOD.substring(GOOD.indexOf("[{\"enrolmentId\""), GOOD.lastIndexOf(']') + 1), enrolments(LearnerValidation.MAX_ENROLMENTS, 250)));
        invalid.put("control character", GOOD.replace("Number0", "Num\\u0007ber"));
        invalid.put("newline in a name", GOOD.replace("Number0", "Num\\nber"));
        invalid.put("zero-width space", GOOD.replace("Number0", "Num\\u200Bber"));
        invalid.put("emoji", GOOD.replace("Number0", "Number 😀"));
        invalid.put("lone surrogate", GOOD.replace("Number0", "Num\\uD800ber"));
        invalid.put("bad email", GOOD.replace("l-0@example.org", "not-an-email"));
        invalid.put("start date 30 February", GOOD.replace("2027-02-01", "2027-02-30"));
        invalid.put("start date in another format", GOOD.replace("2027-02-01", "01/02/2027"));
        invalid.put("syncToXero as text", GOOD.replace("\"syncToXero\":true", "\"syncToXero\":\"yes\""));
        invalid.put("learner id differs from the path", GOOD.replace("\"L-0\"", "\"L-9\""));
        invalid.forEach((what, json) -> {
            bad.add(new Bad(what, put, as(put, "staff").path("learnerId", "L-0").json(json), 400));
            if (what.contains("path")) {
                return;
            }
            bad.add(new Bad(what + " (bulk)", "POST /v1/learners:bulk-sync", as("POST /v1/learners:bulk-sync", "admin")
                    .json("{\"learners\":[" + EndToEndFlow.learnerJson("L-50", "W700050", "Fine", "Learner") + "," + json + "]}"), 400));
        });
        bad.add(new Bad("bulk: the same learner twice", "POST /v1/learners:bulk-sync", as("POST /v1/learners:bulk-sync", "admin")
                .json("{\"learners\":[" + GOOD + "," + GOOD + "]}"), 400));
        bad.add(new Bad("bulk: no learners", "POST /v1/learners:bulk-sync", as("POST /v1/learners:bulk-sync", "admin")
                .json("{\"learners\":[]}"), 400));
        bad.add(new Bad("bulk: a null learner", "POST /v1/learners:bulk-sync", as("POST /v1/learners:bulk-sync", "admin")
                .json("{\"learners\":[null]}"), 400));
        bad.add(new Bad("reference taken by another learner", put, as(put, "staff").path("learnerId", "L-77")
                .json(EndToEndFlow.learnerJson("L-77", "W700001", "Other", "Person")), 409));
        bad.add(new Bad("bad learner id in the path", put, as(put, "staff").path("learnerId", "L 0/../x")
                .json(GOOD.replace("\"learnerId\":\"L-0\",", "")), 400));
        // Dates and ranges.
        String resync = "POST /v1/xero/resync";
        for (String range : List.of("{\"from\":\"2027-13-01\",\"to\":\"2027-12-31\"}", "{\"from\":\"2027-05-01\",\"to\":\"2027-01-01\"}",
                "{\"from\":\"yesterday\",\"to\":\"2027-01-01\"}", "{\"to\":\"2027-01-01\"}", "{\"from\":\"1900-01-01\",\"to\":\"2999-01-01\"}",
                "{\"from\":\"2027-01-01\",\"to\":\"2027-02-01\",\"invoices\":false,\"learners\":false}")) {
            bad.add(new Bad("re-sync range " + range, resync, as(resync, "admin").json(range), 400));
        }
        for (String since : List.of("last tuesday", "2027-02-30T00:00:00Z", "9999999999999999999")) {
            bad.add(new Bad("report since " + since, "GET /v1/reports/finance", as("GET /v1/reports/finance", "staff").query("since", since), 400));
        }
        // Unknown ids.
        bad.add(new Bad("unknown learner: sync", "POST /v1/learners/{learnerId}/sync", as("POST /v1/learners/{learnerId}/sync", "staff")
                .path("learnerId", "L-404"), 404));
        bad.add(new Bad("unknown learner: status", "GET /v1/learners/{learnerId}/xero", as("GET /v1/learners/{learnerId}/xero", "staff")
                .path("learnerId", "L-404"), 404));
        bad.add(new Bad("unknown learner: logbook", "GET /v1/learners/{learnerId}/logbook", as("GET /v1/learners/{learnerId}/logbook", "staff")
                .path("learnerId", "L-404"), 404));
        bad.add(new Bad("unknown learner: invoices", "GET /v1/learners/{learnerId}/invoices", as("GET /v1/learners/{learnerId}/invoices", "staff")
                .path("learnerId", "L-404"), 404));
        String pdf = "GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf";
        bad.add(new Bad("unknown invoice", pdf, as(pdf, "staff").path("learnerId", "L-0").path("invoiceId", "00000000-0000-0000-0000-000000000000"), 404));
        bad.add(new Bad("another learner's invoice", pdf, as(pdf, "staff").path("learnerId", "L-1").path("invoiceId", "INVOICE"), 404));
        bad.add(new Bad("merge into an unknown learner", "POST /v1/learners/{learnerId}/merge", as("POST /v1/learners/{learnerId}/merge", "staff")
                .path("learnerId", "L-0").json("{\"intoLearnerId\":\"L-404\"}"), 404));
        bad.add(new Bad("merge into itself", "POST /v1/learners/{learnerId}/merge", as("POST /v1/learners/{learnerId}/merge", "staff")
                .path("learnerId", "L-0").json("{\"intoLearnerId\":\"L-0\"}"), 400));
        bad.add(new Bad("unknown re-sync job", "GET /v1/xero/resync/{jobId}", as("GET /v1/xero/resync/{jobId}", "staff").path("jobId", "nope"), 404));
        // Connect and callback.
        for (String returnTo : List.of("javascript:alert(1)", "/relative", "not a url")) {
            bad.add(new Bad("returnTo " + returnTo, "GET /v1/xero/connect", as("GET /v1/xero/connect", "admin").query("returnTo", returnTo), 400));
        }
        bad.add(new Bad("no returnTo", "GET /v1/xero/connect", as("GET /v1/xero/connect", "admin"), 400));
        bad.add(new Bad("returnTo on a host not among the LRM origins", "GET /v1/xero/connect", as("GET /v1/xero/connect", "admin")
                .query("returnTo", "https://evil.example/phish"), 400));
        bad.add(new Bad("callback with a state we never issued", "GET /v1/xero/callback", ApiEvents.route("GET /v1/xero/callback")
                .query("code", "abc").query("state", "forged"), 400));
        bad.add(new Bad("callback without code or state", "GET /v1/xero/callback", ApiEvents.route("GET /v1/xero/callback"), 400));
        return bad;
    }

    @Test
    void everyBadRequestGetsProblemJsonAndChangesNothing() throws Exception {
        String before = snapshot();
        List<String> answers = new ArrayList<>();
        List<Bad> bad = badRequests().stream().map(b -> b.what().equals("another learner's invoice")
                ? new Bad(b.what(), b.route(), b.event().path("invoiceId", invoiceId), b.status()) : b).toList();
        for (Bad b : bad) {
            APIGatewayV2HTTPResponse r = call(b.route(), b.event());
            answers.add(b.route() + " | " + b.what() + " -> " + r.getStatusCode());
            assertThat(r.getStatusCode()).as("%s: %s -> %s", b.route(), b.what(), r.getBody()).isEqualTo(b.status());
            if (b.route().equals("GET /v1/xero/callback")) {
                // A person's browser reads it: a page that says what happened, never JSON.
                assertThat(r.getHeaders().get("content-type")).as(b.what()).startsWith("text/html");
                assertThat(r.getBody()).as(b.what()).startsWith("<!doctype html>").contains("Connecting Xero did not complete");
                continue;
            }
            assertThat(r.getHeaders().get("content-type")).as(b.what()).isEqualTo("application/problem+json");
            JsonNode problem = Json.MAPPER.readTree(r.getBody());
            assertThat(problem.get("status").asInt()).isEqualTo(b.status());
            assertThat(problem.get("title").asText()).isNotBlank();
            assertThat(problem.get("detail").asText()).as(b.what()).isNotBlank().doesNotContain("Exception").doesNotContain("at org.");
            if (b.status() == 400 && problem.get("type").asText().endsWith("validation")) {
                assertThat(problem.get("errors")).as(b.what()).isNotEmpty();
            }
        }
        System.out.println("BAD-INPUT " + bad.size() + " requests\n" + String.join("\n", answers));
        assertThat(snapshot()).as("table and queues after %d bad requests", bad.size()).isEqualTo(before);
        assertThat(handlers.keySet()).as("every route of the contract but the webhook (below)").hasSize(15);
    }

    /**
     * The size limits as the platform applies them, through HTTP (the test kit's stand-in for API
     * Gateway applies its 10 MB and Lambda's 6 MB invocation payload): a learner over the API's
     * 1 MB reaches the handler, which answers problem+json 413; a bulk request one byte over the
     * bulk cap (4 MiB, documented) reaches the handler too, its event under Lambda's 6 MB, and is
     * answered problem+json 413 with nothing stored, while one at the cap is accepted; bodies over
     * Lambda's 6 MB and API Gateway's 10 MB never reach the API: the platform answers 413 in its own words.
     */
    @Test
    void bodiesOverTheLimitsAreRefusedThroughHttpAtThePlatformsSizes() throws Exception {
        String before = snapshot();
        HttpClient http = HttpClient.newHttpClient();
        try (HttpApiBridge api = HttpApiBridge.start()) {
            api.route("PUT /v1/learners/{learnerId}", authorized("staff", flow.learnerApi));
            api.route("POST /v1/learners:bulk-sync", authorized("admin", flow.learnerApi));

            HttpResponse<String> learner = send(http, api, "PUT", "/v1/learners/L-0", BIG);
            assertThat(learner.statusCode()).isEqualTo(413);
            assertThat(learner.headers().firstValue("content-type")).contains("application/problem+json");

            String overCap = bulkOf(LearnerApiHandler.MAX_BULK_BODY_BYTES + 1);
            HttpResponse<String> overBulkCap = send(http, api, "POST", "/v1/learners:bulk-sync", overCap);
            assertThat(overBulkCap.statusCode()).as(overBulkCap.body()).isEqualTo(413);
            assertThat(overBulkCap.headers().firstValue("content-type")).contains("application/problem+json");
            assertThat(overBulkCap.body()).contains("the limit is " + LearnerApiHandler.MAX_BULK_BODY_BYTES);
            assertThat(ApiContract.load().check("POST", "/v1/learners:bulk-sync", overBulkCap)).isEmpty();

            String overLambda = bulkOf(PlatformLimits.LAMBDA_MAX_SYNC_REQUEST_BYTES + 1);
            HttpResponse<String> tooLong = send(http, api, "POST", "/v1/learners:bulk-sync", overLambda);
            assertThat(tooLong.statusCode()).isEqualTo(413);
            assertThat(tooLong.body()).as("the platform's answer, not the API's problem+json").isEqualTo("{\"message\": \"Request Too Long\"}");

            String overApiGateway = bulkOf(PlatformLimits.API_GATEWAY_MAX_BODY_BYTES + 1);
            HttpResponse<String> tooBig = send(http, api, "POST", "/v1/learners:bulk-sync", overApiGateway);
            assertThat(tooBig.statusCode()).isEqualTo(413);
            assertThat(tooBig.body()).isEqualTo("HTTP content length exceeded 10485760 bytes.");
            assertThat(snapshot()).as("nothing stored or queued").isEqualTo(before);

            // At the cap: accepted, its learners stored (padding is JSON whitespace, so a few learners fill it).
            String atCap = paddedBulk(LearnerApiHandler.MAX_BULK_BODY_BYTES, 3);
            assertThat(atCap.getBytes(StandardCharsets.UTF_8)).hasSize(LearnerApiHandler.MAX_BULK_BODY_BYTES);
            HttpResponse<String> accepted = send(http, api, "POST", "/v1/learners:bulk-sync", atCap);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(flow.learners.find(ORG, "L-cap-2")).isPresent();
        }
    }

    /** {@code learners} valid learners padded with JSON whitespace to {@code bytes}. */
    private static String paddedBulk(int bytes, int learners) {
        List<String> json = new ArrayList<>();
        for (int i = 0; i < learners; i++) {
            json.add(EndToEndFlow.learnerJson("L-cap-" + i, "C" + (100000 + i), "Capped", "Bulk").strip());
        }
        String body = "{\"learners\":[" + String.join(",", json) + "]}";
        return body.substring(0, body.length() - 2) + " ".repeat(bytes - body.length()) + "]}";
    }

    /** {@code count} enrolments as JSON, each course of {@code courseChars} two-byte letters. */
    private static String enrolments(int count, int courseChars) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("{\"enrolmentId\":\"E-" + i + "\",\"course\":\"" + "é".repeat(courseChars)
                    + "\",\"startDate\":\"2027-02-01\",\"status\":\"CONFIRMED\"}");
        }
        return "[" + String.join(",", out) + "]";
    }

    /** A bulk request of valid learners, {@code bytes} long. */
    private static String bulkOf(int bytes) {
        StringBuilder json = new StringBuilder("{\"learners\":[");
        String tail = "]}";
        for (int i = 0; json.length() < bytes - 400; i++) {
            json.append(i == 0 ? "" : ",").append(EndToEndFlow.learnerJson("L-big-" + i, "B" + (100000 + i), "Big", "Bulk").strip());
        }
        String pad = " ".repeat(Math.max(0, bytes - json.length() - tail.length()));
        return json + pad + tail;
    }

    /** In front of the handler, what API Gateway's JWT authorizer adds: the caller's claims. */
    private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> authorized(String role,
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        return (event, context) -> {
            event.getRequestContext().setAuthorizer(ApiEvents.route(event.getRouteKey()).as(ORG, role, "u-" + role).build()
                    .getRequestContext().getAuthorizer());
            return handler.handleRequest(event, context);
        };
    }

    private static HttpResponse<String> send(HttpClient http, HttpApiBridge api, String method, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(api.baseUri().resolve(path)).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void namesThatLookLikeSqlOrFormulasAreKeptAsPlainTextAndEscapedInCsv() throws Exception {
        String put = "PUT /v1/learners/{learnerId}";
        String sql = "Robert'); DROP TABLE learners;--";
        String formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
        APIGatewayV2HTTPResponse a = call(put, as(put, "staff").path("learnerId", "L-sql")
                .json(EndToEndFlow.learnerJson("L-sql", "W800001", "Bobby", sql.replace("\"", "\\\""))));
        APIGatewayV2HTTPResponse b = call(put, as(put, "staff").path("learnerId", "L-formula")
                .json(EndToEndFlow.learnerJson("L-formula", "W800002", formula.replace("\"", "\\\""), "Sheet")));
        assertThat(a.getStatusCode()).as(a.getBody()).isEqualTo(202);
        assertThat(b.getStatusCode()).as(b.getBody()).isEqualTo(202);
        flow.settle();

        assertThat(flow.learners.find(ORG, "L-sql").orElseThrow().learner().lastName()).isEqualTo(sql);
        assertThat(flow.learners.find(ORG, "L-formula").orElseThrow().learner().firstName()).isEqualTo(formula);
        assertThat(flow.learners.find(ORG, "L-formula").orElseThrow().contactName()).isEqualTo(formula + " Sheet W800002");
        String csv = call("GET /v1/reports/finance", as("GET /v1/reports/finance", "staff").query("since", "2000-01-01T00:00:00Z")
                .header("accept", "text/csv")).getBody();
        assertThat(csv).contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"").doesNotContain(",=HYPERLINK");
        assertThat(csv).contains(sql);
    }

    /**
     * The unauthenticated webhook route takes at most {@link WebhookReceiverHandler#MAX_BODY_BYTES}: a
     * correctly signed delivery at the limit (Xero's payload, padded with JSON whitespace) is taken,
     * one byte more is answered problem+json 413 unread, nothing queued.
     */
    @Test
    void aWebhookDeliveryOverTheBodyLimitIsRefusedWith413AndOneAtItIsTaken() throws Exception {
        flow.settle();
        String payload = "{\"events\":[],\"firstEventSequence\":1,\"lastEventSequence\":1,\"entropy\":\"ABCDEFGHIJ\"}";
        byte[] atLimit = (payload.substring(0, payload.length() - 1)
                + " ".repeat(WebhookReceiverHandler.MAX_BODY_BYTES - payload.length()) + "}").getBytes(StandardCharsets.UTF_8);
        byte[] overLimit = (new String(atLimit, StandardCharsets.UTF_8).replace("[]", "[ ]")).getBytes(StandardCharsets.UTF_8);
        assertThat(atLimit).hasSize(WebhookReceiverHandler.MAX_BODY_BYTES);
        assertThat(overLimit).hasSize(WebhookReceiverHandler.MAX_BODY_BYTES + 1);
        HttpClient http = HttpClient.newHttpClient();
        URI receiver = flow.bridge.baseUri().resolve("/v1/xero/webhooks");
        String before = snapshot();

        HttpResponse<String> over = http.send(HttpRequest.newBuilder(receiver).header("content-type", "application/json")
                .header("x-xero-signature", WebhookSignature.sign(overLimit, IntegrationRig.WEBHOOK_KEY.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(overLimit)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(over.body()).contains("at most " + WebhookReceiverHandler.MAX_BODY_BYTES);
        assertThat(ApiContract.load().check("POST", "/v1/xero/webhooks", over)).isEmpty();
        assertThat(snapshot()).as("nothing queued or stored").isEqualTo(before);

        HttpResponse<String> taken = http.send(HttpRequest.newBuilder(receiver).header("content-type", "application/json")
                .header("x-xero-signature", WebhookSignature.sign(atLimit, IntegrationRig.WEBHOOK_KEY.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(atLimit)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(taken.statusCode()).isEqualTo(200);
    }

    @Test
    void badlySignedWebhooksGet401AndAReplayedDeliveryDoublesNothing() throws Exception {
        flow.settle();
        String before = snapshot();
        String recordsBefore = records();
        byte[] body = ("{\"events\":[{\"resourceUrl\":\"https://api.xero.com/api.xro/2.0/Invoices/" + invoiceId + "\",\"resourceId\":\""
                + invoiceId + "\",\"eventDateUtc\":\"2027-02-01T00:00:00.000\",\"eventType\":\"UPDATE\",\"eventCategory\":\"INVOICE\","
                + "\"tenantId\":\"" + flow.tenantId + "\",\"tenantType\":\"ORGANISATION\"}],\"firstEventSequence\":1,\"lastEventSequence\":1,"
                + "\"entropy\":\"ABCDEFGHIJ\"}").getBytes(StandardCharsets.UTF_8);
        String good = WebhookSignature.sign(body, IntegrationRig.WEBHOOK_KEY.getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        URI receiver = flow.bridge.baseUri().resolve("/v1/xero/webhooks");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("UPDATE", "CREATE").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> badlySigned = new LinkedHashMap<>();
        badlySigned.put(WebhookSignature.sign(body, "not-the-key".getBytes(StandardCharsets.UTF_8)), body);
        badlySigned.put(good, tampered);
        badlySigned.put("", body);
        badlySigned.put("%%%not-base64", body);
        for (Map.Entry<String, byte[]> delivery : badlySigned.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(receiver).header("content-type", "application/json")
                    .header("x-xero-signature", delivery.getKey()).POST(HttpRequest.BodyPublishers.ofByteArray(delivery.getValue())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEmpty();
        }
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(receiver).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(snapshot()).as("nothing queued or stored for a badly signed delivery").isEqualTo(before);

        for (int replay = 0; replay < 3; replay++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(receiver).header("content-type", "application/json")
                    .header("x-xero-signature", good).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        flow.settle();
        // Only bookkeeping moves: the event's de-duplication marker, the rate budget, the connection's last budget seen.
        assertThat(records()).as("a delivery replayed three times changes no learner, contact link, invoice or logbook entry")
                .isEqualTo(recordsBefore);
    }

    /** What a learner or finance sees: learners, contact links, invoices, logbook entries; and the queues' depths. */
    private static String records() {
        return snapshot().lines().filter(l -> !l.contains(" sk=") || l.matches(".*sk=AttributeValue\\(S=(INVOICE|LEARNER|CONTACT|REF|LOG)#.*"))
                .filter(l -> !l.startsWith("lrm-xero-dev-rate-budget")).collect(java.util.stream.Collectors.joining("\n"));
    }

    /** Every item of every table and every queue's depth. */
    private static String snapshot() {
        List<String> state = new ArrayList<>(flow.everyItem().stream().sorted().toList());
        for (String url : flow.rig.aws.sqs().listQueues().queueUrls()) {
            state.add(url + " " + flow.inQueue(url));
        }
        return String.join("\n", state);
    }
}
