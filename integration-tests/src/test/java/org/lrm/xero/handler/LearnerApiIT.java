package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.domain.learner.LearnerInput;
import org.lrm.xero.domain.learner.LearnerValidation;
import org.lrm.xero.domain.report.FinanceReport;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.ApiContract;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.MutableClock;
import org.lrm.xero.testing.TemplateResources;
import org.lrm.xero.testing.iam.FunctionRoles;
import software.amazon.awssdk.services.sqs.model.Message;

/** The learner routes through the real handler, DynamoDB and SQS (moto); no Xero call is made here. */
@ExtendWith(AwsEmulator.class)
class LearnerApiIT {

    static final String ORG = "org-1";

    private final AwsClients aws = AwsEmulator.clients();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
    private Settings settings;
    private LearnerApiHandler handler;

    @BeforeEach
    void setUp() {
        AwsEmulator.reset();
        TemplateResources stack = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1")
                .provision(aws);
        settings = Settings.from(stack.environment("LearnerApiFunction"));
        handler = new LearnerApiHandler(LearnerRoot.of(settings, new FunctionRoles(stack, aws).clients("LearnerApiFunction"), clock,
                IntegrationRig.SPIN));
    }

    /** The organisation connected to Xero, as the connect flow stores it. */
    private void connect(String orgId) {
        new DynamoConnectionStore(aws.dynamoDb(), settings.tableName()).saveConnected(new ConnectionRecord(orgId,
                ConnectionStatus.CONNECTED, "tenant-" + orgId, "Northside College", "connection-" + orgId, List.of(),
                List.of(), clock.instant(), "u-admin", null, null, clock.instant(), null, null, null, null), null);
    }

    static String learnerJson(String ref, String first, boolean sync) {
        return """
                {"refInternal":"%s","firstName":"%s","lastName":"Lopez","email":"ana@example.org",
                 "phone":"+61 400 000 000",
                 "address":{"line1":"1 Main St","city":"Perth","region":"WA","postalCode":"6000","country":"AU"},
                 "syncToXero":%s,
                 "enrolments":[{"enrolmentId":"E-9","course":"BSB50120 Diploma of Business","startDate":"2027-02-01","status":"CONFIRMED"}]}
                """.formatted(ref, first, sync);
    }

    APIGatewayV2HTTPResponse put(String learnerId, String json) {
        return handler.handleRequest(ApiEvents.route("PUT /v1/learners/{learnerId}").path("learnerId", learnerId)
                .json(json).as(ORG, "staff", "u-1").build(), null);
    }

    APIGatewayV2HTTPResponse get(String routeKey, String learnerId, ApiEvents as) {
        return handler.handleRequest(as.path("learnerId", learnerId).build(), null);
    }

    List<Message> drainLearnerQueue() {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = aws.sqs().receiveMessage(b -> b.queueUrl(settings.learnerSyncQueueUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
            batch.forEach(m -> aws.sqs().deleteMessage(b -> b.queueUrl(settings.learnerSyncQueueUrl())
                    .receiptHandle(m.receiptHandle())));
        }
    }

    static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    @Test
    void savingATickedLearnerQueuesOneSyncAndAnUntickedOneQueuesNone() throws Exception {
        APIGatewayV2HTTPResponse ticked = put("L-1", learnerJson("W000123", "Ana", true));
        APIGatewayV2HTTPResponse unticked = put("L-2", learnerJson("W000124", "Ben", false));
        APIGatewayV2HTTPResponse again = put("L-2", learnerJson("W000124", "Ben", false));

        assertThat(ticked.getStatusCode()).isEqualTo(202);
        assertThat(unticked.getStatusCode()).isEqualTo(200);
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(body(again).get("changed").asBoolean()).isFalse();
        List<Message> messages = drainLearnerQueue();
        assertThat(messages).hasSize(1);
        JsonNode message = Json.MAPPER.readTree(messages.get(0).body());
        JsonNode payload = message.get("payload");
        assertThat(payload.get("learnerIds")).extracting(JsonNode::asText).containsExactly("L-1");
        assertThat(message.get("priority").asText()).isEqualTo("INTERACTIVE");
        JsonNode status = body(get("GET", "L-1", ApiEvents.route("GET /v1/learners/{learnerId}/xero").as(ORG, "staff", "u")));
        assertThat(status.get("state").asText()).isEqualTo("PENDING");
        assertThat(status.get("syncToXero").asBoolean()).isTrue();
    }

    @Test
    void anInvalidLearnerIsRefusedWithEveryFieldNamedAndNothingStoredOrQueued() throws Exception {
        APIGatewayV2HTTPResponse response = put("L-1", """
                {"refInternal":"","firstName":"Ana\\u0000","lastName":"","email":"not-an-email","syncToXero":true}""");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders().get("content-type")).isEqualTo("application/problem+json");
        assertThat(body(response).get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("refInternal", "firstName", "lastName", "email");
        assertThat(new DynamoLearnerStore(aws.dynamoDb(), settings.tableName()).find(ORG, "L-1")).isEmpty();
        assertThat(drainLearnerQueue()).isEmpty();
    }

    @Test
    void badBodiesGetProblemJson() throws Exception {
        var unknownField = put("L-1", "{\"refInternal\":\"W1\",\"firstName\":\"A\",\"lastName\":\"B\",\"syncToXero\":true,\"colour\":\"red\"}");
        var malformed = put("L-1", "{\"refInternal\":");
        var wrongType = put("L-1", "{\"refInternal\":\"W1\",\"firstName\":\"A\",\"lastName\":\"B\",\"syncToXero\":\"yes\"}");
        var notJson = handler.handleRequest(ApiEvents.route("PUT /v1/learners/{learnerId}").path("learnerId", "L-1")
                .header("content-type", "text/plain").body("hello", false).as(ORG, "staff", "u").build(), null);
        var huge = put("L-1", "{\"refInternal\":\"" + "x".repeat(1024 * 1024) + "\"}");

        assertThat(unknownField.getStatusCode()).isEqualTo(400);
        assertThat(body(unknownField).get("errors").get(0).get("field").asText()).isEqualTo("colour");
        assertThat(malformed.getStatusCode()).isEqualTo(400);
        assertThat(wrongType.getStatusCode()).isEqualTo(400);
        assertThat(body(wrongType).get("errors").get(0).get("field").asText()).isEqualTo("syncToXero");
        assertThat(notJson.getStatusCode()).isEqualTo(415);
        assertThat(huge.getStatusCode()).isEqualTo(413);
        assertThat(drainLearnerQueue()).isEmpty();
    }

    @Test
    void twoLearnersCannotShareARefInternal() throws Exception {
        put("L-1", learnerJson("W000123", "Ana", false));

        APIGatewayV2HTTPResponse clash = put("L-2", learnerJson("W000123", "Ben", false));

        assertThat(clash.getStatusCode()).isEqualTo(409);
        assertThat(body(clash).get("detail").asText()).contains("W000123");
        assertThat(new DynamoLearnerStore(aws.dynamoDb(), settings.tableName()).find(ORG, "L-2")).isEmpty();
    }

    @Test
    void aLearnerKeepsItsRefInternalThroughEditsAndFreesItWhenItMoves() throws Exception {
        put("L-1", learnerJson("W000123", "Ana", false));
        // An edit that keeps the reference does not reserve it again: it must still be L-1's.
        assertThat(put("L-1", learnerJson("W000123", "Anna", false)).getStatusCode()).isEqualTo(200);
        assertThat(put("L-2", learnerJson("W000123", "Ben", false)).getStatusCode()).isEqualTo(409);

        assertThat(put("L-1", learnerJson("W000999", "Anna", false)).getStatusCode()).isEqualTo(200);

        assertThat(put("L-2", learnerJson("W000123", "Ben", false)).getStatusCode()).isEqualTo(200);
        assertThat(put("L-2", learnerJson("W000999", "Ben", false)).getStatusCode()).isEqualTo(409);
        DynamoLearnerStore store = new DynamoLearnerStore(aws.dynamoDb(), settings.tableName());
        assertThat(store.find(ORG, "L-1").orElseThrow().learner().firstName()).isEqualTo("Anna");
        assertThat(store.find(ORG, "L-2").orElseThrow().learner().refInternal()).isEqualTo("W000123");
    }

    @Test
    void manualSyncSaysWhyItCannotRun() throws Exception {
        put("L-1", learnerJson("W000123", "Ana", false));
        ApiEvents sync = ApiEvents.route("POST /v1/learners/{learnerId}/sync").path("learnerId", "L-1").as(ORG, "staff", "u");

        APIGatewayV2HTTPResponse notConnected = handler.handleRequest(sync.build(), null);
        connect(ORG);
        APIGatewayV2HTTPResponse syncOff = handler.handleRequest(sync.build(), null);
        put("L-1", learnerJson("W000123", "Ana", true));
        drainLearnerQueue();
        APIGatewayV2HTTPResponse ok = handler.handleRequest(sync.build(), null);

        assertThat(notConnected.getStatusCode()).isEqualTo(409);
        assertThat(body(notConnected).get("reason").asText()).isEqualTo("NOT_CONNECTED");
        assertThat(syncOff.getStatusCode()).isEqualTo(409);
        assertThat(body(syncOff).get("reason").asText()).isEqualTo("SYNC_OFF");
        assertThat(ok.getStatusCode()).isEqualTo(202);
        List<Message> messages = drainLearnerQueue();
        assertThat(messages).hasSize(1);
        assertThat(Json.MAPPER.readTree(messages.get(0).body()).at("/payload/force").asBoolean()).isTrue();
    }

    @Test
    void bulkSyncStoresEveryLearnerAndQueuesThemFiftyToAMessage() throws Exception {
        StringBuilder json = new StringBuilder("{\"learners\":[");
        for (int i = 0; i < 1000; i++) {
            json.append(i == 0 ? "" : ",").append(learnerJson("W" + (100000 + i), "Ana", true)
                    .replaceFirst("\\{", "{\"learnerId\":\"L-" + i + "\","));
        }
        json.append("]}");

        APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.route("POST /v1/learners:bulk-sync")
                .json(json.toString()).as(ORG, "admin", "a-1").build(), null);

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(body(response).get("queued").asInt()).isEqualTo(1000);
        List<Message> messages = drainLearnerQueue();
        assertThat(messages).hasSize(20);
        assertThat(messages).allSatisfy(m -> assertThat(Json.MAPPER.readTree(m.body()).get("priority").asText()).isEqualTo("BULK"));
    }

    @Test
    void bulkSyncWithOneInvalidLearnerStoresNothing() throws Exception {
        String json = "{\"learners\":[" + learnerJson("W1", "Ana", true).replaceFirst("\\{", "{\"learnerId\":\"L-1\",")
                + "," + learnerJson("W2", "", true).replaceFirst("\\{", "{\"learnerId\":\"L-2\",") + "]}";

        APIGatewayV2HTTPResponse response = handler.handleRequest(ApiEvents.route("POST /v1/learners:bulk-sync")
                .json(json).as(ORG, "admin", "a-1").build(), null);
        APIGatewayV2HTTPResponse staff = handler.handleRequest(ApiEvents.route("POST /v1/learners:bulk-sync")
                .json(json).as(ORG, "staff", "s-1").build(), null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(body(response).get("errors").get(0).get("field").asText()).isEqualTo("learners[1].firstName");
        assertThat(staff.getStatusCode()).isEqualTo(403);
        assertThat(new DynamoLearnerStore(aws.dynamoDb(), settings.tableName()).find(ORG, "L-1")).isEmpty();
        assertThat(drainLearnerQueue()).isEmpty();
    }

    @Test
    void aLearnerSeesOnlyTheirOwnStatus() {
        put("L-1", learnerJson("W1", "Ana", false));
        put("L-2", learnerJson("W2", "Ben", false));

        var own = handler.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/xero").path("learnerId", "L-1")
                .asLearner(ORG, "L-1").build(), null);
        var other = handler.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/xero").path("learnerId", "L-2")
                .asLearner(ORG, "L-1").build(), null);
        var otherOrg = handler.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/xero").path("learnerId", "L-1")
                .as("org-2", "staff", "s").build(), null);
        var logbookAsLearner = handler.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/logbook")
                .path("learnerId", "L-1").asLearner(ORG, "L-1").build(), null);

        assertThat(own.getStatusCode()).isEqualTo(200);
        assertThat(other.getStatusCode()).isEqualTo(404);
        assertThat(otherOrg.getStatusCode()).isEqualTo(404);
        assertThat(logbookAsLearner.getStatusCode()).isEqualTo(403);
    }

    @Test
    void theFinanceReportListsChangedLearnersWithEnrolmentsAndEscapesFormulas() throws Exception {
        put("L-1", learnerJson("W1", "=HYPERLINK(\\\"http://x\\\")", false));
        clock.advance(java.time.Duration.ofHours(1));
        Instant since = clock.instant();
        put("L-2", learnerJson("W2", "Ben", false));

        var json = handler.handleRequest(ApiEvents.route("GET /v1/reports/finance").query("since", since.toString())
                .as(ORG, "staff", "s").build(), null);
        var csv = handler.handleRequest(ApiEvents.route("GET /v1/reports/finance").query("since", "2026-11-25")
                .header("accept", "text/csv").as(ORG, "staff", "s").build(), null);
        var bad = handler.handleRequest(ApiEvents.route("GET /v1/reports/finance").query("since", "yesterday")
                .as(ORG, "staff", "s").build(), null);

        assertThat(body(json).get("learners")).extracting(l -> l.get("learnerId").asText()).containsExactly("L-2");
        assertThat(body(json).get("learners").get(0).get("enrolments").get(0).get("course").asText())
                .isEqualTo("BSB50120 Diploma of Business");
        assertThat(csv.getBody()).contains("'=HYPERLINK").doesNotContain(",=HYPERLINK").contains("BSB50120");
        assertThat(csv.getBody().lines().count()).isEqualTo(3);
        assertThat(bad.getStatusCode()).isEqualTo(400);
    }

    @Test
    void anLrmMergeIsLoggedOnBothLearners() throws Exception {
        put("L-1", learnerJson("W1", "Ana", false));
        put("L-2", learnerJson("W2", "Ana", false));

        var merged = handler.handleRequest(ApiEvents.route("POST /v1/learners/{learnerId}/merge").path("learnerId", "L-1")
                .json("{\"intoLearnerId\":\"L-2\"}").as(ORG, "staff", "s").build(), null);
        var missing = handler.handleRequest(ApiEvents.route("POST /v1/learners/{learnerId}/merge").path("learnerId", "L-1")
                .json("{\"intoLearnerId\":\"L-404\"}").as(ORG, "staff", "s").build(), null);
        var logbook = handler.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/logbook").path("learnerId", "L-2")
                .as(ORG, "staff", "s").build(), null);

        assertThat(merged.getStatusCode()).isEqualTo(200);
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(body(logbook).get("entries").get(0).get("kind").asText()).isEqualTo("MERGED_FROM");
    }

    @Test
    void staffPageThroughTheLearnersFilteredByStateWithXerosWordsForAFailure() throws Exception {
        for (int n = 1; n <= 7; n++) {
            put("L-" + n, learnerJson("W" + n, "Ana" + n, n != 7));
        }
        DynamoLearnerStore store = new DynamoLearnerStore(aws.dynamoDb(), settings.tableName());
        store.recordFailed(ORG, "L-3", "Xero refused the email: EmailAddress is not valid. Correct it in the LRM.",
                clock.instant());
        put("L-9", learnerJson("W9", "Other", true)); // ours too; another organisation's learner must not appear
        handler.handleRequest(ApiEvents.route("PUT /v1/learners/{learnerId}").path("learnerId", "L-X")
                .json(learnerJson("W1", "Elsewhere", true)).as("org-2", "staff", "u-2").build(), null);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiEvents request = ApiEvents.route("GET /v1/learners").query("limit", "3").as(ORG, "staff", "s");
            if (cursor != null) {
                request.query("cursor", cursor);
            }
            JsonNode page = body(handler.handleRequest(request.build(), null));
            assertThat(page.get("learners").size()).isLessThanOrEqualTo(3);
            page.get("learners").forEach(l -> seen.add(l.get("learnerId").asText()));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactly("L-1", "L-2", "L-3", "L-4", "L-5", "L-6", "L-7", "L-9");
        assertThat(pages).isEqualTo(3);

        JsonNode failed = body(handler.handleRequest(ApiEvents.route("GET /v1/learners").query("state", "FAILED")
                .as(ORG, "staff", "s").build(), null));
        assertThat(failed.get("learners")).extracting(l -> l.get("learnerId").asText()).containsExactly("L-3");
        assertThat(failed.at("/learners/0/error").asText()).contains("EmailAddress is not valid");
        assertThat(failed.hasNonNull("nextCursor")).as("no more after the only failure").isFalse();
        JsonNode notSynced = body(handler.handleRequest(ApiEvents.route("GET /v1/learners").query("state", "NOT_SYNCED")
                .query("limit", "1").as(ORG, "staff", "s").build(), null));
        assertThat(notSynced.get("learners")).extracting(l -> l.get("learnerId").asText()).containsExactly("L-7");

        APIGatewayV2HTTPResponse badState = handler.handleRequest(ApiEvents.route("GET /v1/learners").query("state", "LOST")
                .query("limit", "0").as(ORG, "staff", "s").build(), null);
        assertThat(badState.getStatusCode()).isEqualTo(400);
        assertThat(badState.getHeaders().get("content-type")).startsWith("application/problem+json");
        assertThat(body(badState).get("errors").findValuesAsText("field")).containsExactly("state", "limit");
        assertThat(handler.handleRequest(ApiEvents.route("GET /v1/learners").query("cursor", "%%%").as(ORG, "staff", "s")
                .build(), null).getStatusCode()).isEqualTo(400);
        assertThat(handler.handleRequest(ApiEvents.route("GET /v1/learners").asLearner(ORG, "L-1").build(), null)
                .getStatusCode()).isEqualTo(403);
    }

    // ---------------------------------------------------------------- the platform's limits, at their boundaries

    /**
     * The finance report of an organisation with more learners than a page: 1,001 stored, a first page of
     * {@link FinanceReport#MAX_LIMIT} with a cursor, a second of one without; a limit one over the most, or a
     * cursor the API never gave, is refused with problem+json 400.
     */
    @Test
    void theFinanceReportComesInPagesOfAtMostAThousandLearners() throws Exception {
        List<String> learners = new ArrayList<>();
        for (int i = 0; i <= FinanceReport.MAX_LIMIT; i++) {
            learners.add(learnerJson("R" + (100000 + i), "Ana", false).replaceFirst("\\{", "{\"learnerId\":\"L-" + i + "\","));
        }
        APIGatewayV2HTTPResponse bulk = handler.handleRequest(ApiEvents.route("POST /v1/learners:bulk-sync")
                .json("{\"learners\":[" + String.join(",", learners) + "]}").as(ORG, "admin", "u-1").build(), null);
        assertThat(bulk.getStatusCode()).as(bulk.getBody()).isEqualTo(202);
        ApiEvents report = ApiEvents.route("GET /v1/reports/finance").query("since", "2026-01-01").as(ORG, "staff", "u-1");

        APIGatewayV2HTTPResponse first = handler.handleRequest(report.build(), null);
        JsonNode firstPage = body(first);
        assertThat(firstPage.get("learners")).hasSize(FinanceReport.MAX_LIMIT);
        String cursor = firstPage.get("nextCursor").asText();
        APIGatewayV2HTTPResponse second = handler.handleRequest(ApiEvents.route("GET /v1/reports/finance").query("since", "2026-01-01")
                .query("cursor", cursor).as(ORG, "staff", "u-1").build(), null);
        JsonNode secondPage = body(second);
        System.out.println("FINANCE-REPORT-IT 1,001 learners: pages of " + firstPage.get("learners").size() + " ("
                + first.getBody().length() + " characters) and " + secondPage.get("learners").size());
        assertThat(secondPage.get("learners")).hasSize(1);
        assertThat(secondPage.has("nextCursor")).isFalse();
        ApiContract contract = ApiContract.load();
        assertThat(contract.check("GET", "/v1/reports/finance?since=2026-01-01", first)).as("first page").isEmpty();
        assertThat(contract.check("GET", "/v1/reports/finance?since=2026-01-01&cursor=" + cursor, second)).as("last page").isEmpty();
        java.util.Set<String> ids = new java.util.HashSet<>();
        firstPage.get("learners").forEach(l -> ids.add(l.get("learnerId").asText()));
        secondPage.get("learners").forEach(l -> ids.add(l.get("learnerId").asText()));
        assertThat(ids).hasSize(FinanceReport.MAX_LIMIT + 1);
        APIGatewayV2HTTPResponse csv = handler.handleRequest(ApiEvents.route("GET /v1/reports/finance").query("since", "2026-01-01")
                .query("limit", "10").header("accept", "text/csv").as(ORG, "staff", "u-1").build(), null);
        assertThat(csv.getHeaders()).containsKey("x-next-cursor");

        for (ApiEvents refused : List.of(
                ApiEvents.route("GET /v1/reports/finance").query("since", "2026-01-01").query("limit", String.valueOf(FinanceReport.MAX_LIMIT + 1)),
                ApiEvents.route("GET /v1/reports/finance").query("since", "2026-01-01").query("cursor", "%%%not-ours"))) {
            APIGatewayV2HTTPResponse r = handler.handleRequest(refused.as(ORG, "staff", "u-1").build(), null);
            assertThat(r.getStatusCode()).isEqualTo(400);
            assertThat(r.getHeaders().get("content-type")).isEqualTo("application/problem+json");
            assertThat(contract.check(refused.build(), r)).isEmpty();
        }
    }

    /**
     * A learner at the cap of enrolments and at its largest text is stored, as one DynamoDB item far under
     * DynamoDB's 400 KB; one enrolment more, or one byte more, is refused with problem+json 400 and nothing is
     * stored or queued.
     */
    @Test
    void aLearnerAtItsLargestIsStoredAndOneEnrolmentOrOneByteMoreIsRefused() throws Exception {
        DynamoLearnerStore store = new DynamoLearnerStore(aws.dynamoDb(), settings.tableName());
        APIGatewayV2HTTPResponse tooMany = put("L-many", withEnrolments("W1", LearnerValidation.MAX_ENROLMENTS + 1, 1));
        assertThat(tooMany.getStatusCode()).isEqualTo(400);
        assertThat(body(tooMany).at("/errors/0/field").asText()).isEqualTo("enrolments");

        // Two-byte letters in every course, then single letters spread over them: the learner's text exactly
        // at its cap (each course within its 255 characters); then one byte more.
        List<String> courses = new ArrayList<>(java.util.Collections.nCopies(LearnerValidation.MAX_ENROLMENTS, ""));
        int perCourse = (LearnerValidation.MAX_LEARNER_BYTES - textBytes(withCourses("W2", courses))) / courses.size() / 2;
        courses.replaceAll(c -> "é".repeat(perCourse));
        for (int k = 0, remaining = LearnerValidation.MAX_LEARNER_BYTES - textBytes(withCourses("W2", courses)); remaining > 0;
                k = (k + 1) % courses.size(), remaining--) {
            courses.set(k, courses.get(k) + "C");
        }
        String atCap = withCourses("W2", courses);
        assertThat(textBytes(atCap)).isEqualTo(LearnerValidation.MAX_LEARNER_BYTES);
        courses.set(0, courses.get(0) + "C");
        String oneByteOver = withCourses("W2", courses);
        APIGatewayV2HTTPResponse over = put("L-big", oneByteOver);
        assertThat(over.getStatusCode()).as(over.getBody()).isEqualTo(400);
        assertThat(over.getHeaders().get("content-type")).isEqualTo("application/problem+json");
        assertThat(body(over).at("/errors/0/message").asText()).contains((LearnerValidation.MAX_LEARNER_BYTES + 1) + " bytes");
        assertThat(store.find(ORG, "L-many")).isEmpty();
        assertThat(store.find(ORG, "L-big")).isEmpty();
        assertThat(drainLearnerQueue()).isEmpty();

        APIGatewayV2HTTPResponse stored = put("L-big", atCap);
        assertThat(stored.getStatusCode()).as(stored.getBody()).isEqualTo(202);
        assertThat(store.find(ORG, "L-big").orElseThrow().learner().enrolments()).hasSize(LearnerValidation.MAX_ENROLMENTS);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = aws.dynamoDb().getItem(b -> b
                .tableName(settings.tableName()).key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ORG#" + ORG),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("LEARNER#L-big")))).item();
        int itemBytes = item.entrySet().stream().mapToInt(e -> e.getKey().length() + (e.getValue().s() == null
                ? 16 : e.getValue().s().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)).sum();
        System.out.println("LEARNER-AT-CAP item " + itemBytes + " bytes (DynamoDB's limit 409,600)");
        assertThat(itemBytes).isLessThan(100 * 1024);
    }

    /** The text the validation counts, of a learner (within its cap) given as JSON. */
    private static int textBytes(String json) {
        try {
            LearnerInput in = Json.MAPPER.readValue(json, LearnerInput.class);
            LearnerValidation.Result r = LearnerValidation.validate(new LearnerInput("L-big", in.refInternal(), in.firstName(),
                    in.lastName(), in.email(), in.phone(), in.address(), in.syncToXero(), in.enrolments()));
            assertThat(r.errors()).isEmpty();
            return LearnerValidation.textBytes(r.learner());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A learner with {@code count} enrolments, each course of {@code twoByteLetters} 'é's. */
    private static String withEnrolments(String ref, int count, int twoByteLetters) {
        return withCourses(ref, java.util.Collections.nCopies(count, "é".repeat(twoByteLetters)));
    }

    /** A learner with an enrolment for each of {@code courses}. */
    private static String withCourses(String ref, List<String> courses) {
        List<String> enrolments = new ArrayList<>();
        for (int i = 0; i < courses.size(); i++) {
            enrolments.add("{\"enrolmentId\":\"E-" + i + "\",\"course\":\"" + courses.get(i)
                    + "\",\"startDate\":\"2027-02-01\",\"status\":\"CONFIRMED\"}");
        }
        return learnerJson(ref, "Ana", true).replaceFirst("\"enrolments\":\\[.*\\]", "\"enrolments\":[" + String.join(",", enrolments) + "]");
    }
}
