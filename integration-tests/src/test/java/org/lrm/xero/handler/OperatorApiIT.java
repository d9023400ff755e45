package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.SqsLearnerSyncQueue;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.app.learner.LearnerSyncRequest;
import org.lrm.xero.app.work.DeadLetter;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.learner.Address;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.testing.ApiContract;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.WorkerRig;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The operators' routes through the real handler against moto and the Xero sandbox: organisations'
 * health from the stores (the sparse index of failed learners included), dead letters that the
 * real learner-sync worker put in its DLQ (and one SQS moved there itself), looked at without moving
 * them, dry-run, replayed to a sync that then reaches Xero, and the replay kept in the audit record.
 * Every answer is checked against the API document.
 */
@ExtendWith(AwsEmulator.class)
class OperatorApiIT {

    private static final String OPERATOR = "support-ana";
    private static final ApiContract CONTRACT = ApiContract.load();

    private IntegrationRig rig;
    private Settings settings;
    private OperatorApiHandler operator;
    private DynamoLearnerStore learners;
    private WorkerRig learnerSync;
    private final List<String> logs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        rig = IntegrationRig.start();
        settings = rig.settings("OperatorApiFunction");
        operator = new OperatorApiHandler(OperatorRoot.of(settings, rig.clientsOf("OperatorApiFunction"), rig.clock));
        learners = new DynamoLearnerStore(rig.aws.dynamoDb(), settings.tableName());
        LearnerSyncWorker worker = new LearnerSyncWorker(rig.root("LearnerSyncWorkerFunction", LearnerRoot::of),
                new DeferralPolicy(Duration.ofHours(12), Duration.ZERO, 3));
        learnerSync = new WorkerRig(rig.aws.sqs(), settings.learnerSyncQueueUrl(), e -> worker.handleRequest(e, null),
                rig.admin, rig.clock, 1);
        JsonLog.sink(logs::add);
    }

    @AfterEach
    void tearDown() {
        JsonLog.sinkToStdout();
        rig.close();
    }

    @Test
    void everyOrganisationShowsItsConnectionFailedLearnersAndLatestResyncAPageAtATime() throws Exception {
        rig.connect("org-a", "Alpha Training", null);
        rig.connect("org-b", "Beta College", null);
        save("org-a", "L-1", "W1");
        save("org-a", "L-2", "W2");
        save("org-a", "L-3", "W3");
        save("org-b", "L-1", "W1");
        learners.recordFailed("org-a", "L-1", "Xero: The contact name Ana Lopez W1 is already assigned to another contact",
                rig.clock.instant());
        learners.recordFailed("org-a", "L-3", "Xero: Email address must be valid", rig.clock.instant());
        learners.recordFailed("org-a", "L-2", "Xero: The contact name is already assigned", rig.clock.instant());
        learners.recordSynced("org-a", "L-2", "00000000-0000-0000-0000-000000000002", "Ana Lopez W2", "W2", "fp",
                rig.clock.instant());
        APIGatewayV2HTTPResponse started = new ResyncApiHandler(rig.root("ResyncApiFunction", ResyncRoot::of))
                .handleRequest(ApiEvents.route("POST /v1/xero/resync").json("{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}")
                        .as("org-a", "admin", "admin-a").build(), null);
        assertThat(started.getStatusCode()).isEqualTo(202);
        String jobId = body(started).get("jobId").asText();

        JsonNode all = ok(get(ApiEvents.route("GET /v1/operator/organisations")));
        JsonNode first = ok(get(ApiEvents.route("GET /v1/operator/organisations").query("limit", "1")));
        JsonNode second = ok(get(ApiEvents.route("GET /v1/operator/organisations").query("limit", "1")
                .query("cursor", first.get("nextCursor").asText())));

        assertThat(all.get("organisations")).extracting(o -> o.get("orgId").asText()).containsExactly("org-a", "org-b");
        assertThat(all.has("nextCursor")).isFalse();
        JsonNode a = all.get("organisations").get(0);
        assertThat(a.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(a.get("tenantName").asText()).isEqualTo("Alpha Training");
        assertThat(a.get("failingLearners").asInt()).as("L-1 and L-3; L-2 synced since it failed").isEqualTo(2);
        assertThat(a.get("resync").get("jobId").asText()).isEqualTo(jobId);
        assertThat(a.get("resync").get("state").asText()).isEqualTo("QUEUED");
        JsonNode b = all.get("organisations").get(1);
        assertThat(b.get("failingLearners").asInt()).isZero();
        assertThat(b.get("resync").isNull()).isTrue();
        assertThat(first.get("organisations")).singleElement().satisfies(o -> assertThat(o.get("orgId").asText()).isEqualTo("org-a"));
        assertThat(second.get("organisations")).singleElement().satisfies(o -> assertThat(o.get("orgId").asText()).isEqualTo("org-b"));
        assertThat(second.has("nextCursor")).isFalse();

        JsonNode failing = ok(get(ApiEvents.route("GET /v1/operator/organisations/{orgId}/failing-learners").path("orgId", "org-a")));
        assertThat(failing.get("learners")).extracting(l -> l.get("learnerId").asText()).containsExactly("L-1", "L-3");
        assertThat(failing.get("learners").get(0).get("error").asText()).contains("already assigned");
        assertThat(failing.get("learners").get(1).get("lastName").asText()).isEqualTo("Lopez W3");
        APIGatewayV2HTTPResponse unknown = get(ApiEvents.route("GET /v1/operator/organisations/{orgId}/failing-learners")
                .path("orgId", "org-never"));
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(logs).filteredOn(l -> l.contains("\"operator.failedLearnersRead\""))
                .singleElement().asString().contains("\"operator\":\"" + OPERATOR + "\"", "\"orgId\":\"org-a\"");
    }

    @Test
    void deadLettersAreSeenByQueueOrganisationAndReasonThenDryRunThenReplayedAndTheReplayIsKept() throws Exception {
        String tenant = rig.connect("org-a", "Alpha Training", null);
        save("org-a", "L-1", "W1");
        // The learner-sync worker dead-letters what can never succeed: a body that is no work message,
        // and learner syncs naming no learner (one of org-a, one of org-b).
        SqsQueue sqs = new SqsQueue(rig.aws.sqs());
        sqs.send(settings.learnerSyncQueueUrl(), new SqsQueue.Outgoing("{not a work message", Map.of(), 0));
        for (String orgId : List.of("org-a", "org-b")) {
            ObjectNode noLearner = Json.MAPPER.createObjectNode();
            noLearner.putArray("learnerIds");
            WorkMessage empty = WorkMessage.of(LearnerSyncRequest.KIND, orgId, null, Priority.BULK, noLearner);
            sqs.send(settings.learnerSyncQueueUrl(), new SqsQueue.Outgoing(empty.toJson(),
                    Map.of("orgId", orgId, "kind", LearnerSyncRequest.KIND), 0));
        }
        learnerSync.pass();
        // And a sync of L-1 as SQS leaves a message it moved itself after its receive limit: no reason.
        new SqsLearnerSyncQueue(sqs, settings.learnerSyncDlqUrl()).enqueue("org-a", List.of("L-1"), Priority.INTERACTIVE,
                true, null);
        assertThat(inDlq()).isEqualTo(4);

        JsonNode all = ok(get(ApiEvents.route("GET /v1/operator/dead-letters")));
        JsonNode ofOrgA = ok(get(ApiEvents.route("GET /v1/operator/dead-letters").query("queue", "learner-sync")
                .query("orgId", "org-a").query("reason", "NONE RECORDED")));

        assertThat(all.get("total").asInt()).isEqualTo(4);
        assertThat(all.get("complete").asBoolean()).isTrue();
        assertThat(all.get("groups")).extracting(g -> g.get("orgId").asText() + " " + g.get("count").asInt())
                .containsExactlyInAnyOrder("unknown 1", "org-a 1", "org-b 1", "org-a 1");
        assertThat(all.get("groups")).extracting(g -> g.get("reason").asText()).anySatisfy(r -> assertThat(r).startsWith("malformed"))
                .contains("a learner-sync message names no learner", DeadLetter.NO_REASON);
        assertThat(ofOrgA.get("groups")).singleElement().satisfies(g -> {
            assertThat(g.get("reason").asText()).isEqualTo(DeadLetter.NO_REASON);
            assertThat(g.get("samples")).singleElement().satisfies(s -> {
                assertThat(s.get("learnerIds")).extracting(JsonNode::asText).containsExactly("L-1");
                assertThat(s.get("kind").asText()).isEqualTo(LearnerSyncRequest.KIND);
            });
        });
        assertThat(inDlq()).as("a look moves nothing").isEqualTo(4);

        String selection = "\"queue\":\"learner-sync\",\"orgId\":\"org-a\",\"reason\":\"none recorded\"";
        JsonNode dryRun = ok(post("{" + selection + ",\"dryRun\":true}"));
        assertThat(dryRun.get("matched").asInt()).isEqualTo(1);
        assertThat(dryRun.get("replayed").asInt()).isZero();
        assertThat(inDlq()).isEqualTo(4);
        assertThat(audits()).isEmpty();

        JsonNode replay = ok(post("{" + selection + ",\"dryRun\":false}"));
        assertThat(replay.get("dryRun").asBoolean()).isFalse();
        assertThat(replay.get("matched").asInt()).isEqualTo(1);
        assertThat(replay.get("replayed").asInt()).isEqualTo(1);
        assertThat(inDlq()).isEqualTo(3);
        learnerSync.pass();
        assertThat(learners.find("org-a", "L-1").orElseThrow().state()).as("the replayed sync reached Xero").isEqualTo(SyncState.SYNCED);
        assertThat(rig.admin.state(tenant).get("Contacts")).extracting(c -> c.get("ContactNumber").asText()).contains("W1");

        assertThat(audits()).singleElement().satisfies(item -> {
            assertThat(item.get("operator").s()).isEqualTo(OPERATOR);
            assertThat(item.get("queue").s()).isEqualTo("learner-sync");
            assertThat(item.get("orgId").s()).isEqualTo("org-a");
            assertThat(item.get("reason").s()).isEqualTo("none recorded");
            assertThat(item.get("replayed").n()).isEqualTo("1");
            assertThat(item.get("replayedByOrganisation").m()).containsOnlyKeys("org-a");
        });
        assertThat(logs).filteredOn(l -> l.contains("\"operator.deadLettersReplayed\"")).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("\"operator\":\"" + OPERATOR + "\"", "\"orgId\":\"org-a\""))
                .last().asString().contains("\"dryRun\":false", "\"learnerIds\":[\"L-1\"]");
        assertThat(logs).filteredOn(l -> l.contains("\"operator.deadLettersRead\"")).hasSize(2);
    }

    @Test
    void aReplayMustSayWhichQueueAndWhetherItIsADryRunAndOnlyOperatorsMayCall() throws Exception {
        APIGatewayV2HTTPResponse noDryRun = post("{\"queue\":\"learner-sync\"}");
        APIGatewayV2HTTPResponse badQueue = post("{\"queue\":\"learners\",\"dryRun\":true,\"orgId\":\" \"}");
        APIGatewayV2HTTPResponse badLook = get(ApiEvents.route("GET /v1/operator/dead-letters").query("queue", "learners"));
        APIGatewayV2HTTPResponse byAnAdmin = operator.handleRequest(ApiEvents.route("GET /v1/operator/dead-letters")
                .as("org-a", "admin", "admin-a").build(), null);

        assertThat(noDryRun.getStatusCode()).isEqualTo(400);
        assertThat(body(noDryRun).get("errors")).extracting(e -> e.get("field").asText()).containsExactly("dryRun");
        assertThat(body(badQueue).get("errors")).extracting(e -> e.get("field").asText()).containsExactly("queue", "orgId");
        assertThat(badLook.getStatusCode()).isEqualTo(400);
        assertThat(byAnAdmin.getStatusCode()).isEqualTo(403);
        assertThat(CONTRACT.check("GET", "/v1/operator/dead-letters", byAnAdmin)).isEmpty();
        assertThat(audits()).isEmpty();
    }

    /**
     * Each of the five DLQs, looked at and replayed by the operator API and looked at (dry run) by the DLQ replay
     * function, each under its own role: the dead letter goes back to its own work queue, nothing else moves.
     */
    @Test
    void everyQueuesDeadLettersAreLookedAtAndReplayedUnderEachFunctionsRole() throws Exception {
        Map<String, org.lrm.xero.adapter.aws.DlqReplay.Queues> queues = DlqReplayRoot.queues(settings);
        SqsQueue root = new SqsQueue(rig.aws.sqs());
        DlqReplayHandler replayFunction = new DlqReplayHandler(DlqReplayRoot.of(rig.settings("DlqReplayFunction"),
                rig.clientsOf("DlqReplayFunction")));
        for (String queue : org.lrm.xero.app.work.ReplayRequest.QUEUES) {
            org.lrm.xero.adapter.aws.DlqReplay.Queues urls = queues.get(queue);
            root.send(urls.deadLetterQueueUrl(), new SqsQueue.Outgoing("{not a work message",
                    Map.of("orgId", "org-a", "kind", queue, "reason", "dead-lettered for " + queue), 0));

            java.io.ByteArrayOutputStream looked = new java.io.ByteArrayOutputStream();
            replayFunction.handleRequest(new java.io.ByteArrayInputStream(("{\"queue\":\"" + queue + "\",\"dryRun\":true}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)), looked, null);
            assertThat(Json.MAPPER.readTree(looked.toByteArray()).get("matched").asInt()).as("%s by the replay function", queue)
                    .isEqualTo(1);
            JsonNode seen = ok(get(ApiEvents.route("GET /v1/operator/dead-letters").query("queue", queue)));
            assertThat(seen.get("total").asInt()).as(queue).isEqualTo(1);
            JsonNode replayed = ok(post("{\"queue\":\"" + queue + "\",\"dryRun\":false}"));

            assertThat(replayed.get("replayed").asInt()).as(queue).isEqualTo(1);
            assertThat(WorkerRig.inQueue(rig.aws.sqs(), urls.deadLetterQueueUrl())).as("%s DLQ", queue).isZero();
            assertThat(WorkerRig.inQueue(rig.aws.sqs(), urls.queueUrl())).as("%s work queue", queue).isEqualTo(1);
            rig.aws.sqs().purgeQueue(b -> b.queueUrl(urls.queueUrl()));
        }
        assertThat(audits()).hasSize(queues.size());
    }

    // ---------------------------------------------------------------- the rig

    private void save(String orgId, String learnerId, String ref) {
        learners.save(orgId, new Learner(learnerId, ref, "Ana", "Lopez " + ref, ref.toLowerCase() + "@example.org",
                "+61 400 000 000", new Address("1 Main St", "Perth", "WA", "6000", "AU"), true, List.of()), null,
                SyncState.PENDING, rig.clock.instant());
    }

    private APIGatewayV2HTTPResponse get(ApiEvents request) {
        APIGatewayV2HTTPEvent event = request.asOperator(OPERATOR).build();
        return CONTRACT.assertConforms(event, operator.handleRequest(event, null));
    }

    private APIGatewayV2HTTPResponse post(String json) {
        APIGatewayV2HTTPEvent event = ApiEvents.route("POST /v1/operator/dead-letters:replay").json(json).asOperator(OPERATOR).build();
        return CONTRACT.assertConforms(event, operator.handleRequest(event, null));
    }

    private static JsonNode ok(APIGatewayV2HTTPResponse response) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return body(response);
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    /** Messages in the learner-sync DLQ, visible or held. */
    private int inDlq() {
        Map<QueueAttributeName, String> a = rig.aws.sqs().getQueueAttributes(b -> b.queueUrl(settings.learnerSyncDlqUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** The audit records of operators' replays, as a support lead would query them. */
    private List<Map<String, AttributeValue>> audits() {
        return new ArrayList<>(rig.aws.dynamoDb().query(q -> q.tableName(settings.tableName())
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("OPERATOR#AUDIT"))))
                .items());
    }
}
