package org.lrm.xero.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.app.invoice.StoredInvoice;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An organisation's stored invoices as the tests and the benchmark look at them: straight from the table. */
public final class OrgInvoices {

    private OrgInvoices() {
    }

    /** The ids of the organisation's stored invoices (its {@code INVOICE#} items), the first {@code limit} (0: all). */
    public static List<String> ids(DynamoDbClient dynamo, String table, String orgId, int limit) {
        List<String> ids = new ArrayList<>();
        var pages = dynamo.queryPaginator(b -> {
            b.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :inv)").projectionExpression("sk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ORG#" + orgId), ":inv", AttributeValue.fromS("INVOICE#")));
            if (limit > 0) {
                b.limit(limit);
            }
        });
        for (var page : pages) {
            page.items().forEach(item -> ids.add(item.get("sk").s().substring("INVOICE#".length())));
            if (limit > 0 && ids.size() >= limit) {
                return ids.subList(0, limit);
            }
        }
        return ids;
    }

    /** The organisation's stored invoices whose current version's PDF is not stored yet. */
    public static List<StoredInvoice> withoutPdf(DynamoDbClient dynamo, String table, String orgId) {
        DynamoInvoiceStore invoices = new DynamoInvoiceStore(dynamo, table);
        List<String> ids = ids(dynamo, table, orgId, 0);
        List<StoredInvoice> without = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 100) {
            invoices.findAll(orgId, ids.subList(from, Math.min(from + 100, ids.size()))).values().stream()
                    .filter(i -> !i.pdfAvailable()).forEach(without::add);
        }
        return without;
    }
}
