package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.n;
import static org.lrm.xero.adapter.aws.Items.s;
import static org.lrm.xero.adapter.aws.TableKeys.OPERATOR_AUDIT;
import static org.lrm.xero.adapter.aws.TableKeys.key;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.lrm.xero.app.operator.OperatorAudit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Operators' replays in the integration table, one item each under {@code OPERATOR#AUDIT}, sorted
 * by time: a support lead reads a period's replays with one Query, and the items have no TTL (an
 * audit trail does not expire by itself).
 */
public final class DynamoOperatorAudit implements OperatorAudit {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoOperatorAudit(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void replayed(Replay replay) {
        Map<String, AttributeValue> item = key(OPERATOR_AUDIT, Items.sortable(replay.at()) + "#" + UUID.randomUUID());
        item.put("action", s("dead-letters.replay"));
        item.put("operator", s(replay.operator()));
        item.put("at", s(replay.at().toString()));
        item.put("queue", s(replay.queue()));
        optional(item, "orgId", replay.orgId());
        optional(item, "kind", replay.kind());
        optional(item, "reason", replay.reason());
        item.put("matched", n(replay.matched()));
        item.put("replayed", n(replay.replayed()));
        Map<String, AttributeValue> byOrganisation = new HashMap<>();
        replay.replayedByOrganisation().forEach((orgId, count) -> byOrganisation.put(orgId, n(count)));
        item.put("replayedByOrganisation", AttributeValue.fromM(byOrganisation));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static void optional(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }
}
