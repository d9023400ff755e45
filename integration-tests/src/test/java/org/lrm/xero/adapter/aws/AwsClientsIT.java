package org.lrm.xero.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.testing.AwsEmulator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The project's client factory reaches every AWS service the integration uses, against the
 * emulator, with the real SDK: the floor every adapter test stands on.
 */
@ExtendWith(AwsEmulator.class)
class AwsClientsIT {

    private final AwsClients aws = AwsEmulator.clients();

    @Test
    void dynamoDbWritesAndReadsAnItem() {
        aws.dynamoDb().createTable(b -> b.tableName("t")
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        aws.dynamoDb().putItem(b -> b.tableName("t").item(Map.of(
                "pk", AttributeValue.fromS("org#1"), "name", AttributeValue.fromS("Ana"))));

        Map<String, AttributeValue> item = aws.dynamoDb()
                .getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("org#1")))).item();

        assertThat(item.get("name").s()).isEqualTo("Ana");
    }

    @Test
    void sqsDeliversASentMessage() {
        String url = aws.sqs().createQueue(b -> b.queueName("q")).queueUrl();
        aws.sqs().sendMessage(b -> b.queueUrl(url).messageBody("{\"learnerId\":\"L-1\"}"));

        java.util.List<Message> messages = aws.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages();

        assertThat(messages).extracting(Message::body).containsExactly("{\"learnerId\":\"L-1\"}");
    }

    @Test
    void s3StoresAnObjectPathStyle() {
        aws.s3().createBucket(b -> b.bucket("pdfs"));
        aws.s3().putObject(b -> b.bucket("pdfs").key("org/inv.pdf"), RequestBody.fromString("%PDF-1.4"));

        String body = aws.s3().getObjectAsBytes(b -> b.bucket("pdfs").key("org/inv.pdf")).asUtf8String();

        assertThat(body).isEqualTo("%PDF-1.4");
    }

    @Test
    void secretsManagerKeepsASecretValue() {
        aws.secretsManager().createSecret(b -> b.name("lrm-xero/test/tokens/org-1").secretString("{\"v\":1}"));

        String value = aws.secretsManager().getSecretValue(b -> b.secretId("lrm-xero/test/tokens/org-1")).secretString();

        assertThat(value).isEqualTo("{\"v\":1}");
    }
}
