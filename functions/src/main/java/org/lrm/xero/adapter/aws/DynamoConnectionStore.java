package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.instant;
import static org.lrm.xero.adapter.aws.Items.n;
import static org.lrm.xero.adapter.aws.Items.s;
import static org.lrm.xero.adapter.aws.Items.str;
import static org.lrm.xero.adapter.aws.TableKeys.ALL_CONNECTIONS;
import static org.lrm.xero.adapter.aws.TableKeys.ALL_REVOCATIONS;
import static org.lrm.xero.adapter.aws.TableKeys.CONNECTION;
import static org.lrm.xero.adapter.aws.TableKeys.CONTACT;
import static org.lrm.xero.adapter.aws.TableKeys.REVOCATION;
import static org.lrm.xero.adapter.aws.TableKeys.TENANT_ORG;
import static org.lrm.xero.adapter.aws.TableKeys.TOKEN_LEASE;
import static org.lrm.xero.adapter.aws.TableKeys.key;
import static org.lrm.xero.adapter.aws.TableKeys.org;
import static org.lrm.xero.adapter.aws.TableKeys.tenant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.connection.TokenLease;
import org.lrm.xero.domain.connection.ConnectionStatus;
import org.lrm.xero.support.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Connections in the IntegrationTable: {@code ORG#{orgId}/CONNECTION} (listed under
 * {@code gsi1pk = XERO#CONNECTIONS}), the tenant index {@code TENANT#{tenantId}/ORG} and the refresh lease
 * {@code ORG#{orgId}/TOKENLEASE} (its holder a random token per acquisition), and the marker of refresh
 * tokens waiting for revocation {@code ORG#{orgId}/REVOCATION} (the tokens themselves are in the vault).
 * Times compared in conditions are epoch milliseconds; the rest ISO-8601.
 */
public final class DynamoConnectionStore implements ConnectionStore {

    /** Only if the item is there: what the priming's writes are conditional on, so that they store nothing. */
    private static final String ONLY_IF_STORED = "attribute_exists(" + TableKeys.PK + ")";

    private final DynamoDbClient dynamo;
    private final String table;
    /** Kept as long as the store lives: CRaC holds what registers with it weakly. */
    private final Priming priming;

    /** The store of a function that reads connections only (the webhook receiver, the re-sync and operator APIs). */
    public DynamoConnectionStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, false);
    }

    /**
     * @param holdsTokens whether the function holds Xero tokens, and so writes the token lease and the
     *     connection (its role allows PutItem and UpdateItem): its warm-up then makes those writes too
     */
    public DynamoConnectionStore(DynamoDbClient dynamo, String table, boolean holdsTokens) {
        this(dynamo, table, holdsTokens ? WarmUp.KEY_AND_TOKEN_WRITES : WarmUp.KEY);
    }

    /**
     * The store of a function that reads connections only through the index (the poll schedule: its role allows
     * no GetItem): its warm-up queries the index, for a partition that never exists.
     */
    public static DynamoConnectionStore readByIndex(DynamoDbClient dynamo, String table) {
        return new DynamoConnectionStore(dynamo, table, WarmUp.INDEX);
    }

    /** What a function's warm-up asks of the table: what its role allows it, and no more. */
    private enum WarmUp { KEY, KEY_AND_TOKEN_WRITES, INDEX }

    private DynamoConnectionStore(DynamoDbClient dynamo, String table, WarmUp warmUp) {
        this.dynamo = dynamo;
        this.table = table;
        this.priming = Priming.register("connection store", () -> warmUp(warmUp));
    }

    /**
     * SnapStart priming of the DynamoDB client's request path with the requests this function makes
     * of the table, and no other (its role allows no other: least privilege, no grant for priming
     * alone): a read of the connection of {@link Priming#ORG}, which never exists, as every function
     * with the table makes; for a function that holds tokens, a PutItem and an UpdateItem of that
     * item, each only if it is there, which DynamoDB refuses, so nothing is stored.
     */
    private void warmUp(WarmUp warmUp) {
        if (warmUp == WarmUp.INDEX) {
            dynamo.query(q -> q.tableName(table).indexName("gsi1").keyConditionExpression("gsi1pk = :none")
                    .expressionAttributeValues(Map.of(":none", s(org(Priming.ORG)))));
            return;
        }
        connection(Priming.ORG);
        if (warmUp == WarmUp.KEY) {
            return;
        }
        Map<String, AttributeValue> key = key(org(Priming.ORG), CONNECTION);
        refusedByCondition("stored", () -> dynamo.putItem(b -> b.tableName(table).item(key)
                .conditionExpression(ONLY_IF_STORED)));
        refusedByCondition("updated", () -> dynamo.updateItem(b -> b.tableName(table).key(key)
                .updateExpression("SET primedAt = :at").conditionExpression(ONLY_IF_STORED)
                .expressionAttributeValues(Map.of(":at", s(Priming.ORG)))));
        // The answers to accepted writes, which a refused write never reads.
        PutItemResponse.builder().build();
        UpdateItemResponse.builder().build();
    }

    private static void refusedByCondition(String what, Runnable write) {
        try {
            write.run();
            throw new IllegalStateException("DynamoDB " + what + " the priming item");
        } catch (ConditionalCheckFailedException refused) {
            // as intended: nothing was stored
        }
    }

    @Override
    public Optional<ConnectionRecord> connection(String orgId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(org(orgId), CONNECTION))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Optional<String> findOrgByTenant(String tenantId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(tenant(tenantId), TENANT_ORG))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get("orgId").s());
    }

    @Override
    public boolean hasLinkedContacts(String orgId) {
        QueryResponse r = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :contact)")
                .expressionAttributeValues(Map.of(":pk", s(org(orgId)), ":contact", s(CONTACT)))
                .projectionExpression("pk").limit(1));
        return r.count() > 0;
    }

    @Override
    public void saveConnected(ConnectionRecord c, String previousTenantId) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(c)).build()).build());
        Map<String, AttributeValue> link = key(tenant(c.tenantId()), TENANT_ORG);
        link.put("orgId", s(c.orgId()));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(link)
                .conditionExpression("attribute_not_exists(pk) OR orgId = :org")
                .expressionAttributeValues(Map.of(":org", s(c.orgId()))).build()).build());
        if (previousTenantId != null && !previousTenantId.equals(c.tenantId())) {
            writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                    .key(key(tenant(previousTenantId), TENANT_ORG))
                    .conditionExpression("attribute_not_exists(pk) OR orgId = :org")
                    .expressionAttributeValues(Map.of(":org", s(c.orgId()))).build()).build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            throw new TenantTaken(c.tenantId());
        }
    }

    @Override
    public void recordTokenRefresh(String orgId, String tokenVersion, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(org(orgId), CONNECTION))
                    .updateExpression("SET tokenVersion = :v, lastRefreshAt = :at")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":v", s(tokenVersion), ":at", s(at.toString()))));
        } catch (ConditionalCheckFailedException e) {
            // disconnected meanwhile: nothing to record
        }
    }

    @Override
    public void recordBudget(String orgId, Integer minuteRemaining, Integer dayRemaining, Instant at) {
        if (minuteRemaining == null && dayRemaining == null) {
            return;
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":at", n(at.toEpochMilli()));
        StringBuilder set = new StringBuilder("SET budgetAtMillis = :at");
        if (minuteRemaining != null) {
            set.append(", budgetMinuteRemaining = :m");
            values.put(":m", n(minuteRemaining));
        }
        if (dayRemaining != null) {
            set.append(", budgetDayRemaining = :d");
            values.put(":d", n(dayRemaining));
        }
        // An answer with counters is Xero answering: whatever failed before is over.
        set.append(" REMOVE xeroFailingSince, lastXeroError");
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(org(orgId), CONNECTION)).updateExpression(set.toString())
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(budgetAtMillis) OR budgetAtMillis <= :at)")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // a newer reading is already there, or the organisation is not connected
        }
    }

    @Override
    public void recordMissingScope(String orgId, String scope, String reason, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(org(orgId), CONNECTION))
                    .updateExpression("SET missingScopes = list_append(if_not_exists(missingScopes, :none), :scope),"
                            + " lastError = :reason, lastErrorAt = :at")
                    .conditionExpression("attribute_exists(pk) AND NOT contains(missingScopes, :name)")
                    .expressionAttributeValues(Map.of(":none", AttributeValue.fromL(List.of()),
                            ":scope", AttributeValue.fromL(List.of(s(scope))), ":name", s(scope),
                            ":reason", s(reason), ":at", s(at.toString()))));
        } catch (ConditionalCheckFailedException e) {
            // Already known to be missing (another instance was refused first), or not connected.
        }
    }

    @Override
    public void recordXeroFailing(String orgId, String error, Instant at) {
        String text = error.length() > 500 ? error.substring(0, 500) : error;
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(org(orgId), CONNECTION))
                    .updateExpression("SET xeroFailingSince = if_not_exists(xeroFailingSince, :at), lastXeroError = :err")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(budgetAtMillis) OR budgetAtMillis <= :ms)")
                    .expressionAttributeValues(Map.of(":at", s(at.toString()), ":err", s(text), ":ms", n(at.toEpochMilli()))));
        } catch (ConditionalCheckFailedException e) {
            // Xero answered since, or the organisation is not connected
        }
    }

    @Override
    public boolean markNeedsReconnect(String orgId, String reason, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(org(orgId), CONNECTION))
                    .updateExpression("SET #status = :needs, lastError = :reason, lastErrorAt = :at")
                    .conditionExpression("#status = :connected")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":needs", s(ConnectionStatus.NEEDS_RECONNECT.name()),
                            ":connected", s(ConnectionStatus.CONNECTED.name()), ":reason", s(reason),
                            ":at", s(at.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void markDisconnected(String orgId, Instant at) {
        Optional<ConnectionRecord> c = connection(orgId);
        if (c.isEmpty()) {
            return;
        }
        dynamo.updateItem(b -> b.tableName(table).key(key(org(orgId), CONNECTION))
                .updateExpression("SET #status = :disconnected, disconnectedAt = :at REMOVE lastError, lastErrorAt, tokenVersion")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":disconnected", s(ConnectionStatus.DISCONNECTED.name()),
                        ":at", s(at.toString()))));
        if (c.get().tenantId() != null) {
            try {
                dynamo.deleteItem(b -> b.tableName(table).key(key(tenant(c.get().tenantId()), TENANT_ORG))
                        .conditionExpression("orgId = :org").expressionAttributeValues(Map.of(":org", s(orgId))));
            } catch (ConditionalCheckFailedException e) {
                // the tenant was not (or no longer) linked to this organisation
            }
        }
    }

    @Override
    public List<ConnectionRecord> connections() {
        List<ConnectionRecord> out = new ArrayList<>();
        dynamo.queryPaginator(allConnections()).items().forEach(item -> out.add(fromItem(item)));
        return out;
    }

    private QueryRequest allConnections() {
        return QueryRequest.builder().tableName(table).indexName("gsi1")
                .keyConditionExpression("gsi1pk = :all").expressionAttributeValues(Map.of(":all", s(ALL_CONNECTIONS)))
                .build();
    }

    @Override
    public Page page(String afterOrgId, int limit) {
        // One more than asked for says whether more follow; gsi1sk is ORG#{orgId}, so organisations come in id order.
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":all", s(ALL_CONNECTIONS));
        values.put(":after", s(afterOrgId == null ? org("") : org(afterOrgId)));
        List<ConnectionRecord> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = dynamo.query(q -> q.tableName(table).indexName("gsi1")
                    .keyConditionExpression("gsi1pk = :all AND gsi1sk > :after").expressionAttributeValues(values)
                    .exclusiveStartKey(from).limit(limit + 1 - found.size()));
            r.items().forEach(item -> found.add(fromItem(item)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && found.size() <= limit);
        boolean more = found.size() > limit;
        return new Page(List.copyOf(more ? found.subList(0, limit) : found), more);
    }

    @Override
    public boolean tryAcquireTokenLease(String orgId, String token, Instant now, Instant until) {
        Map<String, AttributeValue> item = key(org(orgId), TOKEN_LEASE);
        item.put("holder", s(token));
        item.put("expiresAtMillis", n(until.toEpochMilli()));
        item.put("ttl", n(until.getEpochSecond() + 3600));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR expiresAtMillis < :now")
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean renewTokenLease(String orgId, String token, Instant until) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(org(orgId), TOKEN_LEASE))
                    .updateExpression("SET expiresAtMillis = :until, #ttl = :ttl")
                    .conditionExpression("holder = :h")
                    .expressionAttributeNames(Map.of("#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":h", s(token), ":until", n(until.toEpochMilli()),
                            ":ttl", n(until.getEpochSecond() + 3600))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<TokenLease> tokenLease(String orgId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(org(orgId), TOKEN_LEASE))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TokenLease(item.get("holder").s(),
                Instant.ofEpochMilli(Long.parseLong(item.get("expiresAtMillis").n()))));
    }

    @Override
    public void releaseTokenLease(String orgId, String token) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(org(orgId), TOKEN_LEASE))
                    .conditionExpression("holder = :h").expressionAttributeValues(Map.of(":h", s(token))));
        } catch (ConditionalCheckFailedException e) {
            // it expired and someone else holds it now
        }
    }

    @Override
    public void revocationPending(String orgId, Instant since) {
        Map<String, AttributeValue> item = key(org(orgId), REVOCATION);
        item.put("gsi1pk", s(ALL_REVOCATIONS));
        item.put("gsi1sk", s(org(orgId)));
        item.put("orgId", s(orgId));
        item.put("since", s(since.toString()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            // already pending since earlier
        }
    }

    @Override
    public void revocationsDone(String orgId) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(org(orgId), REVOCATION)));
    }

    @Override
    public List<String> orgsAwaitingRevocation() {
        List<String> out = new ArrayList<>();
        QueryRequest request = QueryRequest.builder().tableName(table).indexName("gsi1")
                .keyConditionExpression("gsi1pk = :all").expressionAttributeValues(Map.of(":all", s(ALL_REVOCATIONS)))
                .build();
        dynamo.queryPaginator(request).items().forEach(item -> out.add(item.get("orgId").s()));
        return out;
    }

    private static Map<String, AttributeValue> toItem(ConnectionRecord c) {
        Map<String, AttributeValue> item = key(org(c.orgId()), CONNECTION);
        item.put("gsi1pk", s(ALL_CONNECTIONS));
        item.put("gsi1sk", s(org(c.orgId())));
        item.put("orgId", s(c.orgId()));
        item.put("status", s(c.status().name()));
        putIfSet(item, "tenantId", c.tenantId());
        putIfSet(item, "tenantName", c.tenantName());
        putIfSet(item, "xeroConnectionId", c.xeroConnectionId());
        item.put("scopes", list(c.scopes()));
        item.put("missingScopes", list(c.missingScopes()));
        putIfSet(item, "connectedAt", c.connectedAt());
        putIfSet(item, "connectedBy", c.connectedBy());
        putIfSet(item, "lastError", c.lastError());
        putIfSet(item, "lastErrorAt", c.lastErrorAt());
        putIfSet(item, "lastRefreshAt", c.lastRefreshAt());
        putIfSet(item, "tokenVersion", c.tokenVersion());
        if (c.minuteRemaining() != null) {
            item.put("budgetMinuteRemaining", n(c.minuteRemaining()));
        }
        if (c.dayRemaining() != null) {
            item.put("budgetDayRemaining", n(c.dayRemaining()));
        }
        if (c.budgetAt() != null) {
            item.put("budgetAtMillis", n(c.budgetAt().toEpochMilli()));
        }
        return item;
    }

    private static ConnectionRecord fromItem(Map<String, AttributeValue> item) {
        return new ConnectionRecord(str(item, "orgId"), ConnectionStatus.valueOf(str(item, "status")),
                str(item, "tenantId"), str(item, "tenantName"), str(item, "xeroConnectionId"),
                strings(item, "scopes"), strings(item, "missingScopes"), instant(item, "connectedAt"),
                str(item, "connectedBy"), str(item, "lastError"), instant(item, "lastErrorAt"),
                instant(item, "lastRefreshAt"), str(item, "tokenVersion"), integer(item, "budgetMinuteRemaining"),
                integer(item, "budgetDayRemaining"),
                item.containsKey("budgetAtMillis") ? Instant.ofEpochMilli(Long.parseLong(item.get("budgetAtMillis").n())) : null,
                instant(item, "xeroFailingSince"), str(item, "lastXeroError"));
    }

    private static AttributeValue list(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    private static void putIfSet(Map<String, AttributeValue> item, String name, Object value) {
        if (value != null) {
            item.put(name, s(value.toString()));
        }
    }

    private static Integer integer(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : Integer.valueOf(v.n());
    }

    private static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(AttributeValue::s).toList();
    }
}
