package org.lrm.xero.adapter.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB's batch calls as the stores use them: a page of 1,000 invoices is a few dozen requests
 * rather than thousands (each request costs a round trip, in Lambda as in the emulator), and what
 * DynamoDB leaves unprocessed is asked again. Writes that must stay conditional run a few at a time.
 */
final class Batches {

    /** BatchGetItem's limit. */
    private static final int GET_LIMIT = 100;
    /** BatchWriteItem's limit. */
    private static final int WRITE_LIMIT = 25;
    /** Concurrent conditional writes of one bulk operation. */
    private static final int WRITE_THREADS = 16;

    private Batches() {
    }

    /** The items found under {@code keys} (duplicates asked once), in no particular order. */
    static List<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys,
            boolean consistent) {
        List<Map<String, AttributeValue>> distinct = keys.stream().distinct().toList();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i += GET_LIMIT) {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(distinct.subList(i, Math.min(i + GET_LIMIT, distinct.size()))).consistentRead(consistent).build());
            while (request != null && !request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(asked));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.unprocessedKeys();
            }
        }
        return items;
    }

    /** Unconditional puts of whole items, 25 to a request. */
    static void put(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        List<WriteRequest> writes = items.stream()
                .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()).toList();
        for (int i = 0; i < writes.size(); i += WRITE_LIMIT) {
            Map<String, List<WriteRequest>> request = Map.of(table, writes.subList(i, Math.min(i + WRITE_LIMIT, writes.size())));
            while (request != null && !request.isEmpty()) {
                Map<String, List<WriteRequest>> asked = request;
                request = dynamo.batchWriteItem(b -> b.requestItems(asked)).unprocessedItems();
            }
        }
    }

    /** Runs independent writes a few at a time: a bulk save of thousands must fit an API call's 29 s. */
    static <T> void parallel(List<T> items, Consumer<T> write) {
        if (items.size() <= 1) {
            items.forEach(write);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(WRITE_THREADS, items.size()));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> write.accept(item)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
