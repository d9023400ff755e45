package org.lrm.xero.testing.iam;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * What IAM authorises for one SDK call: its action (and, for a transaction, the action of each
 * item) on each resource it touches, as the services' authorization references say: a DynamoDB
 * table or {@code table/<t>/index/<i>}, each table of a batch; SQS's batch calls as the action they
 * batch, on the queue's ARN; a secret's ARN (by name: {@code secret:<name>-??????}, its random
 * suffix unknown to the caller); the event bus of each PutEvents entry; an S3 object or bucket.
 * A call not listed here fails the test that makes it, naming it, rather than pass unchecked.
 */
final class IamRequests {

    /** One action on one resource that a call needs. */
    record Check(String action, String resource) {
    }

    private IamRequests() {
    }

    static List<Check> of(String service, String operation, SdkRequest request, String region, String account) {
        return switch (service) {
            case "DynamoDb" -> dynamoDb(operation, request, region, account);
            case "Sqs" -> List.of(new Check("sqs:" + operation.replaceFirst("Batch$", ""), sqsQueue(request, region, account)));
            case "SecretsManager" -> List.of(new Check("secretsmanager:" + operation, secret(request, region, account)));
            case "EventBridge" -> eventBridge(operation, request, region, account);
            case "S3" -> List.of(s3(operation, request));
            default -> throw new UnsupportedOperationException("no IAM mapping for " + service + "." + operation
                    + ": add it to IamRequests before a function calls it");
        };
    }

    private static List<Check> dynamoDb(String operation, SdkRequest request, String region, String account) {
        String prefix = "arn:aws:dynamodb:" + region + ":" + account + ":table/";
        List<Check> checks = new ArrayList<>();
        if (request instanceof TransactWriteItemsRequest transact) {
            transact.transactItems().forEach(item -> {
                if (item.put() != null) {
                    checks.add(new Check("dynamodb:PutItem", table(prefix, item.put().tableName())));
                } else if (item.update() != null) {
                    checks.add(new Check("dynamodb:UpdateItem", table(prefix, item.update().tableName())));
                } else if (item.delete() != null) {
                    checks.add(new Check("dynamodb:DeleteItem", table(prefix, item.delete().tableName())));
                } else {
                    checks.add(new Check("dynamodb:ConditionCheckItem", table(prefix, item.conditionCheck().tableName())));
                }
            });
            return checks;
        }
        if (request instanceof TransactGetItemsRequest transact) {
            transact.transactItems().forEach(item -> checks.add(new Check("dynamodb:GetItem", table(prefix, item.get().tableName()))));
            return checks;
        }
        Map<?, ?> batch = request.getValueForField("RequestItems", Map.class).orElse(null);
        if (batch != null) {
            batch.keySet().forEach(name -> checks.add(new Check("dynamodb:" + operation, table(prefix, (String) name))));
            return checks;
        }
        String table = request.getValueForField("TableName", String.class).orElseThrow(
                () -> new UnsupportedOperationException("DynamoDB " + operation + " names no table"));
        String index = request.getValueForField("IndexName", String.class).orElse(null);
        return List.of(new Check("dynamodb:" + operation, table(prefix, table) + (index == null ? "" : "/index/" + index)));
    }

    private static String table(String prefix, String name) {
        return name.startsWith("arn:") ? name : prefix + name;
    }

    private static String sqsQueue(SdkRequest request, String region, String account) {
        String url = request.getValueForField("QueueUrl", String.class).orElse(null);
        if (url != null) {
            String[] path = url.replaceFirst("/+$", "").split("/");
            return "arn:aws:sqs:" + region + ":" + path[path.length - 2] + ":" + path[path.length - 1];
        }
        return "arn:aws:sqs:" + region + ":" + account + ":" + request.getValueForField("QueueName", String.class).orElse("*");
    }

    private static String secret(SdkRequest request, String region, String account) {
        String id = request.getValueForField("SecretId", String.class)
                .or(() -> request.getValueForField("Name", String.class)).orElse("*");
        return id.startsWith("arn:") ? id : "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + id + "-??????";
    }

    private static List<Check> eventBridge(String operation, SdkRequest request, String region, String account) {
        if (!(request instanceof PutEventsRequest put)) {
            throw new UnsupportedOperationException("no IAM mapping for EventBridge." + operation);
        }
        Set<String> buses = new LinkedHashSet<>();
        for (PutEventsRequestEntry entry : put.entries()) {
            String bus = entry.eventBusName() == null ? "default" : entry.eventBusName();
            buses.add(bus.startsWith("arn:") ? bus : "arn:aws:events:" + region + ":" + account + ":event-bus/" + bus);
        }
        return buses.stream().map(bus -> new Check("events:PutEvents", bus)).toList();
    }

    private static Check s3(String operation, SdkRequest request) {
        String bucket = request.getValueForField("Bucket", String.class).orElse("*");
        String key = request.getValueForField("Key", String.class).orElse(null);
        String action = switch (operation) {
            case "GetObject", "HeadObject" -> "s3:GetObject";
            case "PutObject" -> "s3:PutObject";
            case "DeleteObject" -> "s3:DeleteObject";
            case "ListObjects", "ListObjectsV2", "HeadBucket" -> "s3:ListBucket";
            default -> throw new UnsupportedOperationException("no IAM mapping for S3." + operation);
        };
        return new Check(action, "arn:aws:s3:::" + bucket + (key == null || action.equals("s3:ListBucket") ? "" : "/" + key));
    }
}
