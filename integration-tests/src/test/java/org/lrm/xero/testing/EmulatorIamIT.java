package org.lrm.xero.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * moto, as the test kit starts it ({@code moto/moto_server.py}), checks IAM as AWS does for every
 * service the functions use, on its own, with no interceptor on the caller's clients: a role's
 * credentials do what its policy allows on the resources it names (a table and its indexes, each
 * table of a batch and item of a transaction, a queue, SQS's batches as the action they batch, a
 * secret by ARN or name, an event bus, an S3 object, a presigned link at the time it is fetched)
 * and nothing else; the account's root does everything.
 */
@ExtendWith(AwsEmulator.class)
class EmulatorIamIT {

    private static final String ACCOUNT = TemplateResources.ACCOUNT_ID;
    private static final AwsClients root = AwsEmulator.clients();
    private static AwsClients role;
    private static String queue;
    private static String otherQueue;
    private static String appSecretArn;

    @BeforeAll
    static void aRoleWithASmallPolicy() {
        Assumptions.assumeTrue(MotoServer.answers(AwsEmulator.start().resolve("/moto-api/")) && System.getenv("AWS_ENDPOINT_URL") == null,
                "checks the moto the test kit starts");
        root.dynamoDb().createTable(b -> b.tableName("t").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("S").build(),
                        AttributeDefinition.builder().attributeName("g").attributeType("S").build())
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("gsi1").keySchema(k -> k.attributeName("g").keyType("HASH"))
                        .projection(p -> p.projectionType("ALL")).build()));
        root.dynamoDb().createTable(b -> b.tableName("other").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("S").build())
                .keySchema(k -> k.attributeName("pk").keyType("HASH")));
        queue = root.sqs().createQueue(b -> b.queueName("q")).queueUrl();
        otherQueue = root.sqs().createQueue(b -> b.queueName("other-q")).queueUrl();
        appSecretArn = root.secretsManager().createSecret(b -> b.name("app").secretString("{}")).arn();
        root.secretsManager().createSecret(b -> b.name("not-yours").secretString("{}"));
        root.s3().createBucket(b -> b.bucket("pdfs"));
        root.s3().putObject(b -> b.bucket("pdfs").key("a.pdf"), RequestBody.fromString("%PDF-1.4"));

        String table = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/t";
        String policy = """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem"],"Resource":"%1$s"},
                 {"Effect":"Allow","Action":"dynamodb:Query","Resource":"%1$s/index/*"},
                 {"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:%2$s:q"},
                 {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"%3$s"},
                 {"Effect":"Allow","Action":["secretsmanager:CreateSecret","secretsmanager:GetSecretValue"],
                  "Resource":"arn:aws:secretsmanager:us-east-1:%2$s:secret:tokens/*"},
                 {"Effect":"Allow","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:%2$s:event-bus/default"},
                 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::pdfs/*"}]}""".formatted(table, ACCOUNT, appSecretArn);
        URI endpoint = root.endpoint().orElseThrow();
        IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(endpoint).credentialsProvider(root.credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
        StsClient sts = StsClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint).credentialsProvider(root.credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
        String arn = iam.createRole(b -> b.roleName("small").assumeRolePolicyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},
                 "Action":"sts:AssumeRole"}]}""".formatted(ACCOUNT))).role().arn();
        iam.putRolePolicy(b -> b.roleName("small").policyName("small").policyDocument(policy));
        Credentials c = sts.assumeRole(b -> b.roleArn(arn).roleSessionName("small")).credentials();
        role = new AwsClients(Region.US_EAST_1, Optional.of(endpoint),
                StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())));
    }

    @Test
    void dynamoDbChecksTheTableTheIndexEveryTableOfABatchAndEveryItemOfATransaction() {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("a"));
        role.dynamoDb().putItem(b -> b.tableName("t").item(key));
        assertThat(role.dynamoDb().getItem(b -> b.tableName("t").key(key)).item()).isEqualTo(key);
        role.dynamoDb().query(b -> b.tableName("t").indexName("gsi1").keyConditionExpression("g = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS("x"))));
        role.dynamoDb().transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(p -> p.tableName("t").item(key)).build()));

        assertDenied("AccessDeniedException", () -> role.dynamoDb().deleteItem(b -> b.tableName("t").key(key)));
        assertDenied("AccessDeniedException", () -> role.dynamoDb().getItem(b -> b.tableName("other").key(key)));
        assertDenied("AccessDeniedException", () -> role.dynamoDb().query(b -> b.tableName("t").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("a")))));
        assertDenied("AccessDeniedException", () -> role.dynamoDb().batchGetItem(b -> b.requestItems(
                Map.of("t", KeysAndAttributes.builder().keys(key).build()))));
        assertDenied("AccessDeniedException", () -> role.dynamoDb().transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("t").item(key)).build(),
                TransactWriteItem.builder().delete(d -> d.tableName("t").key(key)).build())));
        root.dynamoDb().deleteItem(b -> b.tableName("t").key(key));
    }

    @Test
    void sqsChecksTheQueueAndBatchesAsTheActionTheyBatch() {
        role.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("one"));
        role.sqs().sendMessageBatch(b -> b.queueUrl(queue).entries(SendMessageBatchRequestEntry.builder().id("1").messageBody("two").build()));

        assertDenied("AccessDenied", () -> role.sqs().sendMessage(b -> b.queueUrl(otherQueue).messageBody("three")));
        assertDenied("AccessDenied", () -> role.sqs().receiveMessage(b -> b.queueUrl(queue)));
        assertThat(root.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages()).hasSize(2);
    }

    @Test
    void secretsManagerChecksTheSecretByArnOrName() {
        role.secretsManager().getSecretValue(b -> b.secretId(appSecretArn));
        role.secretsManager().createSecret(b -> b.name("tokens/org-1").secretString("{}"));
        role.secretsManager().getSecretValue(b -> b.secretId("tokens/org-1"));

        assertDenied("AccessDeniedException", () -> role.secretsManager().getSecretValue(b -> b.secretId("not-yours")));
        assertDenied("AccessDeniedException", () -> role.secretsManager().putSecretValue(b -> b.secretId("tokens/org-1").secretString("{}")));
        assertDenied("AccessDeniedException", () -> role.secretsManager().createSecret(b -> b.name("elsewhere").secretString("{}")));
    }

    @Test
    void eventBridgeChecksTheBusOfEveryEntry() {
        role.eventBridge().putEvents(b -> b.entries(entry("default")));

        assertDenied("AccessDeniedException", () -> role.eventBridge().putEvents(b -> b.entries(entry("default"), entry("other"))));
    }

    @Test
    void s3ChecksTheObjectAndAPresignedLinkWhenItIsFetched() throws Exception {
        assertThat(role.s3().getObjectAsBytes(b -> b.bucket("pdfs").key("a.pdf")).asUtf8String()).isEqualTo("%PDF-1.4");
        assertDenied("AccessDenied", () -> role.s3().putObject(b -> b.bucket("pdfs").key("b.pdf"), RequestBody.fromString("x")));

        HttpClient http = HttpClient.newHttpClient();
        URI link = URI.create(role.s3Presigner().presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket("pdfs").key("a.pdf"))).url().toString());
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(link).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("%PDF-1.4");

        URI tampered = URI.create(link.toString().replace("a.pdf", "b.pdf"));
        assertThat(http.send(HttpRequest.newBuilder(tampered).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(403);
        URI elsewhere = URI.create(role.s3Presigner().presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket("pdfs-other").key("a.pdf"))).url().toString());
        assertThat(http.send(HttpRequest.newBuilder(elsewhere).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void theRootMayDoEverything() {
        root.dynamoDb().scan(b -> b.tableName("other"));
        root.sqs().receiveMessage(b -> b.queueUrl(otherQueue));
        root.secretsManager().getSecretValue(b -> b.secretId("not-yours"));
    }

    private static PutEventsRequestEntry entry(String bus) {
        return PutEventsRequestEntry.builder().eventBusName(bus).source("test").detailType("t").detail("{}").build();
    }

    private static void assertDenied(String code, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
    }
}
