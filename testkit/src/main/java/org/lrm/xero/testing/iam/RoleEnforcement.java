package org.lrm.xero.testing.iam;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Attached to one function's AWS clients: checks every call against the function's role before it
 * leaves, whatever the emulator enforces, and refuses what the role does not allow with the error
 * the service answers (DynamoDB's, Secrets Manager's and EventBridge's AccessDeniedException, 400;
 * SQS's and S3's AccessDenied, 403), so the function meets what it would meet in AWS. Allowed calls
 * are recorded in {@link CallLog} with the grants they used, and their bodies handed to its listeners.
 */
final class RoleEnforcement implements ExecutionInterceptor {

    private final String functionId;
    private final Supplier<RolePolicy> role;
    private final String region;
    private final String account;

    RoleEnforcement(String functionId, Supplier<RolePolicy> role, String region, String account) {
        this.functionId = functionId;
        this.role = role;
        this.region = region;
        this.account = account;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        RolePolicy policy = role.get();
        for (IamRequests.Check check : IamRequests.of(service, operation, context.request(), region, account)) {
            RolePolicy.Decision decision = decide(functionId, policy, check.action(), check.resource());
            if (!decision.allowed()) {
                throw accessDenied(service, "User: arn:aws:sts::" + account + ":assumed-role/" + FunctionRoles.roleName(functionId)
                        + "/" + functionId + " is not authorized to perform: " + check.action() + " on resource: "
                        + check.resource() + (decision.deniedBy() != null ? " with an explicit deny in " + decision.deniedBy()
                        : " because no identity-based policy allows the " + check.action() + " action"));
            }
        }
    }

    /** The role's decision on one action, recorded in {@link CallLog}: refused, or allowed with the grants it used. */
    static RolePolicy.Decision decide(String functionId, RolePolicy policy, String action, String resource) {
        RolePolicy.Decision decision = policy.decide(action, resource);
        if (decision.allowed()) {
            CallLog.allowed(functionId, action, resource, decision.allowedBy().stream().filter(PolicyStatement::declared)
                    .flatMap(s -> s.grantsUsedBy(functionId, action, resource).stream()).toList());
        } else {
            CallLog.refused(functionId, action, resource, policy.change());
        }
        return decision;
    }

    /**
     * The request as marshalled, for {@link CallLog}'s listeners. S3's bodies (PDFs) are left out:
     * a streamed body read here could not be read again to be sent.
     */
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!CallLog.listening()) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String body = service.equals("S3") ? "" : context.requestBody().map(b -> {
            try (InputStream in = b.contentStreamProvider().newStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).orElse("");
        CallLog.sent(new CallLog.Traffic(functionId, service, attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                context.httpRequest().getUri() + "\n" + body));
    }

    /** The refusal each service answers, as its SDK client raises it. */
    static AwsServiceException accessDenied(String service, String message) {
        boolean xmlOrQuery = service.equals("Sqs") || service.equals("S3");
        int status = xmlOrQuery ? 403 : 400;
        AwsErrorDetails details = AwsErrorDetails.builder().serviceName(service)
                .errorCode(xmlOrQuery ? "AccessDenied" : "AccessDeniedException").errorMessage(message)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build();
        AwsServiceException.Builder builder = switch (service) {
            case "DynamoDb" -> DynamoDbException.builder();
            case "Sqs" -> SqsException.builder();
            case "SecretsManager" -> SecretsManagerException.builder();
            case "EventBridge" -> EventBridgeException.builder();
            case "S3" -> S3Exception.builder();
            default -> AwsServiceException.builder();
        };
        return builder.awsErrorDetails(details).statusCode(status).message(message).build();
    }
}
