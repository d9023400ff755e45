package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.lrm.xero.support.Environment;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.support.Priming;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.RepoPaths;
import org.lrm.xero.testing.SampleEvents;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Every function built as Lambda builds it (from its template environment and its role's
 * credentials, by its no-arg constructor; the emulator checks each call against the role), then
 * used as Lambda uses it: first its SnapStart priming (what its components registered with
 * {@link Priming} as they were built, each warm-up under the function's role, so its role must allow
 * what its warm-ups do), which runs in production whenever Lambda publishes a version and must
 * succeed without storing or sending anything; then a request, its sample event handed over as
 * Lambda's Java runtime does for a handler named by its class (the event's bytes in, the answer's
 * bytes out).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapStartPrimingIT {

    private static IntegrationRig rig;
    private static final Map<String, Object> FUNCTIONS = new LinkedHashMap<>();
    /** What each function registered for the checkpoint as it was built. */
    private static final Map<String, Priming.Recording> PRIMINGS = new LinkedHashMap<>();
    private static final List<String> LOGS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void buildEveryFunctionAsLambdaDoes() throws Exception {
        rig = IntegrationRig.start();
        JsonLog.sink(LOGS::add);
        try {
            for (String id : rig.stack.functionIds()) {
                String handler = String.valueOf(((Map<?, ?>) rig.stack.resource(id).get("Properties")).get("Handler"));
                // As Lambda starts it: the template's variables and its role's credentials, so each call is the role's.
                Environment.override(rig.lambdaEnvironment(id));
                try (Priming.Recording recording = Priming.record()) {
                    FUNCTIONS.put(id, Class.forName(handler).getDeclaredConstructor().newInstance());
                    PRIMINGS.put(id, recording);
                }
            }
        } finally {
            Environment.override(null);
        }
    }

    @AfterAll
    static void stop() {
        JsonLog.sinkToStdout();
        rig.close();
    }

    @Test
    @Order(1)
    void everyFunctionPrimesWithoutStoringOrSendingAnything() {
        Map<String, String> queuedBefore = queued();
        Map<String, Integer> itemsBefore = items();

        int primings = PRIMINGS.values().stream().mapToInt(Priming.Recording::checkpoint).sum();

        assertThat(LOGS).noneMatch(line -> line.contains("snapstart.primingFailed"));
        assertThat(LOGS.stream().filter(line -> line.contains("\"snapstart.primed\""))).hasSize(primings);
        assertThat(items()).isEqualTo(itemsBefore);
        assertThat(queued()).isEqualTo(queuedBefore);
    }

    @Test
    @Order(1)
    void everyFunctionPrimesItsEntryAndTheClientsItsFirstRequestUses() {
        assertThat(PRIMINGS).hasSameSizeAs(FUNCTIONS);
        PRIMINGS.forEach((id, recording) -> {
            List<String> names = recording.names();
            // Its own entry: an API request, an empty batch, a schedule's event or a replay request.
            assertThat(names).as(id).anyMatch(n -> n.startsWith("GET ") || n.startsWith("POST ") || n.equals("empty batch")
                    || n.equals("schedule") || n.equals("replay request"));
            if (!id.equals("DlqReplayFunction")) {
                assertThat(names).as("%s: DynamoDB's request path", id).contains("connection store");
            }
            if (names.contains("empty batch")) {
                assertThat(names).as("%s: its queue's SQS path", id).anyMatch(n -> n.startsWith("worker of "));
            }
        });
        assertThat(PRIMINGS.get("LearnerApiFunction").names()).as("the learner API sends to the learner-sync queue")
                .contains("sends to lrm-xero-dev-learner-sync", "learner store");
        assertThat(PRIMINGS.get("LearnerSyncWorkerFunction").names()).as("the worker holds Xero tokens")
                .contains("token vault", "worker of lrm-xero-dev-learner-sync");
        assertThat(PRIMINGS.get("DlqReplayFunction").names()).contains("dead-letter queues", "replay request");
        assertThat(PRIMINGS.get("OperatorApiFunction").names()).as("the operator API's routes and the DLQs they count")
                .contains("GET /v1/operator/organisations", "GET /v1/operator/organisations/{orgId}/failing-learners",
                        "POST /v1/operator/dead-letters:replay", "dead-letter queues");
    }

    @Test
    @Order(2)
    void everyFunctionAnswersItsSampleEventThroughLambdasStreamEntry() throws Exception {
        Map<String, Path> samples = SampleEvents.firstPerFunction(RepoPaths.root());
        for (Map.Entry<String, Object> function : FUNCTIONS.entrySet()) {
            String id = function.getKey();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ((RequestStreamHandler) function.getValue()).handleRequest(Files.newInputStream(samples.get(id)), out, null);

            JsonNode answer = Json.MAPPER.readTree(out.toByteArray());
            if (answer.has("statusCode")) {
                assertThat(answer.get("statusCode").asInt()).as("%s: %s", id, answer).isBetween(200, 499);
            } else if (answer.has("batchItemFailures")) {
                assertThat(answer.get("batchItemFailures").isArray()).as(id).isTrue();
            } else {
                assertThat(id).as("only a schedule answers null, and the DLQ replay its counts: %s", answer)
                        .isIn("NightlySyncFunction", "TransactionPollFunction", "DlqReplayFunction");
            }
        }
        assertThat(FUNCTIONS).hasSize(samples.size());
    }

    /** Items in every table of the template. */
    private static Map<String, Integer> items() {
        Map<String, Integer> counts = new HashMap<>();
        for (String table : rig.stack.resourceIds("AWS::DynamoDB::Table")) {
            counts.put(table, rig.aws.dynamoDb().scan(b -> b.tableName(rig.stack.ref(table))).count());
        }
        return counts;
    }

    /** Messages in every queue of the template, visible or not. */
    private static Map<String, String> queued() {
        Map<String, String> counts = new HashMap<>();
        for (String queue : rig.stack.resourceIds("AWS::SQS::Queue")) {
            String url = rig.stack.ref(queue);
            Map<QueueAttributeName, String> attributes = rig.aws.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            counts.put(queue, attributes.toString());
        }
        return counts;
    }
}
