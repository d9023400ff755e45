package org.lrm.xero.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.AwsClients;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(AwsEmulator.class)
class TemplateResourcesIT {

    private final AwsClients aws = AwsEmulator.clients();

    @Test
    void createsTheTemplatesResourcesAndGivesFunctionsTheirEnvironment() {
        TemplateResources stack = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1")
                .provision(aws);

        Map<String, String> env = stack.environment("LearnerSyncWorkerFunction");

        assertThat(aws.dynamoDb().describeTable(b -> b.tableName(env.get("TABLE_NAME"))).table().globalSecondaryIndexes())
                .extracting(g -> g.indexName()).containsExactly("gsi1", "failing");
        assertThat(aws.dynamoDb().describeTimeToLive(b -> b.tableName(env.get("BUDGET_TABLE_NAME")))
                .timeToLiveDescription().attributeName()).isEqualTo("ttl");
        String redrive = aws.sqs().getQueueAttributes(b -> b.queueUrl(env.get("LEARNER_SYNC_QUEUE_URL"))
                .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY);
        assertThat(redrive).contains("lrm-xero-dev-learner-sync-dlq").containsPattern("\"maxReceiveCount\": ?5");
        aws.s3().headBucket(b -> b.bucket(env.get("PDF_BUCKET")));
        assertThat(aws.secretsManager().describeSecret(b -> b.secretId(env.get("XERO_APP_SECRET_ID"))).name())
                .isEqualTo("lrm-xero/dev/app");
        assertThat(env.get("TOKEN_SECRET_PREFIX")).isEqualTo("lrm-xero/dev/tokens/");
        assertThat(stack.functionIds()).contains("OAuthCallbackFunction", "DlqReplayFunction", "OperatorApiFunction");
    }
}
