package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.s;
import static org.lrm.xero.adapter.aws.Items.str;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.learner.Logbook;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Logbook entries under {@code ORG#{orgId}#LEARNER#{learnerId}}, sorted by time. */
public final class DynamoLogbook implements Logbook {

    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLogbook(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String pk(String orgId, String learnerId) {
        return "ORG#" + orgId + "#LEARNER#" + learnerId;
    }

    @Override
    public void append(String orgId, String learnerId, LogEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk(orgId, learnerId)));
        // Same-millisecond entries keep their order within an instance (the sequence) and never collide across instances.
        item.put("sk", s("LOG#" + Items.sortable(entry.at()) + "#" + String.format("%012d", SEQUENCE.incrementAndGet())
                + "#" + UUID.randomUUID()));
        item.put("at", s(entry.at().toString()));
        item.put("kind", s(entry.kind()));
        item.put("summary", s(entry.summary()));
        if (!entry.xeroIds().isEmpty()) {
            item.put("xeroIds", AttributeValue.fromM(entry.xeroIds().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> s(e.getValue())))));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public List<LogEntry> newestFirst(String orgId, String learnerId, int limit) {
        return dynamo.query(b -> b.tableName(table).scanIndexForward(false).limit(limit)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :log)")
                        .expressionAttributeValues(Map.of(":pk", s(pk(orgId, learnerId)), ":log", s("LOG#"))))
                .items().stream()
                .map(item -> new LogEntry(Instant.parse(str(item, "at")), str(item, "kind"), str(item, "summary"),
                        item.containsKey("xeroIds") ? item.get("xeroIds").m().entrySet().stream()
                                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().s())) : Map.of()))
                .toList();
    }
}
