package org.lrm.xero.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lrm.xero.testing.TemplateResources;
import org.lrm.xero.testing.iam.FunctionPolicies;
import org.lrm.xero.testing.iam.PolicyStatement;

/**
 * What infra/template.yaml promises about access and data at rest: every HTTP route carries the
 * LRM's JWT authorizer except the two Xero calls itself (OAuth callback, webhooks); the PDF bucket
 * is private and encrypted; no queue loses a message without a dead-letter queue, and every worker
 * may send to its own; each secret is readable only by the functions that need it, and no function
 * may delete one; the console, when asked for, is a private bucket read only by its CloudFront
 * distribution. The roles are read as SAM builds them ({@link FunctionPolicies}); that every grant
 * is used, and nothing more is needed, is {@code LeastPrivilegeIT}'s to prove from the suite's calls.
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

    /**
     * The stage is throttled, the two routes anyone may call without a JWT more tightly than the
     * rest, and their functions have concurrency of their own: a flood of unauthenticated requests
     * is refused by API Gateway (429) and cannot take the account's concurrency from the others.
     */
    @Test
    void theUnauthenticatedRoutesAreThrottledAndTheirFunctionsHaveReservedConcurrency() {
        Map<String, Object> api = properties("HttpApi");
        Map<String, Object> stage = map(api.get("DefaultRouteSettings"));
        double stageRate = number(stage.get("ThrottlingRateLimit"));
        double stageBurst = number(stage.get("ThrottlingBurstLimit"));
        assertThat(stageRate).as("stage rate limit").isPositive();
        assertThat(stageBurst).as("stage burst limit").isPositive();
        Map<String, Object> routes = map(api.get("RouteSettings"));
        assertThat(routes.keySet()).containsExactlyInAnyOrderElementsOf(WITHOUT_JWT);
        for (String route : WITHOUT_JWT) {
            Map<String, Object> limits = map(routes.get(route));
            assertThat(number(limits.get("ThrottlingRateLimit"))).as("%s rate", route).isPositive().isLessThan(stageRate);
            assertThat(number(limits.get("ThrottlingBurstLimit"))).as("%s burst", route).isPositive().isLessThan(stageBurst);
        }
        for (String function : List.of("WebhookReceiverFunction", "OAuthCallbackFunction")) {
            assertThat(number(properties(function).get("ReservedConcurrentExecutions"))).as("%s reserved concurrency", function)
                    .isBetween(1.0, 20.0);
        }
    }

    private static double number(Object value) {
        assertThat(value).as("a number").isInstanceOf(Number.class);
        return ((Number) value).doubleValue();
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

    @Test
    void theConsoleIsOptionalAndItsBucketIsReadOnlyByItsCloudFrontDistribution() {
        List<String> console = List.of("ConsoleBucket", "ConsoleBucketPolicy", "ConsoleOriginAccessControl",
                "ConsoleResponseHeaders", "ConsoleDistribution");
        for (String id : console) {
            assertThat(template.resource(id).get("Condition")).as("%s only with DeployConsole", id).isEqualTo("DeployConsole");
        }
        assertThat(map(template.resource("DeployConsole"))).isEmpty(); // a parameter, not a resource
        Map<String, Object> bucket = properties("ConsoleBucket");
        assertThat(map(bucket.get("PublicAccessBlockConfiguration"))).containsEntry("BlockPublicAcls", true)
                .containsEntry("BlockPublicPolicy", true).containsEntry("IgnorePublicAcls", true)
                .containsEntry("RestrictPublicBuckets", true);
        assertThat(bucket).containsKey("BucketEncryption");

        List<?> statements = (List<?>) map(properties("ConsoleBucketPolicy").get("PolicyDocument")).get("Statement");
        List<Map<String, Object>> allows = statements.stream().map(TemplateSecurityTest::map)
                .filter(st -> "Allow".equals(st.get("Effect"))).toList();
        assertThat(allows).hasSize(1);
        Map<String, Object> allow = allows.get(0);
        assertThat(map(allow.get("Principal"))).containsEntry("Service", "cloudfront.amazonaws.com");
        assertThat(allow.get("Action")).isEqualTo("s3:GetObject");
        assertThat(map(map(allow.get("Condition")).get("StringEquals")).get("AWS:SourceArn").toString())
                .as("only this stack's distribution").contains("ConsoleDistribution");

        Map<String, Object> distribution = map(properties("ConsoleDistribution").get("DistributionConfig"));
        List<Map<String, Object>> origins = ((List<?>) distribution.get("Origins")).stream().map(TemplateSecurityTest::map).toList();
        Map<String, Object> s3 = origins.stream().filter(o -> "console".equals(o.get("Id"))).findFirst().orElseThrow();
        assertThat(s3.get("OriginAccessControlId").toString()).contains("ConsoleOriginAccessControl");
        assertThat(map(distribution.get("DefaultCacheBehavior")).get("ViewerProtocolPolicy")).isEqualTo("redirect-to-https");
        Map<String, Object> api = ((List<?>) distribution.get("CacheBehaviors")).stream().map(TemplateSecurityTest::map)
                .filter(b -> "/v1/*".equals(b.get("PathPattern"))).findFirst().orElseThrow();
        assertThat(api.get("TargetOriginId")).as("the console calls the API on its own origin").isEqualTo("api");

        // The local run's token desk is the local gateway's alone: no route of the template mints tokens.
        for (String function : template.functionIds()) {
            map(properties(function).get("Events")).values().forEach(event -> assertThat(
                    String.valueOf(map(map(event).get("Properties")).get("Path"))).doesNotStartWith("/local"));
        }
    }

    /**
     * The functions that exchange or renew Xero tokens, and so hold the app's OAuth client and the tokens
     * (the poll schedule only queues each organisation's poll: the scheduled-work worker calls Xero).
     */
    private static final Set<String> HOLD_TOKENS = Set.of("ConnectionApiFunction", "OAuthCallbackFunction", "InvoiceApiFunction",
            "LearnerSyncWorkerFunction", "InvoiceWorkerFunction", "ResyncPageWorkerFunction", "PdfWorkerFunction",
            "NightlySyncFunction", "ScheduledWorkFunction");
    private static final String TOKEN_SECRET = "arn:aws:secretsmanager:us-east-1:" + TemplateResources.ACCOUNT_ID
            + ":secret:lrm-xero/dev/tokens/org-1-AbCdEf";

    @Test
    void eachSecretIsReadableOnlyByTheFunctionsThatNeedIt() {
        assertThat(functionsAllowed("secretsmanager:GetSecretValue", template.ref("XeroWebhookKeySecret")))
                .containsExactly("WebhookReceiverFunction");
        assertThat(functionsAllowed("secretsmanager:GetSecretValue", template.ref("XeroAppSecret")))
                .containsExactlyInAnyOrderElementsOf(HOLD_TOKENS);
        // The callback only writes an organisation's tokens (the first connect makes the secret).
        assertThat(functionsAllowed("secretsmanager:GetSecretValue", TOKEN_SECRET)).containsExactlyInAnyOrderElementsOf(
                HOLD_TOKENS.stream().filter(f -> !f.equals("OAuthCallbackFunction")).toList());
        // Renewing a token writes the organisation's secret again; only the callback makes one.
        assertThat(functionsAllowed("secretsmanager:PutSecretValue", TOKEN_SECRET)).containsExactlyInAnyOrderElementsOf(HOLD_TOKENS);
        assertThat(functionsAllowed("secretsmanager:CreateSecret", TOKEN_SECRET)).containsExactly("OAuthCallbackFunction");
        // A disconnect keeps the refresh token apart until Xero confirms its revocation (its first makes the list);
        // only the functions that erase tokens (disconnect, the nightly retry) take a version's label off.
        String revocationList = TOKEN_SECRET.replace("/org-1-AbCdEf", "/org-1/revocation-AbCdEf");
        assertThat(functionsAllowed("secretsmanager:CreateSecret", revocationList))
                .containsExactlyInAnyOrder("OAuthCallbackFunction", "ConnectionApiFunction");
        for (String action : List.of("secretsmanager:DescribeSecret", "secretsmanager:UpdateSecretVersionStage")) {
            assertThat(functionsAllowed(action, TOKEN_SECRET)).as(action)
                    .containsExactlyInAnyOrder("ConnectionApiFunction", "NightlySyncFunction");
        }
        for (String action : List.of("secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue")) {
            for (String secret : List.of(template.ref("XeroAppSecret"), template.ref("XeroWebhookKeySecret"))) {
                assertThat(functionsAllowed(action, secret)).as("%s on %s", action, secret).isEmpty();
            }
        }
        assertThat(functionsAllowed("secretsmanager:DeleteSecret", TOKEN_SECRET)).isEmpty();
    }

    @Test
    void everyWorkerMaySendToItsDeadLetterQueue() {
        List<String> workers = new ArrayList<>();
        for (String function : template.functionIds()) {
            map(properties(function).get("Events")).values().stream().map(TemplateSecurityTest::map)
                    .filter(e -> "SQS".equals(e.get("Type"))).forEach(event -> {
                        String queue = template.evaluate(map(event.get("Properties")).get("Queue"));
                        String sourceId = template.resourceIds("AWS::SQS::Queue").stream()
                                .filter(q -> template.evaluate(Map.of("Fn::GetAtt", List.of(q, "Arn"))).equals(queue)).findFirst().orElseThrow();
                        String dlq = template.evaluate(map(properties(sourceId).get("RedrivePolicy")).get("deadLetterTargetArn"));
                        assertThat(FunctionPolicies.of(template, function).decide("sqs:SendMessage", dlq).allowed())
                                .as("%s may dead-letter to %s", function, dlq).isTrue();
                        workers.add(function);
                    });
        }
        assertThat(workers).hasSize(5);
    }

    @Test
    void noStatementOfTheTemplateGrantsAWildcardActionOrEveryResource() {
        for (String function : template.functionIds()) {
            for (PolicyStatement.Grant grant : FunctionPolicies.of(template, function).declaredGrants()) {
                assertThat(grant.action()).as("%s %s", function, grant.origin()).doesNotEndWith(":*").isNotEqualTo("*");
                assertThat(grant.resource()).as("%s %s", function, grant.origin()).isNotEqualTo("*");
            }
        }
    }

    private List<String> functionsAllowed(String action, String resource) {
        return template.functionIds().stream().filter(f -> FunctionPolicies.of(template, f).decide(action, resource).allowed()).toList();
    }

    private Map<String, Object> properties(String logicalId) {
        return map(template.resource(logicalId).get("Properties"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
