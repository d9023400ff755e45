package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoConnectionStore;
import org.lrm.xero.adapter.aws.SecretsManagerTokenVault;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncRules;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Environment;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.JsonLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * SnapStart priming: what a function would otherwise do on its first request, done before the
 * snapshot is taken ({@value #RUNS} times, so that the code is compiled, not only loaded), so that
 * a restore answers with its code ready. Each kind is free of side effects:
 * <ul>
 *   <li>{@link #primedClients}: the DynamoDB client makes the requests of the function's own kinds
 *       ({@link TableCalls}), each on a key that never exists: reads (GetItem, BatchGetItem, a Query
 *       of an index partition that never exists) and writes that a condition refuses (PutItem,
 *       UpdateItem: "only if the item exists"), which loads the SDK's whole request path; Jackson
 *       reads and writes a work message and a learner. Only requests the function makes itself, so
 *       its role allows them (least privilege: no grant for priming alone). Nothing secret is read,
 *       so no secret is in a snapshot.</li>
 *   <li>{@link #primedXeroClients}: the Secrets Manager client reads the token secret of an organisation that
 *       has none (not found): the functions that read Xero tokens.</li>
 *   <li>{@link #queue}: the SQS client sends a queue a batch and a message delayed past 900 s,
 *       which SQS refuses (the learner API, every worker; a worker also reads its queue's message
 *       count, as it reads its redrive policy).</li>
 *   <li>{@link #api} and {@link #worker}: the handler itself answers a request that only reads or is
 *       refused: an API route's GET for an organisation that does not exist, a write that validation
 *       refuses, or a queue worker's empty batch. The request goes in as JSON and the answer comes
 *       out as JSON, as Lambda invokes the function ({@link JsonEventHandler}).</li>
 *   <li>{@link #unknownCallback}: the OAuth callback looks up a state no connect request made; the
 *       lookup is a conditional write no item satisfies, so it stores nothing.</li>
 *   <li>{@link #replay}: the DLQ replay reads a request naming no queue it knows and refuses it, and
 *       reads a dead-letter queue's message count.</li>
 *   <li>{@link #operatorApi} and {@link #deadLetterCount}: the operator API answers an operator's reads
 *       (a page of one organisation, the failed learners of {@link #ORG}, which does not exist) and a
 *       replay naming no queue it knows, which it refuses; and reads a dead-letter queue's message
 *       count. It never looks into a dead-letter queue: a look would count a receive of every message.</li>
 *   <li>{@link #schedule}: a scheduled function maps a schedule event without running, and reads
 *       the organisations' connections as each run does first.</li>
 * </ul>
 * Lambda runs these in {@code beforeCheckpoint} when it publishes a version. A priming that fails
 * is logged and ignored: it only makes the first request slower. Without SnapStart (or a CRaC JVM)
 * the hooks never run and nothing changes.
 */
final class SnapStartPriming implements Resource {

    /** The organisation priming requests ask about; no LRM organisation has this id. */
    static final String ORG = "snapstart-priming";

    private static final JsonLog LOG = JsonLog.forClass(SnapStartPriming.class);

    /** Runs of each priming before the snapshot. */
    private static final int RUNS = 5;

    /** SQS delays a message 0 to 900 seconds; it refuses a SendMessage asking for more, and sends nothing. */
    private static final int MORE_THAN_SQS_DELAYS = 901;

    /** A learner, in the JSON the learner store keeps. */
    private static final String LEARNER = """
            {"learnerId":"snapstart-priming","refInternal":"P000001","firstName":"Priming","lastName":"Learner",
             "email":"priming@example.org","phone":"+61 400 000 000","address":{"line1":"1 Main St","city":"Perth",
             "region":"WA","postalCode":"6000","country":"AU"},"syncToXero":true,"enrolments":[{"enrolmentId":"E-1",
             "course":"BSB50120","startDate":"2027-02-01","status":"CONFIRMED"}]}""";

    /** An EventBridge schedule's event as Lambda hands it over. */
    private static final byte[] SCHEDULE_EVENT = """
            {"version":"0","id":"snapstart-priming","detail-type":"Scheduled Event","source":"aws.events",
             "account":"000000000000","time":"2027-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{}}
            """.getBytes(StandardCharsets.UTF_8);

    /** CRaC holds resources weakly: these live as long as the function does. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String what;
    private final Runnable prime;

    private SnapStartPriming(String what, Runnable prime) {
        this.what = what;
        this.prime = prime;
    }

    /** The kinds of request a function makes of the integration table, and so may be primed with. */
    enum TableCalls {
        /** GetItem: every function with the table reads an item (the organisation's connection). */
        READ,
        /** PutItem and UpdateItem, conditional. */
        WRITE,
        /** BatchGetItem. */
        BATCH_READ,
        /** Query of the gsi1 index (lists). */
        INDEX_QUERY
    }

    /** The functions that hold Xero tokens: reads, and the conditional writes of the token lease. */
    static final Set<TableCalls> TOKEN_HOLDERS = EnumSet.of(TableCalls.READ, TableCalls.WRITE);

    /**
     * The function's AWS clients as Lambda builds them. DynamoDB's is primed with the requests of
     * {@code calls} on a key that never exists, each write conditional on the item existing, so
     * DynamoDB refuses them and stores nothing; Jackson with a work message and a learner.
     */
    static AwsClients primedClients(Set<TableCalls> calls) {
        AwsClients aws = AwsClients.fromEnvironment(Environment.current());
        String tableName = Settings.fromEnvironment(Environment.current()).tableName();
        // Only DynamoDB, which every function with the table uses: a client built for nothing would only enlarge the snapshot.
        register("clients", () -> {
            if (calls.contains(TableCalls.READ)) {
                new DynamoConnectionStore(aws.dynamoDb(), tableName).connection(ORG);
            }
            tableRequests(aws.dynamoDb(), tableName, calls);
            WorkMessage.parse(WorkMessage.of("priming", ORG, "tenant", Priority.BULK, Json.MAPPER.createObjectNode()).toJson());
            learnerRoundTrip();
        });
        return aws;
    }

    /** A learner as the store writes and reads it, compared and weighed for a sync as a save does: no I/O. */
    private static void learnerRoundTrip() {
        try {
            Learner learner = Json.MAPPER.readValue(LEARNER, Learner.class);
            Learner again = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(learner), Learner.class);
            if (!learner.equals(again) || learner.hashCode() != again.hashCode() || !SyncRules.syncOwed(learner, null, null)) {
                throw new IllegalStateException("a learner changed in a JSON round trip, or owes no first sync");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tableRequests(DynamoDbClient dynamo, String tableName, Set<TableCalls> calls) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(ORG), "sk", AttributeValue.fromS(ORG));
        if (calls.contains(TableCalls.WRITE)) {
            refusedByCondition("stored", () -> dynamo.putItem(b -> b.tableName(tableName).item(key)
                    .conditionExpression("attribute_exists(pk)")));
            refusedByCondition("updated", () -> dynamo.updateItem(b -> b.tableName(tableName).key(key)
                    .updateExpression("SET primedAt = :at").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(ORG)))));
            // The answers to accepted writes, which a refused write never reads.
            PutItemResponse.builder().build();
            UpdateItemResponse.builder().build();
        }
        if (calls.contains(TableCalls.BATCH_READ)) {
            dynamo.batchGetItem(b -> b.requestItems(Map.of(tableName, KeysAndAttributes.builder().keys(key).consistentRead(true).build())));
        }
        if (calls.contains(TableCalls.INDEX_QUERY)) {
            // The stores' lists (a learner's invoices, logbook, an organisation's learners) page through the index.
            dynamo.queryPaginator(b -> b.tableName(tableName).indexName("gsi1").scanIndexForward(false)
                    .keyConditionExpression("gsi1pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ORG))))
                    .items().forEach(item -> {
                        throw new IllegalStateException("an item is indexed under the priming organisation");
                    });
        }
    }

    /** Makes a DynamoDB write that its condition must refuse, so that nothing is stored. */
    private static void refusedByCondition(String what, Runnable write) {
        try {
            write.run();
            throw new IllegalStateException("DynamoDB " + what + " the priming item");
        } catch (ConditionalCheckFailedException refused) {
            // as intended: nothing was stored
        }
    }

    /**
     * {@link #primedClients}, and, for a function that reads Xero tokens, the Secrets Manager client
     * primed with a read of {@link #ORG}'s token secret, which does not exist: GetSecretValue's whole
     * path, answered "not found", so no secret is in the snapshot. (The OAuth callback only writes
     * tokens: its role may not read them.)
     */
    static AwsClients primedXeroClients(Settings settings, boolean readsTokens) {
        AwsClients aws = primedClients(TOKEN_HOLDERS);
        if (readsTokens) {
            SecretsManagerTokenVault vault = new SecretsManagerTokenVault(aws.secretsManager(), settings.tokenSecretPrefix());
            register("token vault", () -> vault.read(ORG));
        }
        return aws;
    }

    /**
     * Primes the SQS client's request path, for a function whose first request sends to
     * {@code queueUrl}: a SendMessageBatch and a SendMessage, each delayed beyond the 900 s SQS
     * allows: SQS refuses the message (the request whole, or the batch's one entry as failed), so
     * nothing is sent.
     */
    static void queue(AwsClients aws, String queueUrl) {
        SqsQueue queue = new SqsQueue(aws.sqs());
        register("queue", () -> {
            // Through the sends the work runtime makes: one entry with the attributes work messages carry.
            refusedBySqs(() -> queue.sendBatch(queueUrl, List.of(new SqsQueue.Outgoing(ORG, Map.of("orgId", ORG),
                    MORE_THAN_SQS_DELAYS))));
            // The answer an accepted batch gets, which a refused one never reads.
            SendMessageBatchResultEntry.builder().id(ORG).build();
            refusedBySqs(() -> queue.send(queueUrl, new SqsQueue.Outgoing("", Map.of(), MORE_THAN_SQS_DELAYS)));
        });
    }

    /**
     * Sends a message delayed beyond what SQS allows, which SQS must refuse: the request whole (400),
     * or, for a batch, its entry as failed (moto answers 200 and lists it; {@link SqsQueue#sendBatch}
     * then throws {@link IllegalStateException}).
     */
    private static void refusedBySqs(Runnable send) {
        try {
            send.run();
        } catch (SqsException refused) {
            if (refused.statusCode() != 400) {
                throw refused;
            }
            return;
        } catch (IllegalStateException refusedEntry) {
            return;
        }
        throw new IllegalStateException("SQS took a message delayed beyond 900 s");
    }

    /**
     * Primes the OAuth callback with the answer to a connect request that never was: the state is
     * looked up with a conditional write that no item satisfies, so nothing is stored, and refused.
     */
    static void unknownCallback(JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, String routeKey) {
        register(routeKey + " (unknown state)", () -> {
            APIGatewayV2HTTPEvent request = apiRequest(routeKey, Map.of());
            request.setRawQueryString("state=" + ORG + "&code=" + ORG);
            request.setQueryStringParameters(Map.of("state", ORG, "code", ORG));
            throughStream(handler, request, APIGatewayV2HTTPResponse.class);
        });
    }

    /**
     * Primes a scheduled function without running it (a run does real work): the mapping of its
     * schedule event and of its answer, and the read every run starts with (the organisations'
     * connections).
     * @return {@code work}, for the function's constructor to go on with
     */
    static XeroWork schedule(XeroWork work) {
        register("schedule", () -> {
            try {
                LambdaEvents.read(new ByteArrayInputStream(SCHEDULE_EVENT), ScheduledEvent.class);
                LambdaEvents.write(new ByteArrayOutputStream(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            work.connection().store().connections();
        });
        return work;
    }

    /** Primes an API handler with a GET (or an unsigned POST) by an admin of {@link #ORG}, which does not exist. */
    static void api(JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, String routeKey,
            Map<String, String> pathParameters) {
        api(handler, routeKey, pathParameters, null);
    }

    /**
     * Primes a write route with a JSON body that it must refuse after reading and validating
     * it, before anything is stored (400, validation): the parsing and validation are loaded, nothing is written.
     */
    static void api(JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, String routeKey,
            Map<String, String> pathParameters, String refusedBody) {
        register(routeKey, () -> {
            APIGatewayV2HTTPEvent request = apiRequest(routeKey, pathParameters);
            if (refusedBody != null) {
                request.setHeaders(Map.of("content-type", "application/json"));
                request.setBody(refusedBody);
            }
            APIGatewayV2HTTPResponse answer = throughStream(handler, request, APIGatewayV2HTTPResponse.class);
            if (refusedBody != null && answer.getStatusCode() != 400) {
                throw new IllegalStateException(routeKey + " priming was answered " + answer.getStatusCode() + ", not 400");
            }
        });
    }

    /**
     * Primes the DLQ replay without replaying: a request naming no queue it knows, read and refused,
     * and a read of a dead-letter queue's message count (a replay's first call).
     */
    static void replay(DlqReplayHandler handler, SqsQueue sqs, String deadLetterQueueUrl) {
        register("replay", () -> {
            try {
                handler.handleRequest(new ByteArrayInputStream("{\"queue\":\"snapstart-priming\",\"dryRun\":true}"
                        .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
                throw new IllegalStateException("the replay took a queue it does not know");
            } catch (IOException | IllegalArgumentException refused) {
                // as intended: read and refused before any queue was touched
            }
            sqs.visibleMessages(deadLetterQueueUrl);
        });
    }

    /**
     * Primes an operator route as an operator calls it (no organisation): a read with
     * {@code query}, or a write with a body that validation refuses (400) before anything moves.
     */
    static void operatorApi(JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, String routeKey,
            Map<String, String> pathParameters, Map<String, String> query, String refusedBody) {
        register(routeKey + " (operator)", () -> {
            APIGatewayV2HTTPEvent request = apiRequest(routeKey, pathParameters, Map.of("sub", ORG, "role", "operator"));
            request.setQueryStringParameters(query);
            if (refusedBody != null) {
                request.setHeaders(Map.of("content-type", "application/json"));
                request.setBody(refusedBody);
            }
            APIGatewayV2HTTPResponse answer = throughStream(handler, request, APIGatewayV2HTTPResponse.class);
            int status = answer.getStatusCode();
            boolean asIntended = refusedBody != null ? status == 400 : status == 200 || status == 404;
            if (!asIntended) {
                throw new IllegalStateException(routeKey + " priming was answered " + answer.getStatusCode());
            }
        });
    }

    /** Primes a look at the dead letters with its first call, a read of a dead-letter queue's message count. */
    static void deadLetterCount(AwsClients aws, String deadLetterQueueUrl) {
        SqsQueue sqs = new SqsQueue(aws.sqs());
        register("dead-letter count", () -> sqs.visibleMessages(deadLetterQueueUrl));
    }

    /** Primes a queue worker with a batch of no messages, and its SQS client with a read of its queue's message count. */
    static void worker(JsonEventHandler<SQSEvent, SQSBatchResponse> handler, AwsClients aws, String queueUrl) {
        SQSEvent empty = new SQSEvent();
        empty.setRecords(List.of());
        register("empty batch", () -> throughStream(handler, empty, SQSBatchResponse.class));
        // Every batch ends with the SQS client (deletes, deferrals, the redrive policy): built and primed now.
        SqsQueue queue = new SqsQueue(aws.sqs());
        register("queue attributes", () -> queue.visibleMessages(queueUrl));
        queue(aws, queueUrl);
    }

    /** As Lambda invokes the function: the event's JSON in, the answer's JSON out, so that their mapping is primed too. */
    private static <I, O> O throughStream(JsonEventHandler<I, O> handler, I event, Class<O> answerType) {
        try {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(LambdaEvents.bytes(event)), answer, null);
            return LambdaEvents.read(new ByteArrayInputStream(answer.toByteArray()), answerType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static APIGatewayV2HTTPEvent apiRequest(String routeKey, Map<String, String> pathParameters) {
        return apiRequest(routeKey, pathParameters, Map.of("sub", ORG, "org", ORG, "role", "admin"));
    }

    private static APIGatewayV2HTTPEvent apiRequest(String routeKey, Map<String, String> pathParameters,
            Map<String, String> claims) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(claims);
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAuthorizer(authorizer);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(routeKey);
        event.setRawPath(routeKey.substring(routeKey.indexOf(' ') + 1));
        event.setPathParameters(pathParameters);
        event.setHeaders(Map.of());
        event.setRequestContext(context);
        return event;
    }

    /**
     * Runs every registered priming as a checkpoint would, for tests (which have no CRaC runtime).
     * @return how many ran
     */
    static int beforeCheckpointOfAll() {
        REGISTERED.forEach(r -> r.beforeCheckpoint(null));
        return REGISTERED.size();
    }

    private static void register(String what, Runnable prime) {
        SnapStartPriming priming = new SnapStartPriming(what, prime);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            for (int i = 0; i < RUNS; i++) {
                prime.run();
            }
            LOG.info("snapstart.primed", "priming", what, "runs", RUNS);
        } catch (RuntimeException e) {
            LOG.warn("snapstart.primingFailed", "priming", what, "error", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: the SDK's HTTP client opens new connections after a restore on its own.
    }
}
