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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

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
        dynamo.putItem(b -> b.tableName(table).item(item(orgId, learnerId, entry)));
    }

    /**
     * A marker item {@code ONCE#{onceKey}} names the entry's sort key. The first writer creates it
     * (conditionally); whoever finds it already there writes the entry again under the recorded key,
     * which overwrites rather than adds: a crash between marker and entry is healed by the retry,
     * and no event is ever logged twice.
     */
    @Override
    public void appendOnce(String orgId, String learnerId, String onceKey, LogEntry entry) {
        Map<String, AttributeValue> marker = Items.key(pk(orgId, learnerId), "ONCE#" + onceKey);
        LogEntry logged = entry;
        String sk = sortKey(entry);
        try {
            Map<String, AttributeValue> item = new HashMap<>(marker);
            item.put("entrySk", s(sk));
            item.put("entryAt", s(entry.at().toString()));
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException alreadyLogged) {
            Map<String, AttributeValue> existing = dynamo.getItem(b -> b.tableName(table).key(marker).consistentRead(true)).item();
            sk = str(existing, "entrySk");
            logged = new LogEntry(Instant.parse(str(existing, "entryAt")), entry.kind(), entry.summary(), entry.xeroIds());
        }
        Map<String, AttributeValue> item = item(orgId, learnerId, logged);
        item.put("sk", s(sk));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** Same-millisecond entries keep their order within an instance (the sequence) and never collide across instances. */
    private static String sortKey(LogEntry entry) {
        return "LOG#" + Items.sortable(entry.at()) + "#" + String.format("%012d", SEQUENCE.incrementAndGet())
                + "#" + UUID.randomUUID();
    }

    private static Map<String, AttributeValue> item(String orgId, String learnerId, LogEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk(orgId, learnerId)));
        item.put("sk", s(sortKey(entry)));
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
