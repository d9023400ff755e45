package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoRateBudget;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.rate.RateBudget.Admission;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.rate.RatePolicy;
import org.lrm.xero.domain.rate.Remaining;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.CrashingLearnerStore;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.WorkerRig;

/**
 * Learners to Xero contacts end to end: the learner API (real handler, DynamoDB and SQS in moto),
 * the learner-sync worker fed by the queue as Lambda's event source feeds it, the real Xero client
 * and rate budget against the Xero sandbox.
 */
@ExtendWith(AwsEmulator.class)
class LearnerSyncIT {

    static final String ORG = "org-sync";
    /** Waiting copies are re-sent without SQS delay: the rig moves the clocks instead of waiting. */
    static final DeferralPolicy TEST_TIME = new DeferralPolicy(Duration.ofHours(12), Duration.ZERO, 3);

    private IntegrationRig rig;
    private String tenantId;
    private LearnerApiHandler api;
    private LearnerStore learners;
    private Settings settings;
    private WorkerRig workers;

    @BeforeEach
    void setUp() {
        rig = IntegrationRig.start();
        tenantId = rig.connect(ORG, "Northside College", null);
        settings = rig.settings("LearnerSyncWorkerFunction");
        learners = new DynamoLearnerStore(rig.aws.dynamoDb(), settings.tableName());
        api = EndToEndFlow.learnerApi(rig);
        LearnerSyncWorker worker = new LearnerSyncWorker(rig.root("LearnerSyncWorkerFunction", LearnerRoot::of), TEST_TIME);
        workers = new WorkerRig(rig.aws.sqs(), settings.learnerSyncQueueUrl(), e -> worker.handleRequest(e, null),
                rig.admin, rig.clock, 5);
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    static String learner(String learnerId, String ref, String first, String last, String email) {
        return """
                {"learnerId":"%s","refInternal":"%s","firstName":"%s","lastName":"%s","email":"%s","syncToXero":true,
                 "enrolments":[{"enrolmentId":"E-%s","course":"BSB50120 Diploma of Business","startDate":"2027-02-01","status":"CONFIRMED"}]}
                """.formatted(learnerId, ref, first, last, email, learnerId);
    }

    APIGatewayV2HTTPResponse bulk(List<String> learnerJson) {
        return api.handleRequest(ApiEvents.route("POST /v1/learners:bulk-sync")
                .json("{\"learners\":[" + String.join(",", learnerJson) + "]}").as(ORG, "admin", "a-1").build(), null);
    }

    APIGatewayV2HTTPResponse put(String learnerId, String json) {
        return api.handleRequest(ApiEvents.route("PUT /v1/learners/{learnerId}").path("learnerId", learnerId)
                .json(json).as(ORG, "staff", "s-1").build(), null);
    }

    /** Runs the workers until the queue is empty, moving the clocks on whenever work waits for Xero's budget. */
    void drain() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            workers.pass();
            if (workers.inQueue(settings.learnerSyncQueueUrl()) == 0) {
                return;
            }
            assertThat(Instant.now()).as("learner-sync queue drained in time").isBefore(deadline);
            workers.advance(Duration.ofSeconds(61));
        }
    }

    JsonNode tenantStats() {
        return rig.admin.stats().path("tenants").path(tenantId);
    }

    List<JsonNode> sandboxContacts() {
        List<JsonNode> out = new ArrayList<>();
        rig.admin.state(tenantId).path("Contacts").forEach(out::add);
        return out;
    }

    @Test
    void aThousandLearnersBecomeContactsInTwentyCallsAndTheSameRequestAgainCostsNone() throws Exception {
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(learner("L-" + i, "W" + (100000 + i), "Learner", "Number" + i, "l" + i + "@example.org"));
        }

        APIGatewayV2HTTPResponse first = bulk(batch);
        drain();
        long callsAfterFirst = tenantStats().path("appCalls").asLong();
        APIGatewayV2HTTPResponse second = bulk(batch);
        drain();

        assertThat(first.getStatusCode()).isEqualTo(202);
        Map<String, LearnerRecord> records = learners.findAll(ORG, ids(1000));
        assertThat(records.values()).hasSize(1000).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(SyncState.SYNCED);
            assertThat(r.contactNumber()).isEqualTo(r.learner().refInternal());
            assertThat(r.contactName()).isEqualTo("Learner " + r.learner().lastName() + " " + r.learner().refInternal());
        });
        assertThat(callsAfterFirst).as(tenantStats().path("appCallsByEndpoint").toString()).isLessThanOrEqualTo(21);
        assertThat(tenantStats().path("rateLimited").size()).isZero();
        assertThat(sandboxContacts()).hasSize(1000);
        assertThat(Json.MAPPER.readTree(second.getBody()).get("queued").asInt()).isZero();
        assertThat(tenantStats().path("appCalls").asLong()).isEqualTo(callsAfterFirst);
    }

    @Test
    void aBulkSyncThatWaitsForXerosMinuteLooksUpNothingWhenItGoesOn() throws Exception {
        // Most of this minute's bulk calls already spent (as other bulk work of the organisation would), so that
        // chunks picked up by the worker wait for the budget before their create is sent.
        RateBudget budget = new DynamoRateBudget(rig.clientsOf("LearnerSyncWorkerFunction").dynamoDb(),
                settings.budgetTableName(), new RatePolicy(RateLimits.xero(settings.bulkDayReservePercent())), rig.clock);
        for (int i = 0; i < 45; i++) {
            Admission taken = budget.acquire(tenantId, Priority.BULK);
            assertThat(taken).isInstanceOf(Admission.Granted.class);
            budget.release(((Admission.Granted) taken).lease(), Remaining.UNKNOWN);
        }
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(learner("L-" + i, "W" + (100000 + i), "Learner", "Number" + i, "l" + i + "@example.org"));
        }

        assertThat(bulk(batch).getStatusCode()).isEqualTo(202);
        drain();

        JsonNode byEndpoint = tenantStats().path("appCallsByEndpoint");
        assertThat(learners.findAll(ORG, ids(1000)).values()).hasSize(1000)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(SyncState.SYNCED));
        assertThat(byEndpoint.path("POST /Contacts").asLong()).as(byEndpoint.toString()).isEqualTo(20);
        assertThat(byEndpoint.has("GET /Contacts")).as("a create held back by the budget was never sent: nothing to look up, "
                + byEndpoint).isFalse();
        assertThat(sandboxContacts()).hasSize(1000);
    }

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("L-" + i);
        }
        return ids;
    }

    @Test
    void aCrashAfterXeroCreatedTheContactsLeavesNoDuplicateOnRetry() throws Exception {
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(learner("L-" + i, "W" + (200000 + i), "Crash", "Test" + i, "c" + i + "@example.org"));
        }
        // The first attempt dies between Xero's answer and our write of the links, as a Lambda would.
        AtomicInteger crashes = new AtomicInteger(1);
        LearnerSyncWorker crashing = new LearnerSyncWorker(rig.root("LearnerSyncWorkerFunction", LearnerRoot::of)
                .withLearnerStore(store -> new CrashingLearnerStore(store, crashes)), TEST_TIME);
        WorkerRig crashy = new WorkerRig(rig.aws.sqs(), settings.learnerSyncQueueUrl(), e -> crashing.handleRequest(e, null),
                rig.admin, rig.clock, 1);

        bulk(batch);
        crashy.pass();
        crashy.advance(Duration.ofMinutes(15));
        crashy.pass();

        assertThat(crashes.get()).isZero();
        assertThat(sandboxContacts()).hasSize(30);
        assertThat(learners.findAll(ORG, ids(30)).values()).allSatisfy(r -> assertThat(r.state()).isEqualTo(SyncState.SYNCED));
    }

    @Test
    void aLostLinkIsRecoveredByAdoptingTheContactXeroAlreadyHas() throws Exception {
        put("L-1", learner("L-1", "W300001", "Ana", "Lopez", "ana@example.org"));
        drain();
        String contactId = learners.find(ORG, "L-1").orElseThrow().contactId();
        // The link is lost (e.g. a restore from an old backup), and Xero's idempotency window has passed.
        rig.aws.dynamoDb().deleteItem(b -> b.tableName(settings.tableName()).key(Map.of(
                "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ORG#" + ORG),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("LEARNER#L-1"))));
        rig.advance(Duration.ofHours(25));

        put("L-1", learner("L-1", "W300001", "Ana", "Lopez", "ana.lopez@example.org"));
        drain();

        LearnerRecord r = learners.find(ORG, "L-1").orElseThrow();
        assertThat(r.state()).isEqualTo(SyncState.SYNCED);
        assertThat(r.contactId()).isEqualTo(contactId);
        assertThat(sandboxContacts()).hasSize(1);
        assertThat(sandboxContacts().get(0).path("EmailAddress").asText()).isEqualTo("ana.lopez@example.org");
    }

    @Test
    void aNameTakenByAnotherContactAndAnArchivedContactFailWithXerosMessageWhileTheRestOfTheBatchSyncs()
            throws Exception {
        bulk(List.of(learner("L-A", "W400001", "Ben", "Archived", "ben@example.org")));
        drain();
        String archivedId = learners.find(ORG, "L-A").orElseThrow().contactId();
        finance("POST", "/api.xro/2.0/Contacts", "{\"Contacts\":[{\"ContactID\":\"" + archivedId
                + "\",\"ContactStatus\":\"ARCHIVED\"}]}");
        finance("POST", "/api.xro/2.0/Contacts", "{\"Contacts\":[{\"Name\":\"Cara Taken W400002\"}]}");

        List<String> batch = new ArrayList<>();
        batch.add(learner("L-A", "W400001", "Ben", "Archived", "ben.new@example.org"));
        batch.add(learner("L-T", "W400002", "Cara", "Taken", "cara@example.org"));
        for (int i = 0; i < 5; i++) {
            batch.add(learner("L-OK" + i, "W40010" + i, "Fine", "Learner" + i, "f" + i + "@example.org"));
        }
        bulk(batch);
        drain();

        LearnerRecord archived = learners.find(ORG, "L-A").orElseThrow();
        LearnerRecord taken = learners.find(ORG, "L-T").orElseThrow();
        assertThat(archived.state()).isEqualTo(SyncState.FAILED);
        assertThat(archived.error()).contains("archived").contains("What to do");
        assertThat(taken.state()).isEqualTo(SyncState.FAILED);
        assertThat(taken.error()).contains("The contact name Cara Taken W400002 is already assigned to another contact");
        for (int i = 0; i < 5; i++) {
            assertThat(learners.find(ORG, "L-OK" + i).orElseThrow().state()).isEqualTo(SyncState.SYNCED);
        }
        JsonNode status = Json.MAPPER.readTree(api.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/xero")
                .path("learnerId", "L-T").as(ORG, "staff", "s").build(), null).getBody());
        assertThat(status.get("state").asText()).isEqualTo("FAILED");
        assertThat(status.get("error").asText()).contains("already assigned");
        JsonNode logbook = Json.MAPPER.readTree(api.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/logbook")
                .path("learnerId", "L-A").as(ORG, "staff", "s").build(), null).getBody());
        assertThat(logbook.get("entries")).extracting(e -> e.get("kind").asText()).containsExactly("SYNC_FAILED", "CONTACT_CREATED");
    }

    @Test
    void workQueuedWhileTheConnectionIsRevokedWaitsAndResumesAfterReconnecting() throws Exception {
        rig.admin.revokeConnection(tenantId);
        put("L-1", learner("L-1", "W500001", "Dee", "Waiting", "dee@example.org"));

        workers.pass();

        assertThat(new DynamoConnectionStore(rig.aws.dynamoDb(), settings.tableName()).connection(ORG)
                .orElseThrow().status().name()).isEqualTo("NEEDS_RECONNECT");
        assertThat(learners.find(ORG, "L-1").orElseThrow().state()).isEqualTo(SyncState.PENDING);
        assertThat(workers.inQueue(settings.learnerSyncQueueUrl())).isEqualTo(1);
        assertThat(workers.inQueue(dlq())).isZero();

        rig.reconnect(ORG, tenantId);
        workers.advance(Duration.ofMinutes(16));
        drain();

        assertThat(learners.find(ORG, "L-1").orElseThrow().state()).isEqualTo(SyncState.SYNCED);
        assertThat(sandboxContacts()).hasSize(1);
        assertThat(workers.inQueue(dlq())).isZero();
    }

    private String dlq() {
        return rig.stack.ref("LearnerSyncDlq");
    }

    /** Finance working in Xero with their own user token. */
    private void finance(String method, String path, String json) throws Exception {
        String token = rig.admin.userToken(tenantId);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(rig.sandbox.baseUri() + path)).method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + token).header("xero-tenant-id", tenantId)
                .header("Content-Type", "application/json").header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
