package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.lrm.xero.support.Environment;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.testing.IntegrationRig;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SnapStart priming runs in production, whenever Lambda publishes a version: every function built
 * as Lambda builds it (from its template environment, by its no-arg constructor) registers
 * priming that must succeed and must neither store nor send anything.
 */
class SnapStartPrimingIT {

    @Test
    void everyFunctionPrimesWithoutStoringOrSendingAnything() throws Exception {
        List<String> logs = new CopyOnWriteArrayList<>();
        try (IntegrationRig rig = IntegrationRig.start()) {
            Map<String, String> queuedBefore = queued(rig);
            JsonLog.sink(logs::add);
            List<String> functions = new ArrayList<>();
            for (String id : rig.stack.functionIds()) {
                String handler = String.valueOf(((Map<?, ?>) rig.stack.resource(id).get("Properties")).get("Handler"));
                Environment.override(rig.environment(id));
                Class.forName(handler.substring(0, handler.indexOf("::"))).getDeclaredConstructor().newInstance();
                functions.add(id);
            }
            Environment.override(null);

            int primings = SnapStartPriming.beforeCheckpointOfAll();

            assertThat(logs).noneMatch(line -> line.contains("snapstart.primingFailed"));
            assertThat(logs.stream().filter(line -> line.contains("\"snapstart.primed\""))).hasSize(primings);
            // Every function primes its clients; the API functions and the workers answer a request too.
            assertThat(primings).isGreaterThan(functions.size());
            for (String table : rig.stack.resourceIds("AWS::DynamoDB::Table")) {
                String name = rig.stack.ref(table);
                List<Map<String, AttributeValue>> items = rig.aws.dynamoDb().scan(b -> b.tableName(name)).items();
                assertThat(items).as(name).noneMatch(item -> item.toString().contains(SnapStartPriming.ORG));
            }
            assertThat(queued(rig)).isEqualTo(queuedBefore);
        } finally {
            Environment.override(null);
            JsonLog.sinkToStdout();
        }
    }

    /** Messages in every queue of the template, visible or not. */
    private static Map<String, String> queued(IntegrationRig rig) {
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
