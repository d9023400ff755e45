package org.lrm.xero.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lrm.xero.domain.learner.FieldError;
import org.lrm.xero.http.ApiProblem;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.testing.ApiContract;
import org.lrm.xero.testing.ApiEvents;

/**
 * {@link ApiContract} accepts answers as the API gives them (built with the handlers' own
 * {@link ApiResponses} and {@link ApiProblem}) and names what is wrong with answers that break the
 * document: a missing required field, a value outside its enum, a null where none is allowed, an
 * unknown field, an undocumented status, a wrong content type, a missing header, a stray body.
 */
class ApiContractTest {

    private static final String CONTACT = "0b6a7f52-4c7e-4a4a-9d3b-6f5d2c1e8a90";

    private final ApiContract contract = ApiContract.load();

    @Test
    void findsTheOperationForATemplateOrAConcretePath() {
        assertThat(contract.operation("GET", "/v1/learners/{learnerId}/xero").orElseThrow().node().path("operationId").asText())
                .isEqualTo("getLearnerXeroState");
        assertThat(contract.operation("get", "/v1/learners/L-1/invoices/abc/pdf").orElseThrow().routeKey())
                .isEqualTo("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf");
        assertThat(contract.operation("POST", "/v1/learners:bulk-sync").orElseThrow().routeKey()).isEqualTo("POST /v1/learners:bulk-sync");
        assertThat(contract.operation("PUT", "/v1/learners/L:1").orElseThrow().routeKey()).isEqualTo("PUT /v1/learners/{learnerId}");
        assertThat(contract.operation("PUT", "/v1/learners:bulk-sync")).isEmpty();
        assertThat(contract.operation("PATCH", "/v1/learners/L-1")).isEmpty();
        assertThat(contract.operation("GET", "/v1/learners/L-1/nothing")).isEmpty();
    }

    @Test
    void acceptsTheLearnersXeroStateAsTheHandlerWritesIt() {
        assertThat(contract.check("GET", "/v1/learners/L-1/xero", ApiResponses.json(200, xeroState()))).isEmpty();
    }

    @Test
    void namesAMissingRequiredFieldAWrongEnumValueAndAnUnknownField() {
        Map<String, Object> noState = xeroState();
        noState.remove("state");
        Map<String, Object> wrongState = xeroState();
        wrongState.put("state", "DONE");
        Map<String, Object> extra = xeroState();
        extra.put("xeroPassword", "x");

        assertThat(contract.check("GET", "/v1/learners/L-1/xero", ApiResponses.json(200, noState)))
                .singleElement().asString().contains("getLearnerXeroState").contains("200").contains("state");
        assertThat(contract.check("GET", "/v1/learners/L-1/xero", ApiResponses.json(200, wrongState)))
                .singleElement().asString().contains("/state").contains("enumeration");
        assertThat(contract.check("GET", "/v1/learners/L-1/xero", ApiResponses.json(200, extra)))
                .singleElement().asString().contains("xeroPassword");
    }

    @Test
    void namesANullWhereNoneIsAllowedAndAcceptsOneWhereItIs() {
        // The connection view writes every field, null or not (Json.MAPPER elsewhere leaves nulls out).
        String never = "{\"status\":\"DISCONNECTED\",\"tenantId\":null,\"tenantName\":null,\"connectedAt\":null,"
                + "\"lastError\":null,\"lastErrorAt\":null,\"budget\":{\"minuteRemaining\":null,\"dayRemaining\":null,\"at\":null},"
                + "\"scopes\":[],\"missingScopes\":[],\"xeroFailingSince\":null,\"lastXeroError\":null}";

        assertThat(contract.check("GET", "/v1/xero/connection", ApiResponses.text(200, "application/json", never))).isEmpty();
        assertThat(contract.check("GET", "/v1/xero/connection", ApiResponses.text(200, "application/json",
                never.replace("\"tenantId\":null,", "")))).singleElement().asString().contains("tenantId");
        assertThat(contract.check("GET", "/v1/xero/connection", ApiResponses.text(200, "application/json",
                never.replace("\"scopes\":[]", "\"scopes\":null")))).singleElement().asString().contains("/scopes");
    }

    @Test
    void checksMoneyToTheCentAndDatesAsDates() {
        Map<String, Object> invoice = invoice();
        assertThat(contract.check("GET", "/v1/learners/L-1/invoices", ApiResponses.json(200, Map.of("invoices", List.of(invoice)))))
                .isEmpty();
        invoice.put("total", new java.math.BigDecimal("1500.005"));
        invoice.put("dueDate", "01/03/2027");
        assertThat(contract.check("GET", "/v1/learners/L-1/invoices", ApiResponses.json(200, Map.of("invoices", List.of(invoice)))))
                .hasSize(2).anySatisfy(p -> assertThat(p).contains("/invoices/0/total"))
                .anySatisfy(p -> assertThat(p).contains("/invoices/0/dueDate"));
    }

    @Test
    void namesAnUndocumentedStatusAWrongContentTypeAStrayBodyAndAMissingHeader() {
        assertThat(contract.check("GET", "/v1/learners/L-1/xero", ApiResponses.json(202, xeroState())))
                .singleElement().asString().contains("status 202 is not documented");
        assertThat(contract.check("GET", "/v1/learners/L-1/xero", ApiResponses.text(200, "text/plain", "SYNCED")))
                .singleElement().asString().contains("text/plain").contains("application/json");
        assertThat(contract.check("DELETE", "/v1/xero/connection", ApiResponses.json(204, Map.of("ok", true))))
                .singleElement().asString().contains("has a body");
        assertThat(contract.check("GET", "/v1/learners/L-1/invoices/i-1/pdf",
                APIGatewayV2HTTPResponse.builder().withStatusCode(302).withHeaders(Map.of("cache-control", "no-store")).build()))
                .singleElement().asString().contains("required header Location is missing");
        assertThat(contract.check("GET", "/v1/learners/L-1/invoices/i-1/pdf", ApiResponses.redirect("https://pdfs.example/x?sig=1")))
                .isEmpty();
        assertThat(contract.check("GET", "/v1/learners/L-1/invoices/i-1/pdf",
                APIGatewayV2HTTPResponse.builder().withStatusCode(302).withHeaders(Map.of("location", "https://pdfs.example/x",
                        "cache-control", "max-age=3600")).build()))
                .singleElement().asString().contains("Cache-Control");
    }

    @Test
    void checksTheCsvReportAsText() {
        String header = "learnerId,refInternal,firstName,lastName,email,syncToXero,syncState,xeroContactId,xeroContactName,"
                + "updatedAt,enrolmentId,course,startDate,enrolmentStatus\r\n";
        assertThat(contract.check("GET", "/v1/reports/finance", ApiResponses.text(200, "text/csv; charset=utf-8",
                header + "L-1,W1,Ana,Lopez,,true,SYNCED,,,2027-02-01T00:00:00Z,,,,\r\n"))).isEmpty();
        assertThat(contract.check("GET", "/v1/reports/finance", ApiResponses.text(200, "text/csv; charset=utf-8", "L-1,W1\r\n")))
                .singleElement().asString().contains("text/csv body");
    }

    @Test
    void acceptsEveryProblemTheHandlersGiveWhereTheDocumentListsIt() {
        Map<String, ApiProblem> problems = new LinkedHashMap<>();
        problems.put("PUT /v1/learners/L-1", ApiProblem.validation(List.of(new FieldError("email", "is not a valid email address"))));
        problems.put("POST /v1/learners:bulk-sync", ApiProblem.badRequest("The body is not well-formed JSON (line 1, column 2)."));
        problems.put("GET /v1/reports/finance", ApiProblem.validation(List.of(new FieldError("since", "is required"))));
        problems.put("GET /v1/xero/connect", ApiProblem.validation(List.of(new FieldError("returnTo",
                "must be on one of the configured LRM origins: https://lrm.example.org"))));
        problems.put("GET /v1/learners/L-1/logbook", ApiProblem.unauthorized("A valid LRM token with sub, org and role claims is required."));
        problems.put("DELETE /v1/xero/connection", ApiProblem.forbidden("This needs an LRM admin."));
        problems.put("GET /v1/learners/L-2/invoices", ApiProblem.notFound("No learner L-2."));
        problems.put("POST /v1/learners/L-1/sync", ApiProblem.conflict("sync-off", "Sync to Xero is off.", Map.of("reason", "SYNC_OFF")));
        problems.put("POST /v1/xero/resync", ApiProblem.conflict("resync-running", "A re-sync is already running.",
                Map.of("runningJobId", "resync-1")));
        problems.put("POST /v1/learners/L-1/merge", ApiProblem.tooLarge("The body is 2000000 bytes; the limit is 1048576."));
        problems.put("PUT /v1/learners/L-3", ApiProblem.unsupportedMediaType("Send the body as application/json."));
        problems.put("GET /v1/learners/L-1/invoices/i-1/pdf", new ApiProblem(503, "xero-unavailable", "Xero unavailable",
                "Try again shortly.", null, Map.of("retryAfterSeconds", 7L)));
        problems.put("GET /v1/xero/connection", new ApiProblem(500, "internal", "Internal error", "Logged.", null, null));
        problems.put("DELETE /v1/xero/connection (busy)", new ApiProblem(503, "xero-unavailable", "Xero unavailable",
                "Another change to the Xero connection is under way.", null, Map.of("retryAfterSeconds", 60)));

        problems.forEach((request, problem) -> {
            String[] r = request.split(" ");
            assertThat(contract.check(r[0], r[1], ApiResponses.problem(problem))).as(request).isEmpty();
        });
    }

    @Test
    void checksTheConnectCookieAndTheCallbacksPageForPeople() {
        String cookie = "__Host-xero-connect=" + "a".repeat(43) + "; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax";
        assertThat(contract.check("GET", "/v1/xero/connect",
                ApiResponses.withCookie(ApiResponses.redirect("https://login.xero.com/identity/connect/authorize?x=1"), cookie)))
                .isEmpty();
        assertThat(contract.check("GET", "/v1/xero/connect", ApiResponses.redirect("https://login.xero.com/identity/connect/authorize")))
                .singleElement().asString().contains("required header Set-Cookie is missing");
        assertThat(contract.check("GET", "/v1/xero/connect", ApiResponses.withCookie(ApiResponses.redirect("https://login.xero.com/x"),
                cookie.replace("; Secure", "")))).singleElement().asString().contains("Set-Cookie");

        assertThat(contract.check("GET", "/v1/xero/callback", ApiResponses.html(400, "<!doctype html>\n<html>…</html>"))).isEmpty();
        assertThat(contract.check("GET", "/v1/xero/callback", ApiResponses.problem(
                ApiProblem.badRequest("The Xero answer does not belong to a connect request."))))
                .as("a person's browser never gets JSON").singleElement().asString().contains("application/problem+json");
    }

    @Test
    void namesAProblemOfTheWrongKindOrShape() {
        assertThat(contract.check("POST", "/v1/xero/resync", ApiResponses.problem(
                ApiProblem.conflict("resync-running", "A re-sync is already running.", Map.of()))))
                .as("a running re-sync's 409 names the running job").isNotEmpty();
        assertThat(contract.check("POST", "/v1/learners/L-1/sync", ApiResponses.problem(
                ApiProblem.conflict("sync-off", "Sync to Xero is off.", Map.of("reason", "OFF")))))
                .anySatisfy(p -> assertThat(p).contains("/reason"));
        assertThat(contract.check("PUT", "/v1/learners/L-1", ApiResponses.problem(
                new ApiProblem(400, "validation", "The request is not valid", "email is wrong", List.of(), null))))
                .as("a validation problem names its fields").isNotEmpty();
        assertThat(contract.check("PUT", "/v1/learners/L-1", ApiResponses.json(400, Map.of("error", "bad"))))
                .singleElement().asString().contains("application/json").contains("application/problem+json");
    }

    @Test
    void acceptsTheGatewaysOwnUnauthorizedAnswer() {
        APIGatewayV2HTTPResponse gateway = APIGatewayV2HTTPResponse.builder().withStatusCode(401)
                .withHeaders(Map.of("content-type", "application/json", "www-authenticate", "Bearer"))
                .withBody("{\"message\":\"Unauthorized\"}").build();

        assertThat(contract.check("GET", "/v1/learners/L-1/invoices", gateway)).isEmpty();
        assertThat(contract.check("POST", "/v1/xero/webhooks", gateway)).as("Xero's webhook answers 401 with no body")
                .singleElement().asString().contains("has a body");
    }

    @Test
    void findsTheOperationFromTheRequestAndFailsWithEveryProblem() {
        Map<String, Object> noState = xeroState();
        noState.remove("state");
        var request = ApiEvents.route("GET /v1/learners/{learnerId}/xero").path("learnerId", "L-1").as("org-1", "staff", "u-1").build();

        assertThat(contract.assertConforms(request, ApiResponses.json(200, xeroState())).getStatusCode()).isEqualTo(200);
        assertThatThrownBy(() -> contract.assertConforms(request, ApiResponses.json(200, noState)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("api/openapi.yaml").hasMessageContaining("state");
    }

    private static Map<String, Object> xeroState() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("learnerId", "L-1");
        out.put("syncToXero", true);
        out.put("state", "SYNCED");
        out.put("contactId", CONTACT);
        out.put("contactName", "Ana Lopez W000123");
        out.put("contactNumber", "W000123");
        out.put("lastSyncedAt", java.time.Instant.parse("2027-02-01T03:04:05.123Z"));
        return out;
    }

    private static Map<String, Object> invoice() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("invoiceId", "3e4e2a2c-7b1e-4e5b-9a5e-0a1b2c3d4e5f");
        out.put("invoiceNumber", "INV-0042");
        out.put("status", "AUTHORISED");
        out.put("date", java.time.LocalDate.parse("2027-02-01"));
        out.put("dueDate", java.time.LocalDate.parse("2027-03-01"));
        out.put("currency", "AUD");
        out.put("total", new java.math.BigDecimal("1500.00"));
        out.put("amountDue", new java.math.BigDecimal("500.00"));
        out.put("amountPaid", new java.math.BigDecimal("800.00"));
        out.put("amountCredited", new java.math.BigDecimal("200.00"));
        out.put("updatedAt", java.time.Instant.parse("2027-02-03T04:05:06Z"));
        out.put("contactId", CONTACT);
        out.put("payments", List.of(Map.of("paymentId", "9d1b2c3a-1111-4e5b-9a5e-0a1b2c3d4e5f", "date", "2027-02-02", "amount", 800.00)));
        out.put("creditNotes", List.of(Map.of("creditNoteId", "9d1b2c3a-2222-4e5b-9a5e-0a1b2c3d4e5f", "number", "CN-0003", "amount", 200.00)));
        out.put("prepayments", List.of());
        out.put("overpayments", List.of());
        out.put("pdf", Map.of("available", true));
        return out;
    }
}
