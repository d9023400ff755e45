package org.lrm.xero.adapter.aws;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.app.connection.PendingAuthorization;
import org.lrm.xero.app.connection.PendingAuthorizations;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Connects in progress in the IntegrationTable under {@code OAUTHSTATE#{sha256(state)}/STATE}, removed by
 * DynamoDB's TTL a few minutes after they expire. TTL deletes lazily (within days), so an item past its
 * {@code ttl} counts as gone: the use that would read it is a conditional write it fails. Using one marks
 * it used and drops its PKCE verifier in the same conditional write.
 */
public final class DynamoPendingAuthorizations implements PendingAuthorizations {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPendingAuthorizations(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void save(PendingAuthorization p, Instant removeAt) {
        Map<String, AttributeValue> item = key(p.stateHash());
        item.put("orgId", AttributeValue.fromS(p.orgId()));
        item.put("userId", AttributeValue.fromS(p.userId()));
        item.put("browserHash", AttributeValue.fromS(p.browserHash()));
        item.put("returnTo", AttributeValue.fromS(p.returnTo().toString()));
        item.put("redirectUri", AttributeValue.fromS(p.redirectUri().toString()));
        item.put("codeVerifier", AttributeValue.fromS(p.codeVerifier()));
        item.put("scopes", AttributeValue.fromL(p.scopes().stream().map(AttributeValue::fromS).toList()));
        item.put("expiresAt", AttributeValue.fromS(p.expiresAt().toString()));
        item.put("ttl", AttributeValue.fromN(Long.toString(removeAt.getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<Use> use(String stateHash, Instant at) {
        try {
            Map<String, AttributeValue> old = dynamo.updateItem(b -> b.tableName(table).key(key(stateHash))
                    .updateExpression("SET usedAt = :at REMOVE codeVerifier")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(usedAt) AND #ttl > :now")
                    .expressionAttributeNames(Map.of("#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(at.toString()),
                            ":now", AttributeValue.fromN(Long.toString(at.getEpochSecond()))))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
            return Optional.of(new Use(fromItem(stateHash, old), true));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(stateHash))
                    .consistentRead(true)).item();
            if (item == null || item.isEmpty() || removed(item, at)) {
                return Optional.empty();
            }
            return Optional.of(new Use(fromItem(stateHash, item), false));
        }
    }

    /** Past its removal time: gone, whether or not DynamoDB's TTL has deleted it yet. */
    private static boolean removed(Map<String, AttributeValue> item, Instant at) {
        AttributeValue ttl = item.get("ttl");
        return ttl == null || Long.parseLong(ttl.n()) <= at.getEpochSecond();
    }

    private static PendingAuthorization fromItem(String stateHash, Map<String, AttributeValue> item) {
        AttributeValue verifier = item.get("codeVerifier");
        AttributeValue browser = item.get("browserHash");
        return new PendingAuthorization(stateHash, item.get("orgId").s(), item.get("userId").s(),
                browser == null ? null : browser.s(), URI.create(item.get("returnTo").s()), URI.create(item.get("redirectUri").s()),
                verifier == null ? null : verifier.s(), item.get("scopes").l().stream().map(AttributeValue::s).toList(),
                Instant.parse(item.get("expiresAt").s()));
    }

    private static Map<String, AttributeValue> key(String stateHash) {
        return TableKeys.key(TableKeys.oauthState(stateHash), TableKeys.OAUTH_STATE);
    }
}
