package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.instant;
import static org.lrm.xero.adapter.aws.Items.n;
import static org.lrm.xero.adapter.aws.Items.num;
import static org.lrm.xero.adapter.aws.Items.s;
import static org.lrm.xero.adapter.aws.Items.str;
import static org.lrm.xero.adapter.aws.TableKeys.POLL_PLAN;
import static org.lrm.xero.adapter.aws.TableKeys.after;
import static org.lrm.xero.adapter.aws.TableKeys.key;
import static org.lrm.xero.adapter.aws.TableKeys.org;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.lrm.xero.app.invoice.PollPlan;
import org.lrm.xero.app.invoice.PollPlans;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Poll plans as {@code ORG#{orgId}} / {@code POLLPLAN} items. Times that conditions compare are kept
 * sortable ({@link Items#sortable}); a claim is a conditional write, so two runs of the schedule never
 * both queue one organisation's poll.
 */
public final class DynamoPollPlans implements PollPlans {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPollPlans(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Map<String, PollPlan> find(Collection<String> orgIds) {
        Map<String, PollPlan> plans = new HashMap<>();
        Batches.get(dynamo, table, orgIds.stream().map(o -> key(org(o), POLL_PLAN)).toList(), true).forEach(item -> {
            String orgId = after(org(""), str(item, TableKeys.PK));
            Long empty = num(item, "emptyPolls");
            plans.put(orgId, new PollPlan(orgId, sortableInstant(item, "nextPollAt"), sortableInstant(item, "claimedUntil"),
                    empty == null ? 0 : empty.intValue(), instant(item, "lastActivityAt"), instant(item, "lastPolledAt")));
        });
        return plans;
    }

    @Override
    public boolean claim(String orgId, Instant now, Instant until) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), POLL_PLAN))
                    .updateExpression("SET claimedUntil = :until")
                    .conditionExpression("attribute_not_exists(claimedUntil) OR claimedUntil <= :now")
                    .expressionAttributeValues(Map.of(":until", s(Items.sortable(until)), ":now", s(Items.sortable(now)))));
            return true;
        } catch (ConditionalCheckFailedException heldByAnotherRun) {
            return false;
        }
    }

    @Override
    public void hold(String orgId, Instant until) {
        dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), POLL_PLAN))
                .updateExpression("SET claimedUntil = :until")
                .expressionAttributeValues(Map.of(":until", s(Items.sortable(until)))));
    }

    @Override
    public void save(PollPlan plan) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":next", s(Items.sortable(plan.nextPollAt())));
        values.put(":empty", n(plan.emptyPolls()));
        values.put(":polled", s(plan.lastPolledAt().toString()));
        String set = "SET nextPollAt = :next, emptyPolls = :empty, lastPolledAt = :polled";
        if (plan.lastActivityAt() != null) {
            values.put(":active", s(plan.lastActivityAt().toString()));
            set += ", lastActivityAt = :active";
        }
        String expression = set + " REMOVE claimedUntil";
        dynamo.updateItem(u -> u.tableName(table).key(key(org(plan.orgId()), POLL_PLAN))
                .updateExpression(expression).expressionAttributeValues(values));
    }

    @Override
    public void activity(String orgId, Instant at, Instant pollBy) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":at", s(at.toString()), ":zero", n(0)));
        try {
            values.put(":by", s(Items.sortable(pollBy)));
            dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), POLL_PLAN))
                    .updateExpression("SET lastActivityAt = :at, emptyPolls = :zero, nextPollAt = :by")
                    .conditionExpression("attribute_not_exists(nextPollAt) OR nextPollAt > :by")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException dueSoonerAlready) {
            values.remove(":by");
            dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), POLL_PLAN))
                    .updateExpression("SET lastActivityAt = :at, emptyPolls = :zero")
                    .expressionAttributeValues(values));
        }
    }

    private static Instant sortableInstant(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        return v == null ? null : Instant.parse(v);
    }
}
