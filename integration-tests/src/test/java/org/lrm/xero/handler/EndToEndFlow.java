package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.app.invoice.SchedulePolls;
import org.lrm.xero.domain.invoice.PollCadence;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.HttpApiBridge;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.OrgInvoices;
import org.lrm.xero.testing.WorkerRig;
import org.lrm.xero.testing.XeroInvoiceMatch;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One organisation's whole flow for the reliability and security ITs: the integration connected
 * to a sandbox organisation whose webhooks reach the receiver over HTTP; learners saved through the
 * learner API and synced by the learner-sync worker; finance raising and paying invoices in Xero;
 * the invoice and PDF workers and the transaction poll run off the real queues in passes, with the
 * clocks moved on instead of waiting. {@link #check()} compares what the integration holds with the
 * sandbox's state. Every function is built through its composition root, as Lambda builds it.
 */
final class EndToEndFlow implements AutoCloseable {

    /** Waiting copies are re-sent without SQS delay: the rigs move the clocks instead of waiting. */
    static final DeferralPolicy TEST_TIME = new DeferralPolicy(Duration.ofHours(12), Duration.ZERO, 3);
    static final String ORG = "org-e2e";
    /** Long enough for every call of a minute to leave the budget's window (60 s, its 1 s buckets and margin). */
    static final Duration MINUTE_WINDOW = Duration.ofSeconds(63);
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    final HttpApiBridge bridge;
    final IntegrationRig rig;
    final List<String> log = new CopyOnWriteArrayList<>();
    /** Every answer the integration's API gave in the flow (status, headers, body), in order. */
    final List<String> apiResponses = new CopyOnWriteArrayList<>();
    String tenantId;
    Settings settings;
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> learnerApi;
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> invoiceApi;
    LearnerStore learners;
    private TransactionPollHandler poll;
    private WorkerRig learnerSync;
    private WorkerRig invoiceEvents;
    private WorkerRig pdfFetch;
    private WorkerRig scheduledWork;
    private final Map<String, String> refOf = new LinkedHashMap<>();
    private int invoicesRaised;
    private int pollFailures;

    private EndToEndFlow() {
        JsonLog.sink(log::add);
        bridge = HttpApiBridge.start();
        rig = IntegrationRig.startWithWebhooks(bridge.baseUri() + "/v1/xero/webhooks");
        rig.apiResponses = this::answered;
    }

    /** The rig started; call {@link #connect} once any extra environment is set. */
    static EndToEndFlow start() {
        return new EndToEndFlow();
    }

    /**
     * Connects {@link #ORG} to a new sandbox organisation and wires every function from the rig's
     * settings, each with its own role's clients (as separate Lambda functions).
     */
    EndToEndFlow connect() {
        return connect(null, UnaryOperator.identity());
    }

    /**
     * Connects {@link #ORG} to a new sandbox organisation on Xero's {@code tier} (null: the sandbox's default), the
     * admin's browser going to Xero through {@code atXero}, and wires every function from the rig's settings.
     */
    EndToEndFlow connect(String tier, UnaryOperator<URI> atXero) {
        settings = rig.settings("InvoiceWorkerFunction");
        bridge.route("POST /v1/xero/webhooks", recorded(new WebhookReceiverHandler(rig.root("WebhookReceiverFunction", InvoiceRoot::of))));
        tenantId = rig.connect(ORG, "Faulty College", tier, atXero);
        learners = new DynamoLearnerStore(rig.aws.dynamoDb(), settings.tableName());
        learnerApi = recorded(learnerApi(rig));
        invoiceApi = recorded(new InvoiceApiHandler(rig.root("InvoiceApiFunction", InvoiceRoot::of)));
        poll = new TransactionPollHandler(rig.root("TransactionPollFunction", InvoiceRoot::of));
        learnerSyncThrough(UnaryOperator.identity());
        InvoiceWorker invoices = new InvoiceWorker(rig.root("InvoiceWorkerFunction", InvoiceRoot::of), TEST_TIME);
        PdfWorker pdfs = new PdfWorker(rig.root("PdfWorkerFunction", InvoiceRoot::of), TEST_TIME);
        invoiceEvents = new WorkerRig(rig.aws.sqs(), settings.invoiceEventsQueueUrl(), e -> invoices.handleRequest(e, null),
                rig.admin, rig.clock, 2);
        pdfFetch = new WorkerRig(rig.aws.sqs(), settings.pdfFetchQueueUrl(), e -> pdfs.handleRequest(e, null),
                rig.admin, rig.clock, 2);
        ScheduledWorker scheduled = new ScheduledWorker(rig.root("ScheduledWorkFunction", ResyncRoot::of), TEST_TIME);
        scheduledWork = new WorkerRig(rig.aws.sqs(), settings.scheduledWorkQueueUrl(), e -> scheduled.handleRequest(e, null),
                rig.admin, rig.clock, 1);
        return this;
    }

    /** Replaces the learner-sync function, e.g. with one that dies between Xero's answer and our write. */
    void learnerSyncWorker(java.util.function.BiFunction<SQSEvent, com.amazonaws.services.lambda.runtime.Context,
            SQSBatchResponse> worker) {
        learnerSync = new WorkerRig(rig.aws.sqs(), settings.learnerSyncQueueUrl(), e -> worker.apply(e, null),
                rig.admin, rig.clock, 3);
    }

    /** {@code handler}, its every answer kept in {@link #apiResponses}. */
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> recorded(
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        return (event, context) -> {
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);
            answered(response);
            return response;
        };
    }

    private void answered(APIGatewayV2HTTPResponse response) {
        apiResponses.add(response.getStatusCode() + " " + response.getHeaders() + " " + response.getMultiValueHeaders() + "\n"
                + response.getBody());
    }

    /** The learner API as its composition root builds it, with its role's clients. */
    static LearnerApiHandler learnerApi(IntegrationRig rig) {
        return new LearnerApiHandler(rig.root("LearnerApiFunction", LearnerRoot::of));
    }

    /** The learner-sync worker with its learner store seen through {@code around} (e.g. one that crashes). */
    void learnerSyncThrough(UnaryOperator<LearnerStore> around) {
        LearnerSyncWorker worker = new LearnerSyncWorker(rig.root("LearnerSyncWorkerFunction", LearnerRoot::of)
                .withLearnerStore(around), TEST_TIME);
        learnerSyncWorker(worker::handleRequest);
    }

    // ---------------------------------------------------------------- the LRM and finance at work

    /** The learners the LRM has sent so far. */
    Set<String> learnerIds() {
        return Set.copyOf(refOf.keySet());
    }

    /** Bulk-syncs learners {@code from} (inclusive) to {@code to} (exclusive) as the LRM's admin would. */
    APIGatewayV2HTTPResponse bulkSync(int from, int to) {
        List<String> json = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String id = "L-" + i;
            String ref = "W" + (700000 + i);
            refOf.put(id, ref);
            json.add(learnerJson(id, ref, "Learner", "Number" + i));
        }
        APIGatewayV2HTTPResponse r = learnerApi.handleRequest(ApiEvents.route("POST /v1/learners:bulk-sync")
                .json("{\"learners\":[" + String.join(",", json) + "]}").as(ORG, "admin", "u-admin").build(), null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(202);
        return r;
    }

    /**
     * Staff edit learners {@code from} (inclusive) to {@code to} (exclusive) through a bulk sync: the same
     * references, {@code firstName} as their first name (so their contacts' Name changes too).
     */
    APIGatewayV2HTTPResponse editLearners(int from, int to, String firstName) {
        List<String> json = new ArrayList<>();
        for (int i = from; i < to; i++) {
            json.add(learnerJson("L-" + i, refOf.get("L-" + i), firstName, "Number" + i));
        }
        APIGatewayV2HTTPResponse r = learnerApi.handleRequest(ApiEvents.route("POST /v1/learners:bulk-sync")
                .json("{\"learners\":[" + String.join(",", json) + "]}").as(ORG, "admin", "u-admin").build(), null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(202);
        return r;
    }

    /** The connection as the admin's screen reads it ({@code GET /v1/xero/connection}). */
    JsonNode connectionStatus() throws Exception {
        APIGatewayV2HTTPResponse r = connectionApi().handleRequest(ApiEvents.route("GET /v1/xero/connection")
                .as(ORG, "admin", "u-admin").build(), null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return Json.MAPPER.readTree(r.getBody());
    }

    /** The admin disconnects Xero ({@code DELETE /v1/xero/connection}). */
    void disconnect() {
        APIGatewayV2HTTPResponse r = connectionApi().handleRequest(ApiEvents.route("DELETE /v1/xero/connection")
                .as(ORG, "admin", "u-admin").build(), null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(204);
    }

    /** The admin connects the same Xero organisation again. */
    void reconnect() {
        rig.reconnect(ORG, tenantId);
    }

    private ConnectionApiHandler connectionApi() {
        return new ConnectionApiHandler(rig.root("ConnectionApiFunction", ConnectionRoot::of));
    }

    static String learnerJson(String learnerId, String ref, String first, String last) {
        return """
                {"learnerId":"%s","refInternal":"%s","firstName":"%s","lastName":"%s","email":"%s@example.org","syncToXero":true,
                 "enrolments":[{"enrolmentId":"E-%s","course":"BSB50120 Diploma of Business","startDate":"2027-02-01","status":"CONFIRMED"}]}
                """.formatted(learnerId, ref, first, last, learnerId.toLowerCase(), learnerId);
    }

    /**
     * Finance raises {@code count} invoices over the synced learners' contacts (round robin) and
     * pays every third in part, with their own user token (no faults act on these calls).
     */
    void financeRaisesInvoices(int count) {
        Map<String, Object> faults = currentFaults();
        rig.admin.clearFaults();
        FinanceDesk finance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenantId), tenantId);
        List<LearnerRecord> synced = learners.findAll(ORG, refOf.keySet()).values().stream()
                .filter(r -> r.contactId() != null).sorted(java.util.Comparator.comparing(r -> r.learner().learnerId())).toList();
        LocalDate day = LocalDate.of(2027, 2, 1);
        for (int i = 0; i < count; i++) {
            int n = invoicesRaised++;
            String invoice = finance.raiseInvoice(synced.get(n % synced.size()).contactId(), "F" + n,
                    BigDecimal.valueOf(400 + n * 13.37).setScale(2, java.math.RoundingMode.HALF_UP), day.plusDays(n % 5), day.plusDays(30));
            if (n % 3 == 0) {
                finance.pay(invoice, new BigDecimal("100.05"), day.plusDays(3));
            }
        }
        rig.admin.setFaults(faults);
    }

    private Map<String, Object> faults = Map.of();

    /** Sets the sandbox's fault knobs (kept across finance's own calls). */
    void faults(Map<String, Object> knobs) {
        faults = new HashMap<>(knobs);
        rig.admin.setFaults(faults);
    }

    private Map<String, Object> currentFaults() {
        Map<String, Object> f = new HashMap<>(faults);
        f.remove("expireTokensNow");
        return f;
    }

    // ---------------------------------------------------------------- running the functions

    /**
     * Delivers webhooks, runs every worker off its queue and the poll on its schedule until the
     * queues are empty and a poll changes nothing stored.
     */
    void settle() throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String before = "";
        while (Instant.now().isBefore(deadline)) {
            rig.admin.deliverWebhooksNow();
            drain(deadline);
            advance(Duration.ofMinutes(5));
            try {
                poll.handleRequest(new ScheduledEvent(), null);
            } catch (RuntimeException failed) {
                // As on Lambda: a failed scheduled run is simply run again on the next schedule.
                pollFailures++;
            }
            drain(deadline);
            String now = stored();
            if (now.equals(before)) {
                return;
            }
            before = now;
        }
        throw new AssertionError("work did not settle within " + DEADLINE);
    }

    /**
     * The nightly run an hour later, its re-sync pages worked off, then {@link #settle}: what lost webhooks missed
     * (invoices and credit notes are not polled) comes back this way.
     */
    void nightly() throws Exception {
        advance(Duration.ofHours(1));
        new NightlySyncHandler(rig.root("NightlySyncFunction", ResyncRoot::of)).handleRequest(new ScheduledEvent(), null);
        ResyncPageWorker pages = new ResyncPageWorker(rig.root("ResyncPageWorkerFunction", ResyncRoot::of), TEST_TIME);
        WorkerRig pageRig = new WorkerRig(rig.aws.sqs(), settings.resyncPagesQueueUrl(), e -> pages.handleRequest(e, null),
                rig.admin, rig.clock, 1);
        for (int pass = 0; pass < 20 && pageRig.inQueue(settings.resyncPagesQueueUrl()) > 0; pass++) {
            pageRig.pass();
            pageRig.advance(MINUTE_WINDOW);
        }
        settle();
    }

    /** Runs the scheduled-work (polls), learner-sync, invoice and PDF workers until their queues are empty. */
    void drain(Instant deadline) throws Exception {
        while (true) {
            scheduledWork.pass();
            learnerSync.pass();
            invoiceEvents.pass();
            pdfFetch.pass();
            if (inQueue(settings.learnerSyncQueueUrl()) + inQueue(settings.invoiceEventsQueueUrl())
                    + inQueue(settings.pdfFetchQueueUrl()) + inQueue(settings.scheduledWorkQueueUrl()) == 0) {
                return;
            }
            assertThat(Instant.now()).as("queues drained in time").isBefore(deadline);
            advance(Duration.ofSeconds(61));
        }
    }

    /** One pass of each worker (learner sync, invoice events, PDFs) over its queue. */
    void drainOnce() throws Exception {
        scheduledWork.pass();
        learnerSync.pass();
        invoiceEvents.pass();
        pdfFetch.pass();
    }

    /** One pass of the invoice worker only (webhooks' events to stored invoices, their PDFs queued). */
    WorkerRig.Pass invoiceEventsPass() throws Exception {
        return invoiceEvents.pass();
    }

    /** One pass of the PDF worker only. */
    WorkerRig.Pass pdfPass() throws Exception {
        return pdfFetch.pass();
    }

    /** The first of learners L-0 .. L-{@code learners - 1} with an invoice whose PDF is not stored yet: {learnerId, invoiceId}. */
    Optional<String[]> invoiceWithoutPdf(int learners) throws Exception {
        for (int i = 0; i < learners; i++) {
            APIGatewayV2HTTPResponse list = invoiceApi.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/invoices")
                    .path("learnerId", "L-" + i).as(ORG, "staff", "u-staff").build(), null);
            for (JsonNode invoice : Json.MAPPER.readTree(list.getBody()).get("invoices")) {
                if (!invoice.path("pdf").path("available").asBoolean()) {
                    return Optional.of(new String[] {"L-" + i, invoice.get("invoiceId").asText()});
                }
            }
        }
        return Optional.empty();
    }

    /** One pass of the learner-sync worker only. */
    WorkerRig.Pass learnerSyncPass() throws Exception {
        return learnerSync.pass();
    }

    void advance(Duration by) {
        learnerSync.advance(by);
        invoiceEvents.advance(Duration.ZERO);
        pdfFetch.advance(Duration.ZERO);
        scheduledWork.advance(Duration.ZERO);
    }

    /** The tenant's Xero budget as every function shares it, built as the roots build it. */
    RateBudget budget() {
        return Wiring.rateBudget(settings, rig.aws, rig.clock);
    }

    /** What {@link #settleAcrossDays} did. */
    record Settled(Duration sandboxTime, int jumps, int rounds) {
    }

    /**
     * {@link #settle} for work that waits for Xero's day: webhooks delivered, every worker run off its queue, the
     * poll schedule run every minute of the sandbox clock while Xero's calls go on; when a round
     * makes no call and work is left, the clocks move to when the budget lets bulk work call again (a jump), until
     * the queues are empty and a poll changes nothing.
     */
    Settled settleAcrossDays(Duration realDeadline) throws Exception {
        Instant deadline = Instant.now().plus(realDeadline);
        Instant start = rig.clock.instant();
        String before = "";
        int jumps = 0;
        int rounds = 0;
        while (Instant.now().isBefore(deadline)) {
            rounds++;
            long calls = appCalls();
            roundOfWork();
            boolean queued = inQueue(settings.learnerSyncQueueUrl()) + inQueue(settings.invoiceEventsQueueUrl())
                    + inQueue(settings.pdfFetchQueueUrl()) + inQueue(settings.scheduledWorkQueueUrl()) > 0;
            if (!queued) {
                String now = stored();
                if (now.equals(before)) {
                    return new Settled(Duration.between(start, rig.clock.instant()), jumps, rounds);
                }
                before = now;
                // Long enough for the poll to come while finance is at work (PollCadence.ACTIVE, plus the schedule's minute).
                advance(PollCadence.ACTIVE.plus(SchedulePolls.SCHEDULE));
            } else if (appCalls() > calls) {
                advance(MINUTE_WINDOW);
            } else {
                // To when waiting work may call again: bulk work, or PDF prefetch (which waits for the day's spare).
                RateBudget.Snapshot budget = budget().snapshot(tenantId);
                Instant resumesAt = earliestAfter(rig.clock.instant(), budget.resumesAt(), budget.prefetchResumesAt());
                Instant to = resumesAt == null ? rig.clock.instant().plus(MINUTE_WINDOW) : resumesAt.plus(Duration.ofMinutes(2));
                advance(Duration.between(rig.clock.instant(), to).plusSeconds(1));
                jumps++;
            }
        }
        throw new AssertionError("work did not settle within " + realDeadline + " (" + rounds + " rounds, " + jumps + " jumps)");
    }

    /** The earliest of these instants (nulls ignored) after {@code now}; null when none is. */
    private static Instant earliestAfter(Instant now, Instant... instants) {
        Instant earliest = null;
        for (Instant i : instants) {
            if (i != null && i.isAfter(now) && (earliest == null || i.isBefore(earliest))) {
                earliest = i;
            }
        }
        return earliest;
    }

    private Instant lastPoll;

    /** Webhooks delivered, one pass of each worker, and the poll schedule when it is due (every minute). */
    void roundOfWork() throws Exception {
        rig.admin.deliverWebhooksNow();
        drainOnce();
        if (lastPoll == null || !rig.clock.instant().isBefore(lastPoll.plus(SchedulePolls.SCHEDULE))) {
            lastPoll = rig.clock.instant();
            try {
                poll.handleRequest(new ScheduledEvent(), null);
            } catch (RuntimeException failed) {
                pollFailures++;
            }
        }
    }

    /** Every call the integration made to the tenant so far, as the sandbox counts them. */
    long appCalls() {
        return rig.admin.stats().path("tenants").path(tenantId).path("appCalls").asLong();
    }

    /** The longest wait any message was deferred for, for these reasons (as the workers logged it). */
    Duration longestWait(Set<String> reasons) {
        long longest = 0;
        for (String line : log) {
            if (!line.contains("\"event\":\"work.deferred\"")) {
                continue;
            }
            try {
                JsonNode event = Json.MAPPER.readTree(line);
                if (reasons.contains(event.path("reason").asText())) {
                    longest = Math.max(longest, event.path("waitSeconds").asLong());
                }
            } catch (java.io.IOException notJson) {
                // not one of ours
            }
        }
        return Duration.ofSeconds(longest);
    }

    /** The learner's Xero state as staff read it ({@code GET /v1/learners/{id}/xero}). */
    JsonNode learnerState(String learnerId) throws Exception {
        APIGatewayV2HTTPResponse r = learnerApi.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/xero")
                .path("learnerId", learnerId).as(ORG, "staff", "u-staff").build(), null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return Json.MAPPER.readTree(r.getBody());
    }

    /** PDFs still to fetch: the organisation's stored invoices whose current PDF is not stored (queued, 25 to a message). */
    int pdfsWaiting() {
        return OrgInvoices.withoutPdf(rig.aws.dynamoDb(), settings.tableName(), ORG).size();
    }

    int inQueue(String url) {
        return learnerSync.inQueue(url);
    }

    // ---------------------------------------------------------------- what held

    /** What a run left, for the assertions and for docs/reliability.md. */
    record Outcome(int learners, int contacts, int invoices, int deadLetters, long retries, long deferrals,
            long tokenRefreshes, long rateLimited, long faultsInjected, long appCalls, int pollFailures) {
    }

    /**
     * The integration's state equals the sandbox's: every learner SYNCED to one contact carrying its
     * reference (no duplicate contact by ContactNumber), every learner's invoices equal Xero's to the
     * cent (none lost, none stale), the work queues empty and every dead letter carrying its reason,
     * organisation and kind.
     */
    Outcome check() throws Exception {
        JsonNode state = rig.admin.state(tenantId);
        List<String> numbers = new ArrayList<>();
        Map<String, String> contactOfNumber = new HashMap<>();
        for (JsonNode c : state.get("Contacts")) {
            if (!"ARCHIVED".equals(c.path("ContactStatus").asText())) {
                numbers.add(c.path("ContactNumber").asText());
                contactOfNumber.put(c.path("ContactNumber").asText(), c.get("ContactID").asText());
            }
        }
        assertThat(numbers).as("contacts by ContactNumber").doesNotHaveDuplicates().hasSameSizeAs(refOf.keySet())
                .containsExactlyInAnyOrderElementsOf(refOf.values());
        int invoices = 0;
        for (Map.Entry<String, String> learner : refOf.entrySet()) {
            LearnerRecord r = learners.find(ORG, learner.getKey()).orElseThrow();
            assertThat(r.state()).as("learner %s: %s", learner.getKey(), r.error()).isEqualTo(SyncState.SYNCED);
            assertThat(r.contactId()).as("learner %s's contact", learner.getKey()).isEqualTo(contactOfNumber.get(learner.getValue()));
            APIGatewayV2HTTPResponse list = invoiceApi.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/invoices")
                    .path("learnerId", learner.getKey()).as(ORG, "staff", "u-staff").build(), null);
            assertThat(list.getStatusCode()).as(list.getBody()).isEqualTo(200);
            Map<String, String> ours = XeroInvoiceMatch.ours(Json.MAPPER.readTree(list.getBody()).get("invoices"));
            assertThat(ours).as("learner %s's invoices", learner.getKey()).isEqualTo(XeroInvoiceMatch.xeros(state, Set.of(r.contactId())));
            invoices += ours.size();
        }
        assertThat(invoices).as("invoices the learners see").isEqualTo(invoicesRaised);
        for (String queue : List.of(settings.learnerSyncQueueUrl(), settings.invoiceEventsQueueUrl(), settings.pdfFetchQueueUrl(), settings.scheduledWorkQueueUrl())) {
            assertThat(inQueue(queue)).as("left in %s", queue).isZero();
        }
        List<DeadLetter> dead = deadLetters();
        for (DeadLetter letter : dead) {
            assertThat(letter.attributes()).as("dead letter %s", letter.body()).containsKeys("reason", "orgId", "kind");
        }
        int deadLetters = dead.size();
        JsonNode stats = rig.admin.stats().path("tenants").path(tenantId);
        return new Outcome(refOf.size(), numbers.size(), invoices, deadLetters, logged("work.retry"), logged("work.deferred"),
                logged("xero.token.refreshed"), sum(stats.path("rateLimited")), sum(stats.path("faultsInjected")),
                stats.path("appCalls").asLong(), pollFailures);
    }

    private static long sum(JsonNode counts) {
        long total = 0;
        for (JsonNode n : counts) {
            total += n.asLong();
        }
        return total;
    }

    /** Waits of work Xero failed (5xx, timeouts, the token endpoint down): back-offs, not retries. */
    long xeroBackOffs() {
        return log.stream().filter(l -> l.contains("\"event\":\"work.deferred\"") && l.contains("\"reason\":\"xero\"")).count();
    }

    long logged(String event) {
        return log.stream().filter(l -> l.contains("\"event\":\"" + event + "\"")).count();
    }

    /** A dead letter as the operator reads it: its body and the attributes the worker gave it. */
    record DeadLetter(String queue, String body, Map<String, String> attributes) {
    }

    /**
     * Every message in the work queues' DLQs, read as the operator's DLQ replay function reads them
     * (under its role: receive, then make visible again).
     */
    List<DeadLetter> deadLetters() {
        var replayRole = rig.clientsOf("DlqReplayFunction").sqs();
        Settings replay = rig.settings("DlqReplayFunction");
        List<DeadLetter> dead = new ArrayList<>();
        DlqReplayRoot.queues(replay).forEach((queue, urls) -> {
            for (Message m : messagesIn(replayRole, urls.deadLetterQueueUrl())) {
                Map<String, String> attributes = new LinkedHashMap<>();
                m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
                dead.add(new DeadLetter(queue, m.body(), attributes));
            }
        });
        return dead;
    }

    /** What the DLQ replay function (its no-arg wiring's use case, under its role) moved back, by queue. */
    Map<String, ReplayCounts> replayEveryDeadLetter() throws java.io.IOException {
        Settings replay = rig.settings("DlqReplayFunction");
        DlqReplayHandler handler = new DlqReplayHandler(DlqReplayRoot.of(replay, rig.clientsOf("DlqReplayFunction")));
        Map<String, ReplayCounts> moved = new LinkedHashMap<>();
        for (String queue : ReplayRequest.QUEUES) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            handler.handleRequest(new java.io.ByteArrayInputStream(("{\"queue\":\"" + queue + "\",\"orgId\":\"" + ORG
                    + "\",\"dryRun\":false}").getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, null);
            moved.put(queue, Json.MAPPER.readValue(out.toByteArray(), ReplayCounts.class));
        }
        return moved;
    }

    /** Every message in {@code queueUrl}, received and made visible again at once. */
    List<Message> messagesIn(String queueUrl) {
        return messagesIn(rig.aws.sqs(), queueUrl);
    }

    private static List<Message> messagesIn(software.amazon.awssdk.services.sqs.SqsClient sqs, String queueUrl) {
        List<Message> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(30).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (batch.isEmpty()) {
                break;
            }
            batch.stream().filter(m -> seen.add(m.messageId())).forEach(all::add);
        }
        for (Message m : all) {
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
        return all;
    }

    /** Every item of every DynamoDB table, as text. */
    List<String> everyItem() {
        List<String> items = new ArrayList<>();
        for (String table : rig.aws.dynamoDb().listTables().tableNames()) {
            rig.aws.dynamoDb().scanPaginator(b -> b.tableName(table)).items()
                    .forEach(i -> items.add(table + " " + text(i)));
        }
        return items;
    }

    private static String text(Map<String, AttributeValue> item) {
        return item.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(", "));
    }

    /** Learners and invoices as stored: what a settle compares between rounds. */
    private String stored() {
        return everyItem().stream().filter(i -> i.contains("sk=AttributeValue(S=INVOICE#") || i.contains("sk=AttributeValue(S=LEARNER#"))
                .sorted().collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        try {
            rig.admin.clearFaults();
            rig.close();
        } finally {
            bridge.close();
            JsonLog.sinkToStdout();
        }
    }
}
