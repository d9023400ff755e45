package org.lrm.xero.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lrm.xero.testing.TemplateResources;

/**
 * What infra/template.yaml promises about access and data at rest: every HTTP route carries the
 * LRM's JWT authorizer except the two Xero calls itself (OAuth callback, webhooks); the PDF bucket
 * is private and encrypted; no queue loses a message without a dead-letter queue.
 */
class TemplateSecurityTest {

    private static final List<String> WITHOUT_JWT = List.of("GET /v1/xero/callback", "POST /v1/xero/webhooks");
    private final TemplateResources template = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1");

    @Test
    void everyRouteButTheXeroFacingOnesCarriesTheJwtAuthorizer() {
        Map<String, Object> api = properties("HttpApi");
        Map<String, Object> auth = map(api.get("Auth"));
        assertThat(auth.get("DefaultAuthorizer")).isEqualTo("LrmJwt");
        Map<String, Object> jwt = map(map(map(auth.get("Authorizers")).get("LrmJwt")).get("JwtConfiguration"));
        assertThat(jwt).containsKeys("issuer", "audience");

        List<String> open = new ArrayList<>();
        List<String> guarded = new ArrayList<>();
        for (String function : template.functionIds()) {
            map(properties(function).get("Events")).values().forEach(event -> {
                if (!"HttpApi".equals(map(event).get("Type"))) {
                    return;
                }
                Map<String, Object> p = map(map(event).get("Properties"));
                assertThat(template.evaluate(p.get("ApiId"))).as("every route on the one HTTP API").isEqualTo(template.ref("HttpApi"));
                String route = template.evaluate(p.get("Method")).toUpperCase() + " " + template.evaluate(p.get("Path"));
                Object authorizer = map(p.get("Auth")).get("Authorizer");
                assertThat(authorizer).as("%s names no authorizer but NONE (the default is the JWT one)", route).isIn(null, "NONE");
                (authorizer == null ? guarded : open).add(route);
            });
        }
        assertThat(open).containsExactlyInAnyOrderElementsOf(WITHOUT_JWT);
        assertThat(guarded).contains("GET /v1/xero/connect", "DELETE /v1/xero/connection", "PUT /v1/learners/{learnerId}",
                "POST /v1/learners:bulk-sync", "GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf", "POST /v1/xero/resync",
                "GET /v1/reports/finance");
    }

    @Test
    void thePdfBucketBlocksPublicAccessAndIsEncrypted() {
        Map<String, Object> bucket = properties("PdfBucket");
        assertThat(map(bucket.get("PublicAccessBlockConfiguration"))).containsEntry("BlockPublicAcls", true)
                .containsEntry("BlockPublicPolicy", true).containsEntry("IgnorePublicAcls", true)
                .containsEntry("RestrictPublicBuckets", true);
        List<?> rules = (List<?>) map(bucket.get("BucketEncryption")).get("ServerSideEncryptionConfiguration");
        assertThat(rules).isNotEmpty();
        assertThat(map(map(rules.get(0)).get("ServerSideEncryptionByDefault")).get("SSEAlgorithm")).isIn("AES256", "aws:kms");
    }

    @Test
    void everyQueueRedrivesToADeadLetterQueue() {
        List<String> queues = template.resourceIds("AWS::SQS::Queue");
        List<String> deadLetterQueues = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (String queue : queues) {
            Map<String, Object> redrive = map(properties(queue).get("RedrivePolicy"));
            if (redrive.isEmpty()) {
                deadLetterQueues.add(queue);
                continue;
            }
            sources.add(queue);
            Object target = map(redrive.get("deadLetterTargetArn")).get("Fn::GetAtt");
            String dlq = target instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(target).replace(".Arn", "");
            assertThat(template.resource(dlq).get("Type")).as("%s's dead letters go to a queue", queue).isEqualTo("AWS::SQS::Queue");
            assertThat(properties(dlq).get("RedrivePolicy")).as("%s is a dead-letter queue itself", dlq).isNull();
            assertThat(Integer.parseInt(String.valueOf(redrive.get("maxReceiveCount")))).isBetween(1, 10);
        }
        assertThat(sources).isNotEmpty();
        assertThat(deadLetterQueues).as("every queue without a redrive is some queue's DLQ")
                .allSatisfy(dlq -> assertThat(dlq).endsWith("Dlq")).hasSameSizeAs(sources);
        for (String queue : queues) {
            assertThat(properties(queue).get("SqsManagedSseEnabled")).as("%s encrypted at rest", queue).isEqualTo(true);
        }
    }

    private Map<String, Object> properties(String logicalId) {
        return map(template.resource(logicalId).get("Properties"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
