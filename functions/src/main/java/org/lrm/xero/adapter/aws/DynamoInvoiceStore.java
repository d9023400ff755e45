package org.lrm.xero.adapter.aws;

import static org.lrm.xero.adapter.aws.Items.n;
import static org.lrm.xero.adapter.aws.Items.num;
import static org.lrm.xero.adapter.aws.Items.s;
import static org.lrm.xero.adapter.aws.Items.str;
import static org.lrm.xero.adapter.aws.TableKeys.INVOICE;
import static org.lrm.xero.adapter.aws.TableKeys.INVOICE_EVENT;
import static org.lrm.xero.adapter.aws.TableKeys.key;
import static org.lrm.xero.adapter.aws.TableKeys.org;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lrm.xero.app.invoice.InvoiceStore;
import org.lrm.xero.app.invoice.StoredInvoice;
import org.lrm.xero.domain.invoice.LearnerInvoice;
import org.lrm.xero.support.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Invoices in the integration table: {@code ORG#{orgId}} / {@code INVOICE#{invoiceId}} with the
 * projected invoice as JSON, its version (UpdatedDateUTC in epoch ms) and learner; gsi1
 * {@code ORG#{orgId}#LEARNER#{learnerId}#INVOICES} / {@code {date}#{invoiceId}} lists a learner's.
 * Processed webhook events are {@code INVOICEEVENT#{key}} items that expire after a week.
 */
public final class DynamoInvoiceStore implements InvoiceStore {

    private static final Duration KEEP_PROCESSED_EVENTS = Duration.ofDays(7);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoInvoiceStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<StoredInvoice> find(String orgId, String invoiceId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(org(orgId), INVOICE + invoiceId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(stored(item));
    }

    @Override
    public Map<String, StoredInvoice> findAll(String orgId, Collection<String> invoiceIds) {
        Map<String, StoredInvoice> found = new HashMap<>();
        for (Map<String, AttributeValue> item : batchGet(orgId, invoiceIds.stream().map(id -> INVOICE + id).toList())) {
            StoredInvoice s = stored(item);
            found.put(s.invoice().invoiceId(), s);
        }
        return found;
    }

    @Override
    public Set<String> saveAll(String orgId, List<Owned> invoices) {
        Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // Conditional, so one at a time per invoice (BatchWriteItem takes no condition), many at once.
        Batches.parallel(invoices, owned -> {
            if (save(orgId, owned.learnerId(), owned.invoice())) {
                written.add(owned.invoice().invoiceId());
            }
        });
        return written;
    }

    private boolean save(String orgId, String learnerId, LearnerInvoice invoice) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":invoice", s(json(invoice)));
        values.put(":v", n(invoice.version()));
        values.put(":learner", s(learnerId));
        values.put(":gpk", s(TableKeys.learnerInvoicesIndex(orgId, learnerId)));
        values.put(":gsk", s((invoice.date() == null ? "0000-00-00" : invoice.date().toString()) + "#" + invoice.invoiceId()));
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), INVOICE + invoice.invoiceId()))
                    .updateExpression("SET invoiceJson = :invoice, invoiceVersion = :v, learnerId = :learner, gsi1pk = :gpk, gsi1sk = :gsk")
                    .conditionExpression("attribute_not_exists(pk) OR invoiceVersion < :v OR (invoiceVersion = :v AND learnerId <> :learner)")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException sameOrNewerHeld) {
            return false;
        }
    }

    @Override
    public List<StoredInvoice> ofLearner(String orgId, String learnerId) {
        List<StoredInvoice> out = new ArrayList<>();
        QueryRequest request = QueryRequest.builder().tableName(table).indexName("gsi1").scanIndexForward(false)
                .keyConditionExpression("gsi1pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(TableKeys.learnerInvoicesIndex(orgId, learnerId)))).build();
        for (QueryResponse page : dynamo.queryPaginator(request)) {
            page.items().forEach(item -> out.add(stored(item)));
        }
        return out;
    }

    @Override
    public boolean recordPdf(String orgId, String invoiceId, long version, String objectKey) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), INVOICE + invoiceId))
                    .updateExpression("SET pdfVersion = :v, pdfKey = :k")
                    .conditionExpression("invoiceVersion = :v")
                    .expressionAttributeValues(Map.of(":v", n(version), ":k", s(objectKey))));
            return true;
        } catch (ConditionalCheckFailedException changedSince) {
            return false;
        }
    }

    @Override
    public int moveInvoices(String orgId, String fromLearnerId, String toLearnerId) {
        int moved = 0;
        for (StoredInvoice invoice : ofLearner(orgId, fromLearnerId)) {
            LearnerInvoice i = invoice.invoice();
            try {
                dynamo.updateItem(u -> u.tableName(table).key(key(org(orgId), INVOICE + i.invoiceId()))
                        .updateExpression("SET learnerId = :to, gsi1pk = :gpk")
                        .conditionExpression("learnerId = :from")
                        .expressionAttributeValues(Map.of(":to", s(toLearnerId), ":from", s(fromLearnerId),
                                ":gpk", s(TableKeys.learnerInvoicesIndex(orgId, toLearnerId)))));
                moved++;
            } catch (ConditionalCheckFailedException movedMeanwhile) {
                // Xero's own state gave it to another learner since: that is the newer truth.
            }
        }
        return moved;
    }

    @Override
    public Set<String> processedEvents(String orgId, Collection<String> eventKeys) {
        Set<String> processed = new HashSet<>();
        for (Map<String, AttributeValue> item : batchGet(orgId, eventKeys.stream().map(k -> INVOICE_EVENT + k).toList())) {
            processed.add(TableKeys.after(INVOICE_EVENT, str(item, TableKeys.SK)));
        }
        return processed;
    }

    @Override
    public void markEventsProcessed(String orgId, Collection<String> eventKeys, Instant now) {
        long expires = now.plus(KEEP_PROCESSED_EVENTS).getEpochSecond();
        Batches.put(dynamo, table, eventKeys.stream().distinct()
                .map(k -> withTtl(key(org(orgId), INVOICE_EVENT + k), expires))
                .toList());
    }

    private List<Map<String, AttributeValue>> batchGet(String orgId, List<String> sortKeys) {
        return Batches.get(dynamo, table, sortKeys.stream().map(sk -> key(org(orgId), sk)).toList(), true);
    }

    private static Map<String, AttributeValue> withTtl(Map<String, AttributeValue> item, long expires) {
        item.put("ttl", n(expires));
        return item;
    }

    private static StoredInvoice stored(Map<String, AttributeValue> item) {
        try {
            return new StoredInvoice(str(item, "learnerId"), Json.MAPPER.readValue(str(item, "invoiceJson"), LearnerInvoice.class),
                    num(item, "pdfVersion"), str(item, "pdfKey"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable invoice item " + str(item, "sk"), e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
