package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.s;
import static org.lrm.xero.adapter.aws.Items.str;
import static org.lrm.xero.adapter.aws.TableKeys.LOG;
import static org.lrm.xero.adapter.aws.TableKeys.ONCE;
import static org.lrm.xero.adapter.aws.TableKeys.key;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.learner.Logbook;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Logbook entries under {@code ORG#{orgId}#LEARNER#{learnerId}}, listed by time through gsi1
 * ({@code ...#LOG} / {@code {at}#...}). An entry to be logged once is keyed by its once-key
 * ({@code ONCE#{onceKey}}), so it can exist only once whoever writes it and however often: a batch
 * reads which keys are there and writes the others, 25 to a request. Two writers racing on the
 * same key both write the same item (the later time wins), never two entries.
 */
public final class DynamoLogbook implements Logbook {

    /** Same-millisecond entries keep their order within an instance and never collide across instances. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLogbook(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void append(String orgId, List<Entry> entries) {
        Batches.put(dynamo, table, entries.stream().map(e -> {
            String unique = String.format("%012d", SEQUENCE.incrementAndGet()) + "#" + UUID.randomUUID();
            return item(orgId, e.learnerId(), LOG + unique, unique, e.entry());
        }).toList());
    }

    @Override
    public void appendOnce(String orgId, List<Once> entries) {
        Map<Map<String, AttributeValue>, Once> byKey = new LinkedHashMap<>();
        for (Once once : entries) {
            byKey.putIfAbsent(key(TableKeys.learnerPartition(orgId, once.learnerId()), ONCE + once.onceKey()), once);
        }
        Set<Map<String, AttributeValue>> logged = new HashSet<>();
        Batches.get(dynamo, table, List.copyOf(byKey.keySet()), true)
                .forEach(item -> logged.add(key(str(item, TableKeys.PK), str(item, TableKeys.SK))));
        Batches.put(dynamo, table, byKey.entrySet().stream().filter(e -> !logged.contains(e.getKey()))
                .map(e -> {
                    Once once = e.getValue();
                    return item(orgId, once.learnerId(), ONCE + once.onceKey(), ONCE + once.onceKey(), once.entry());
                })
                .toList());
    }

    private static Map<String, AttributeValue> item(String orgId, String learnerId, String sk, String unique, LogEntry entry) {
        Map<String, AttributeValue> item = key(TableKeys.learnerPartition(orgId, learnerId), sk);
        item.put("gsi1pk", s(TableKeys.logIndex(orgId, learnerId)));
        item.put("gsi1sk", s(Items.sortable(entry.at()) + "#" + unique));
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
        return dynamo.query(b -> b.tableName(table).indexName("gsi1").scanIndexForward(false).limit(limit)
                        .keyConditionExpression("gsi1pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(TableKeys.logIndex(orgId, learnerId)))))
                .items().stream()
                .map(item -> new LogEntry(Instant.parse(str(item, "at")), str(item, "kind"), str(item, "summary"),
                        item.containsKey("xeroIds") ? item.get("xeroIds").m().entrySet().stream()
                                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().s())) : Map.of()))
                .toList();
    }
}
