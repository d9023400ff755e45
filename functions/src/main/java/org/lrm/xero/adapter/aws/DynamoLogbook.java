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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Logbook entries under {@code ORG#{orgId}#LEARNER#{learnerId}}, sorted by time. */
public final class DynamoLogbook implements Logbook {

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
        dynamo.putItem(b -> b.tableName(table).item(item(orgId, learnerId, entry)));
    }

    /** The entry and a marker item {@code ONCE#{onceKey}} are written together, or neither when the marker exists. */
    @Override
    public void appendOnce(String orgId, String learnerId, String onceKey, LogEntry entry) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(table)
                            .item(Map.of("pk", s(pk(orgId, learnerId)), "sk", s("ONCE#" + onceKey)))
                            .conditionExpression("attribute_not_exists(pk)")).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item(orgId, learnerId, entry))).build()));
        } catch (TransactionCanceledException e) {
            boolean alreadyLogged = e.cancellationReasons().stream()
                    .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
            if (!alreadyLogged) {
                throw e;
            }
        }
    }

    private static Map<String, AttributeValue> item(String orgId, String learnerId, LogEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk(orgId, learnerId)));
        item.put("sk", s("LOG#" + Items.sortable(entry.at()) + "#" + UUID.randomUUID()));
        item.put("at", s(entry.at().toString()));
        item.put("kind", s(entry.kind()));
        item.put("summary", s(entry.summary()));
        if (!entry.xeroIds().isEmpty()) {
            item.put("xeroIds", AttributeValue.fromM(entry.xeroIds().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> s(e.getValue())))));
        }
        return item;
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
