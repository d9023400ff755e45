package org.lrm.xero.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * DynamoDB transactions on the emulator the tests start are all or nothing, as in AWS, though a
 * transaction backs up only the items it touches ({@code moto/moto_server.py}, fix 5: moto copied every
 * table it touched, whole). A cancelled transaction leaves each item as it was, whether it existed
 * before, was put, updated or deleted, and items it did not touch are not disturbed.
 */
@ExtendWith(AwsEmulator.class)
class EmulatorTransactionsIT {

    private static final String TABLE = "transactions";
    private static final DynamoDbClient dynamo = AwsEmulator.clients().dynamoDb();

    @BeforeAll
    static void aTableWithItems() {
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        for (int i = 0; i < 50; i++) {
            put("bystander", "b" + i, i);
        }
    }

    @Test
    void aCancelledTransactionLeavesEveryItemItTouchedAsItWas() {
        put("a", "updated", 1);
        put("a", "replaced", 1);
        put("a", "deleted", 1);
        put("a", "guard", 1);

        assertThatThrownBy(() -> dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("a", "updated"))
                        .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", n(2)))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item("a", "replaced", 2))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item("a", "created", 2))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(key("a", "deleted"))).build(),
                // The last one's condition fails: the whole transaction is cancelled.
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(TABLE).key(key("a", "guard"))
                        .conditionExpression("n = :two").expressionAttributeValues(Map.of(":two", n(2)))).build())))
                .isInstanceOf(TransactionCanceledException.class);

        assertThat(number("a", "updated")).isEqualTo("1");
        assertThat(number("a", "replaced")).isEqualTo("1");
        assertThat(number("a", "deleted")).isEqualTo("1");
        assertThat(dynamo.getItem(b -> b.tableName(TABLE).key(key("a", "created"))).hasItem()).as("created then undone").isFalse();
        assertThat(dynamo.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :a")
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("a")))).count()).as("the four items, no more").isEqualTo(4);
        assertThat(dynamo.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :b")
                .expressionAttributeValues(Map.of(":b", AttributeValue.fromS("bystander")))).count()).isEqualTo(50);
    }

    @Test
    void aTransactionThatSucceedsWritesEveryItemAndOneNamingAnItemTwiceWritesNone() {
        dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item("c", "one", 1))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("bystander", "b7"))
                        .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", n(1)))).build()));
        assertThat(number("c", "one")).isEqualTo("1");
        assertThat(number("bystander", "b7")).isEqualTo("8");

        assertThatThrownBy(() -> dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item("c", "two", 1))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item("c", "two", 2))).build())))
                .isInstanceOf(DynamoDbException.class);
        assertThat(dynamo.getItem(b -> b.tableName(TABLE).key(key("c", "two"))).hasItem()).isFalse();
    }

    private static void put(String pk, String sk, int value) {
        dynamo.putItem(b -> b.tableName(TABLE).item(item(pk, sk, value)));
    }

    private static String number(String pk, String sk) {
        return dynamo.getItem(b -> b.tableName(TABLE).key(key(pk, sk)).consistentRead(true)).item().get("n").n();
    }

    private static Map<String, AttributeValue> item(String pk, String sk, int value) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk), "n", n(value));
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    private static AttributeValue n(int value) {
        return AttributeValue.fromN(Integer.toString(value));
    }
}
