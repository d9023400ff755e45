package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoLogbook;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.adapter.xero.ContactDraft;
import org.lrm.xero.adapter.xero.ContactUpsertResult;
import org.lrm.xero.adapter.xero.XeroCall;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.invoice.SchedulePolls;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.domain.invoice.PollCadence;
import org.lrm.xero.domain.invoice.WebhookSignature;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.sandbox.SandboxAdminClient;
import org.lrm.xero.sandbox.XeroSandbox;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.HttpApiBridge;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.MutableClock;
import org.lrm.xero.testing.SqsEvents;
import org.lrm.xero.testing.TemplateResources;
import org.lrm.xero.testing.XeroApp;
import org.lrm.xero.testing.XeroInvoiceMatch;
import org.lrm.xero.testing.iam.FunctionRoles;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Invoices back to the learner, end to end against the Xero sandbox and moto, through the
 * handlers: finance works in Xero with a user token; the sandbox's webhooks reach the receiver
 * over HTTP; the invoice worker, the PDF worker and the transaction poll run off the real queues;
 * learners and staff read through the invoice API.
 */
@ExtendWith(AwsEmulator.class)
class InvoicesIT {

    private static final String CLIENT_ID = "lrm-invoices";
    private static final String CLIENT_SECRET = "app-secret-" + UUID.randomUUID();
    private static final String WEBHOOK_KEY = "webhook-key-" + UUID.randomUUID();
    private static final String HOST = "api.test.local";
    private static final int LEARNERS = 10;
    private static final Duration DEADLINE = Duration.ofMinutes(4);

    private static XeroSandbox sandbox;
    private static SandboxAdminClient admin;
    private static HttpApiBridge bridge;
    private static Settings settings;
    private static Settings receiver;
    private static MutableClock clock;
    private static final AwsClients aws = AwsEmulator.clients();
    private static FunctionRoles roles;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private String org;
    private String tenant;
    private XeroParts xero;
    private InvoiceWorker invoiceWorker;
    private PdfWorker pdfWorker;
    private TransactionPollHandler poll;
    private ScheduledWorker scheduledWorker;
    private InvoiceApiHandler api;
    private LearnerStore learners;
    private FinanceDesk finance;

    @BeforeAll
    static void start() {
        sandbox = XeroSandbox.start(0);
        admin = new SandboxAdminClient(sandbox.baseUri());
        TemplateResources stack = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local",
                "LrmOrigins", "https://lrm.example.org"), "us-east-1").provision(aws);
        roles = new FunctionRoles(stack, aws);
        Map<String, String> env = new HashMap<>(stack.environment("InvoiceWorkerFunction"));
        env.put("XERO_IDENTITY_URL", sandbox.baseUri().toString());
        env.put("XERO_LOGIN_URL", sandbox.baseUri().toString());
        env.put("XERO_API_URL", sandbox.baseUri().toString());
        env.put("XERO_CONNECT_FALLBACK_URL", "https://lrm.example.org/settings");
        settings = Settings.from(env);
        new XeroApp(CLIENT_ID, CLIENT_SECRET, WEBHOOK_KEY).store(aws, stack);
        receiver = Settings.from(stack.environment("WebhookReceiverFunction"));
        clock = new MutableClock(admin.now());
        bridge = HttpApiBridge.start().route("POST /v1/xero/webhooks", new WebhookReceiverHandler(receiverRoot()));
        JsonNode app = new XeroApp(CLIENT_ID, CLIENT_SECRET, WEBHOOK_KEY).registerIn(admin, List.of("https://" + HOST + "/v1/xero/callback"),
                bridge.baseUri() + "/v1/xero/webhooks");
        assertThat(app.toString()).as("Intent to Receive").contains("PASSED");
    }

    @AfterAll
    static void stop() {
        bridge.close();
        try {
            admin.assertContractKept();
        } finally {
            sandbox.close();
        }
    }

    @BeforeEach
    void connectAnOrganisation() {
        admin.clearFaults();
        org = "org-" + UUID.randomUUID();
        tenant = admin.createTenant("College " + org.substring(4, 12), null);
        xero = XeroParts.of(settings, roles.clients("LearnerSyncWorkerFunction"), clock, IntegrationRig.SPIN);
        connect();
        DeferralPolicy testTime = new DeferralPolicy(Duration.ofHours(12), Duration.ZERO, 3);
        invoiceWorker = new InvoiceWorker(invoiceRoot("InvoiceWorkerFunction"), testTime);
        pdfWorker = new PdfWorker(invoiceRoot("PdfWorkerFunction"), testTime);
        poll = new TransactionPollHandler(invoiceRoot("TransactionPollFunction"));
        scheduledWorker = new ScheduledWorker(ResyncRoot.of(settings, roles.clients("ScheduledWorkFunction"), clock, IntegrationRig.SPIN),
                testTime);
        api = new InvoiceApiHandler(invoiceRoot("InvoiceApiFunction"));
        learners = new DynamoLearnerStore(aws.dynamoDb(), settings.tableName());
        finance = new FinanceDesk(sandbox.baseUri(), admin.userToken(tenant), tenant);
    }

    @AfterEach
    void clearFaults() {
        admin.clearFaults();
    }

    // ------------------------------------------------------------------ the "done when" scenarios

    @Test
    void everyLearnersInvoicesMatchXeroToTheCent() throws Exception {
        Scenario s = financeAtWork(Map.of());

        settle();

        assertLearnersMatchXero(s);
        assertPdfsAndAccess(s);
        assertLogbookOncePerEvent(s);
        assertBadSignatureChangesNothing(s);
    }

    @Test
    void webhooksDeliveredTwiceAndShuffledChangeNothing() throws Exception {
        Scenario s = financeAtWork(Map.of("duplicateWebhookRate", 1.0, "reorderWebhooks", true, "seed", 11));

        settle();

        assertThat(webhookStat("eventsDuplicated")).isPositive();
        assertLearnersMatchXero(s);
        assertLogbookOncePerEvent(s);
    }

    @Test
    void whenAFifthOfTheWebhooksAreLostThePollAndTheNightlyRunRecoverThem() throws Exception {
        Scenario s = financeAtWork(Map.of("dropWebhookRate", 0.2, "seed", 7));

        settle();
        // Invoices and credit notes are not polled (webhooks bring them): what a lost delivery missed, the night reads.
        new NightlySyncHandler(ResyncRoot.of(settings, roles.clients("NightlySyncFunction"), clock, IntegrationRig.SPIN))
                .handleRequest(new ScheduledEvent(), null);
        ResyncPageWorker pages = new ResyncPageWorker(ResyncRoot.of(settings, roles.clients("ResyncPageWorkerFunction"), clock,
                IntegrationRig.SPIN), new DeferralPolicy(Duration.ofHours(12), Duration.ZERO, 3));
        drain(settings.resyncPagesQueueUrl(), pages::handleRequest, new ArrayList<>());
        settle();

        assertThat(webhookStat("eventsDropped")).isPositive();
        assertLearnersMatchXero(s);
        assertPdfsAndAccess(s);
    }

    /**
     * A PDF asked for before the PDF worker stored it is fetched from Xero at once by the invoice API,
     * under its role, renewing the organisation's access token Xero stopped taking on the way; the
     * link it answers serves the PDF, which is stored for the next time.
     */
    @Test
    void aPdfAskedForBeforeThePdfWorkerStoredItIsFetchedByTheApiAtOnce() throws Exception {
        String learner = "L-now-" + org.substring(4, 10);
        String contact = finance.createContact("Ana Now " + org.substring(4, 10));
        Learner saved = new Learner(learner, "N" + org.substring(4, 8).toUpperCase(), "Ana", "Now", null, null, null, true, List.of());
        learners.save(org, List.of(saved), Map.of(learner, SyncState.PENDING), clock.instant());
        learners.recordSynced(org, learner, contact, "Ana Now", saved.refInternal(), "fp", clock.instant());
        String invoice = finance.raiseInvoice(contact, "Now", money(321.00), LocalDate.of(2027, 2, 1), LocalDate.of(2027, 3, 1));
        admin.deliverWebhooksNow();
        drain(settings.invoiceEventsQueueUrl(), invoiceWorker::handleRequest, new ArrayList<>());
        JsonNode listed = json(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices").path("learnerId", learner)
                .asLearner(org, learner))).at("/invoices/0");
        assertThat(listed.get("invoiceId").asText()).isEqualTo(invoice);
        assertThat(listed.at("/pdf/available").asBoolean()).as("not stored yet").isFalse();
        admin.setFaults(Map.of("expireTokensNow", true));

        assertValidPdf(learner, invoice, listed.get("invoiceNumber").asText());

        assertThat(json(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices").path("learnerId", learner).asLearner(org, learner)))
                .at("/invoices/0/pdf/available").asBoolean()).as("stored by the API").isTrue();
    }

    // ------------------------------------------------------------------ finance in Xero

    /** Learners by id with their contacts; the contacts no learner owns. */
    private record Scenario(Map<String, Set<String>> contactsOfLearner, Map<String, String> refOf, Set<String> othersInvoices,
            String mergedLearner, String survivingContact) {
    }

    private Scenario financeAtWork(Map<String, Object> faults) {
        String token = xero.connection().tokens().accessToken(org);
        Map<String, Set<String>> contactsOf = new LinkedHashMap<>();
        Map<String, String> refOf = new LinkedHashMap<>();
        List<Learner> saved = new ArrayList<>();
        List<ContactDraft> drafts = new ArrayList<>();
        for (int n = 0; n < LEARNERS; n++) {
            String id = "L-" + n + "-" + org.substring(4, 10);
            String ref = "W" + org.substring(4, 8).toUpperCase() + n;
            saved.add(new Learner(id, ref, "Ana" + n, "Lopez", null, null, null, true, List.of()));
            refOf.put(id, ref);
            if (n > 0) {
                drafts.add(new ContactDraft(null, ref, "Ana" + n + " Lopez " + ref, "Ana" + n, "Lopez", null, null, null));
            }
        }
        String merged = saved.get(0).learnerId();
        // The merged learner's old contact (linked first) and the contact finance keeps, which has no number yet.
        drafts.add(new ContactDraft(null, refOf.get(merged) + "-OLD", "Ana0 Lopez (old)", "Ana0", "Lopez", null, null, null));
        drafts.add(new ContactDraft(null, null, "Ana Lopez (finance)", "Ana", "Lopez", null, null, null));
        List<ContactUpsertResult> created = xero.connection().xero()
                .upsertContacts(new XeroCall(tenant, token), drafts, "contacts-" + org).orElseThrow();
        learners.save(org, saved, saved.stream().collect(Collectors.toMap(Learner::learnerId, l -> SyncState.PENDING)), clock.instant());
        for (int n = 0; n < LEARNERS; n++) {
            var c = created.get(n == 0 ? LEARNERS - 1 : n - 1).contact();
            learners.recordSynced(org, saved.get(n).learnerId(), c.contactId(), c.name(), c.contactNumber(), "fp", clock.instant());
            contactsOf.put(saved.get(n).learnerId(), new HashSet<>(Set.of(c.contactId())));
        }
        String oldContact = created.get(LEARNERS - 1).contact().contactId();
        String survivor = created.get(LEARNERS).contact().contactId();
        contactsOf.get(merged).add(survivor);

        admin.setFaults(new HashMap<>(faults));
        LocalDate day = LocalDate.of(2027, 2, 1);
        List<String> learnerIds = new ArrayList<>(contactsOf.keySet());
        Map<String, List<String>> invoicesOf = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            String learner = learnerIds.get(i % LEARNERS);
            String contact = learner.equals(merged) && i % 20 == 10 ? survivor : contactsOf.get(learner).iterator().next();
            if (learner.equals(merged) && i % 20 == 0) {
                contact = oldContact;
            }
            String invoice = finance.raiseInvoice(contact, "T" + i, money(500 + i * 37.35), day.plusDays(i % 7), day.plusDays(30));
            invoicesOf.computeIfAbsent(learner, k -> new ArrayList<>()).add(invoice);
        }
        Set<String> others = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String stranger = finance.createContact("Walk-in customer " + i + " " + org.substring(4, 10));
            others.add(finance.raiseInvoice(stranger, "X" + i, money(99.99 + i), day, day.plusDays(14)));
            if (i == 0) {
                finance.pay(others.iterator().next(), money(10), day.plusDays(1));
            }
        }
        for (int n = 1; n < LEARNERS; n++) {
            List<String> own = invoicesOf.get(learnerIds.get(n));
            String contact = contactsOf.get(learnerIds.get(n)).iterator().next();
            finance.pay(own.get(0), money(500 + n * 37.35), day.plusDays(3));     // in full
            finance.pay(own.get(1), money(100.10), day.plusDays(4));             // in part
            finance.pay(own.get(1), money(50.05), day.plusDays(5));
            switch (n % 4) {
                case 0 -> {
                    String cn = finance.creditNote(contact, money(120.50), day.plusDays(2));
                    finance.allocateCreditNote(cn, own.get(2), money(80.25), day.plusDays(6));
                    finance.allocateCreditNote(cn, own.get(3), money(40.25), day.plusDays(6));
                }
                case 1 -> {
                    String pp = finance.receivePrepayment(contact, money(300), day.minusDays(3));
                    finance.allocatePrepayment(pp, own.get(2), money(300), day.plusDays(2));
                }
                case 2 -> {
                    String op = finance.receiveOverpayment(contact, money(75.33), day.plusDays(8));
                    finance.allocateOverpayment(op, own.get(2), money(75.33), day.plusDays(9));
                }
                default -> finance.voidInvoice(own.get(4));
            }
        }
        admin.mergeContacts(tenant, oldContact, survivor);
        return new Scenario(contactsOf, refOf, others, merged, survivor);
    }

    private static BigDecimal money(double amount) {
        return BigDecimal.valueOf(amount).setScale(2, java.math.RoundingMode.HALF_UP);
    }

    // ------------------------------------------------------------------ running the functions

    /**
     * Delivers webhooks, runs the workers off the queues and the poll on its schedule until the
     * queues are empty and a poll changes nothing stored. Waits for Xero's minute window move
     * both clocks on; nothing sleeps.
     */
    private void settle() {
        Instant deadline = Instant.now().plus(DEADLINE);
        String before = "";
        while (Instant.now().isBefore(deadline)) {
            admin.deliverWebhooksNow();
            drainAll(deadline);
            advance(PollCadence.ACTIVE.plus(SchedulePolls.SCHEDULE));
            pollDue();
            drainAll(deadline);
            String now = storedInvoices();
            if (now.equals(before)) {
                return;
            }
            before = now;
        }
        throw new AssertionError("work did not settle within " + DEADLINE);
    }

    /** The poll schedule's run, and the polls it queued. */
    private void pollDue() {
        poll.handleRequest(new ScheduledEvent(), null);
        drain(settings.scheduledWorkQueueUrl(), scheduledWorker::handleRequest, new ArrayList<>());
    }

    private void drainAll(Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            List<String> waiting = new ArrayList<>();
            drain(settings.invoiceEventsQueueUrl(), invoiceWorker::handleRequest, waiting);
            drain(settings.pdfFetchQueueUrl(), pdfWorker::handleRequest, waiting);
            if (waiting.isEmpty() && inQueue(settings.invoiceEventsQueueUrl()) == 0 && inQueue(settings.pdfFetchQueueUrl()) == 0) {
                assertThat(inQueue(deadLetters(settings.invoiceEventsQueueUrl()))).as("dead letters").isZero();
                assertThat(inQueue(deadLetters(settings.pdfFetchQueueUrl()))).as("dead letters").isZero();
                return;
            }
            // What the workers left waiting (Xero's minute budget) comes back once the clocks moved on.
            advance(Duration.ofSeconds(61));
            for (String receipt : waiting) {
                release(receipt);
            }
        }
    }

    /** Plays Lambda's event source: receive, hand over as an SQSEvent, delete what was not reported failed. */
    private void drain(String queueUrl, java.util.function.BiFunction<SQSEvent, com.amazonaws.services.lambda.runtime.Context,
            SQSBatchResponse> handler, List<String> waiting) {
        SqsQueue sqs = new SqsQueue(aws.sqs());
        while (true) {
            List<Message> batch = sqs.receive(queueUrl, 10, 300, 0);
            if (batch.isEmpty()) {
                return;
            }
            SQSBatchResponse response = handler.apply(SqsEvents.of(batch), null);
            Set<String> failed = response.getBatchItemFailures().stream()
                    .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
            for (Message m : batch) {
                if (failed.contains(m.messageId())) {
                    waiting.add(queueUrl + " " + m.receiptHandle());
                } else {
                    sqs.delete(queueUrl, m.receiptHandle());
                }
            }
        }
    }

    private void release(String waiting) {
        String[] parts = waiting.split(" ", 2);
        try {
            aws.sqs().changeMessageVisibility(b -> b.queueUrl(parts[0]).receiptHandle(parts[1]).visibilityTimeout(0));
        } catch (RuntimeException goneSince) {
            // deleted or re-received since
        }
    }

    private static void advance(Duration by) {
        clock.advance(by);
        admin.advanceClock(by.toSeconds());
    }

    private static String deadLetters(String queueUrl) {
        return new SqsQueue(aws.sqs()).redrive(queueUrl).deadLetterQueueUrl();
    }

    private static int inQueue(String url) {
        Map<QueueAttributeName, String> a = aws.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    // ------------------------------------------------------------------ what the learners see

    private void assertLearnersMatchXero(Scenario s) throws Exception {
        JsonNode state = admin.state(tenant);
        Set<String> seen = new HashSet<>();
        for (var learner : s.contactsOfLearner().entrySet()) {
            JsonNode list = json(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices").path("learnerId", learner.getKey())
                    .as(org, "staff", "u-staff"))).get("invoices");
            Map<String, String> ours = XeroInvoiceMatch.ours(list);
            Map<String, String> xeros = XeroInvoiceMatch.xeros(state, learner.getValue());
            assertThat(ours).as("learner %s", learner.getKey()).isEqualTo(xeros);
            seen.addAll(ours.keySet());
        }
        assertThat(seen).hasSize(50).doesNotContainAnyElementsOf(s.othersInvoices());
        assertThat(scan("INVOICE#")).hasSize(50);
        var merged = learners.find(org, s.mergedLearner()).orElseThrow();
        assertThat(merged.contactId()).isEqualTo(s.survivingContact());
        JsonNode survivor = null;
        for (JsonNode c : state.get("Contacts")) {
            if (c.get("ContactID").asText().equals(s.survivingContact())) {
                survivor = c;
            }
        }
        assertThat(survivor.get("ContactNumber").asText()).isEqualTo(s.refOf().get(s.mergedLearner()));
    }

    private void assertPdfsAndAccess(Scenario s) throws Exception {
        List<String> learnerIds = new ArrayList<>(s.contactsOfLearner().keySet());
        for (String learnerId : learnerIds) {
            JsonNode list = json(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices").path("learnerId", learnerId)
                    .asLearner(org, learnerId))).get("invoices");
            assertThat(list).isNotEmpty();
            for (JsonNode invoice : list) {
                assertThat(invoice.at("/pdf/available").asBoolean()).as("PDF of %s stored", invoice.get("invoiceNumber")).isTrue();
                assertValidPdf(learnerId, invoice.get("invoiceId").asText(), invoice.get("invoiceNumber").asText());
            }
        }
        // A PDF asked for before the PDF worker stored it: fetched at once.
        String learner = learnerIds.get(1);
        JsonNode first = json(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices").path("learnerId", learner)
                .as(org, "staff", "u-staff"))).get("invoices").get(0);
        String unpaid = null;
        for (JsonNode i : json(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices").path("learnerId", learner)
                .as(org, "staff", "u-staff"))).get("invoices")) {
            if (i.get("status").asText().equals("AUTHORISED") && new BigDecimal(i.get("amountDue").asText()).compareTo(BigDecimal.ONE) > 0) {
                unpaid = i.get("invoiceId").asText();
            }
        }
        finance.pay(unpaid, money(1), LocalDate.of(2027, 3, 1));
        admin.deliverWebhooksNow();
        advance(PollCadence.ACTIVE.plus(SchedulePolls.SCHEDULE));
        pollDue();
        drain(settings.invoiceEventsQueueUrl(), invoiceWorker::handleRequest, new ArrayList<>());
        JsonNode changed = null;
        for (JsonNode i : json(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices").path("learnerId", learner)
                .as(org, "staff", "u-staff"))).get("invoices")) {
            if (i.get("invoiceId").asText().equals(unpaid)) {
                changed = i;
            }
        }
        assertThat(changed.at("/pdf/available").asBoolean()).isFalse();
        assertValidPdf(learner, unpaid, changed.get("invoiceNumber").asText());
        drainAll(Instant.now().plus(DEADLINE));

        // Another learner's invoice is not found, whichever way it is asked for.
        String other = learnerIds.get(2);
        assertThat(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf").path("learnerId", other)
                .path("invoiceId", first.get("invoiceId").asText()).asLearner(org, learner)).getStatusCode()).isEqualTo(404);
        assertThat(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf").path("learnerId", learner)
                .path("invoiceId", first.get("invoiceId").asText()).asLearner(org, other)).getStatusCode()).isEqualTo(404);
        assertThat(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices").path("learnerId", learner)
                .asLearner(org, other)).getStatusCode()).isEqualTo(404);
        assertThat(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf").path("learnerId", other)
                .path("invoiceId", first.get("invoiceId").asText()).as(org, "staff", "u-staff")).getStatusCode()).isEqualTo(404);
        assertThat(get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices").path("learnerId", learner)
                .as("another-org", "staff", "u-other")).getStatusCode()).isEqualTo(404);
    }

    private void assertValidPdf(String learnerId, String invoiceId, String invoiceNumber) throws Exception {
        APIGatewayV2HTTPResponse r = get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf")
                .path("learnerId", learnerId).path("invoiceId", invoiceId).asLearner(org, learnerId));
        assertThat(r.getStatusCode()).isEqualTo(302);
        URI link = URI.create(r.getHeaders().get("location"));
        // Asked for JSON (the console, which cannot read a redirect), the same link comes as {url}.
        APIGatewayV2HTTPResponse asJson = get(ApiEvents.route("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf")
                .path("learnerId", learnerId).path("invoiceId", invoiceId).header("accept", "application/json")
                .asLearner(org, learnerId));
        assertThat(asJson.getStatusCode()).isEqualTo(200);
        assertThat(URI.create(Json.MAPPER.readTree(asJson.getBody()).get("url").asText()).getPath()).isEqualTo(link.getPath());
        Map<String, String> query = new HashMap<>();
        for (String pair : link.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(Integer.parseInt(query.get("X-Amz-Expires"))).isBetween(1, 300);
        roles.presignedGet(link);
        HttpResponse<byte[]> pdf = http.send(HttpRequest.newBuilder(link).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        String text = new String(pdf.body(), StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("%PDF-").contains(invoiceNumber);
    }

    private void assertLogbookOncePerEvent(Scenario s) {
        DynamoLogbook logbook = new DynamoLogbook(aws.dynamoDb(), settings.tableName());
        JsonNode state = admin.state(tenant);
        for (var learner : s.contactsOfLearner().entrySet()) {
            List<LogEntry> entries = logbook.newestFirst(org, learner.getKey(), 1000);
            int invoices = 0;
            int payments = 0;
            for (JsonNode i : state.get("Invoices")) {
                if (learner.getValue().contains(i.at("/Contact/ContactID").asText())) {
                    invoices++;
                    payments += i.get("Payments").size();
                }
            }
            Function<String, Long> count = kind -> entries.stream().filter(e -> e.kind().equals(kind)).count();
            assertThat(count.apply("INVOICE_RAISED")).as("learner %s", learner.getKey()).isEqualTo(invoices);
            assertThat(count.apply("PAYMENT")).as("learner %s", learner.getKey()).isEqualTo(payments);
            assertThat(entries.stream().map(e -> e.kind() + e.xeroIds()).toList()).doesNotHaveDuplicates();
        }
        List<LogEntry> all = new ArrayList<>();
        s.contactsOfLearner().keySet().forEach(l -> all.addAll(logbook.newestFirst(org, l, 1000)));
        assertThat(all).extracting(LogEntry::kind).contains("INVOICE_RAISED", "PAYMENT", "CREDIT_NOTE", "PREPAYMENT",
                "OVERPAYMENT", "INVOICE_VOIDED", "INVOICE_PAID", "CONTACT_MERGED");
    }

    private void assertBadSignatureChangesNothing(Scenario s) throws Exception {
        String stored = storedInvoices();
        String invoiceId = s.othersInvoices().iterator().next();
        byte[] body = ("{\"events\":[{\"resourceUrl\":\"https://api.xero.com/api.xro/2.0/Invoices/" + invoiceId + "\",\"resourceId\":\""
                + invoiceId + "\",\"eventDateUtc\":\"2027-02-01T00:00:00.000\",\"eventType\":\"UPDATE\",\"eventCategory\":\"INVOICE\","
                + "\"tenantId\":\"" + tenant + "\",\"tenantType\":\"ORGANISATION\"}],\"firstEventSequence\":1,\"lastEventSequence\":1,"
                + "\"entropy\":\"ABCDEFGHIJ\"}").getBytes(StandardCharsets.UTF_8);
        for (String signature : List.of(WebhookSignature.sign(body, "not-the-key".getBytes(StandardCharsets.UTF_8)), "", "%%%")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(bridge.baseUri().resolve("/v1/xero/webhooks"))
                    .header("content-type", "application/json").header("x-xero-signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEmpty();
        }
        assertThat(inQueue(settings.invoiceEventsQueueUrl())).isZero();
        // Signed correctly and handed over base64-encoded, as API Gateway does with binary bodies: accepted.
        APIGatewayV2HTTPResponse accepted = new WebhookReceiverHandler(receiverRoot()).handleRequest(
                ApiEvents.route("POST /v1/xero/webhooks").header("x-xero-signature",
                        WebhookSignature.sign(body, WEBHOOK_KEY.getBytes(StandardCharsets.UTF_8)))
                        .body(java.util.Base64.getEncoder().encodeToString(body), true).build(), null);
        assertThat(accepted.getStatusCode()).isEqualTo(200);
        assertThat(accepted.getBody()).isNull();
        assertThat(inQueue(settings.invoiceEventsQueueUrl())).isEqualTo(1);
        drainAll(Instant.now().plus(DEADLINE));
        assertThat(storedInvoices()).as("an invoice of a contact no learner owns stays out").isEqualTo(stored);
    }

    // ------------------------------------------------------------------ helpers

    private static int webhookStat(String name) {
        return admin.stats().findValues(name).stream().mapToInt(JsonNode::asInt).sum();
    }

    private APIGatewayV2HTTPResponse get(ApiEvents event) {
        return api.handleRequest(event.build(), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return Json.MAPPER.readTree(r.getBody());
    }

    private String storedInvoices() {
        return scan("INVOICE#").stream().map(i -> i.get("sk").s() + i.get("invoiceJson").s() + i.get("learnerId").s())
                .sorted().collect(Collectors.joining("\n"));
    }

    private List<Map<String, AttributeValue>> scan(String skPrefix) {
        return aws.dynamoDb().scanPaginator(b -> b.tableName(settings.tableName()).consistentRead(true)).items().stream()
                .filter(i -> i.get("pk").s().equals("ORG#" + org) && i.get("sk").s().startsWith(skPrefix)).toList();
    }

    /** Connect -> Xero authorize (consenting to the tenant) -> callback, through the connection handlers. */
    private void connect() {
        admin.consent(List.of(tenant));
        ConnectionApiHandler connectApi = new ConnectionApiHandler(ConnectionRoot.of(settings, roles.clients("ConnectionApiFunction"),
                clock, Waiter.backoff()));
        OAuthCallbackHandler callback = new OAuthCallbackHandler(ConnectionRoot.callback(settings, roles.clients("OAuthCallbackFunction"),
                clock, Waiter.backoff()));
        APIGatewayV2HTTPResponse start = connectApi.handleRequest(ApiEvents.route("GET /v1/xero/connect")
                .query("returnTo", "https://lrm.example.org/settings").as(org, "admin", "u-admin").build(), null);
        assertThat(start.getStatusCode()).isEqualTo(302);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(start.getHeaders().get("location"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            URI back = URI.create(r.headers().firstValue("location").orElseThrow());
            ApiEvents event = ApiEvents.route("GET /v1/xero/callback").cookiesFrom(start);
            for (String pair : back.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                event.query(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            APIGatewayV2HTTPResponse done = callback.handleRequest(event.build(), null);
            assertThat(done.getHeaders().get("location")).contains("xero=connected");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The invoice functions' root as {@code functionId} builds it, under its role. */
    private static InvoiceRoot invoiceRoot(String functionId) {
        return InvoiceRoot.of(settings, roles.clients(functionId), clock, IntegrationRig.SPIN);
    }

    /** The webhook receiver's root: its own settings (its webhook key secret) and role. */
    private static InvoiceRoot receiverRoot() {
        return InvoiceRoot.of(receiver, roles.clients("WebhookReceiverFunction"), clock, IntegrationRig.SPIN);
    }
}
