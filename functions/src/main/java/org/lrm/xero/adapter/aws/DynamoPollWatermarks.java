package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.instant;
import static org.lrm.xero.adapter.aws.Items.s;
import static org.lrm.xero.adapter.aws.TableKeys.WATERMARK;
import static org.lrm.xero.adapter.aws.TableKeys.key;
import static org.lrm.xero.adapter.aws.TableKeys.org;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.app.invoice.PollWatermarks;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Poll watermarks as {@code ORG#{orgId}} / {@code WATERMARK#{kind}} items; a watermark only moves forward. */
public final class DynamoPollWatermarks implements PollWatermarks {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPollWatermarks(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Instant> watermark(String orgId, String kind) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(org(orgId), WATERMARK + kind)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.ofNullable(instant(item, "at"));
    }

    @Override
    public void advance(String orgId, String kind, Instant to) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), WATERMARK + kind))
                    .updateExpression("SET #at = :at, atSortable = :sortable")
                    .conditionExpression("attribute_not_exists(atSortable) OR atSortable < :sortable")
                    .expressionAttributeNames(Map.of("#at", "at"))
                    .expressionAttributeValues(Map.of(":at", s(to.toString()), ":sortable", s(Items.sortable(to)))));
        } catch (ConditionalCheckFailedException alreadyFurther) {
            // An overlapping poll got further: keep its watermark.
        }
    }
}
