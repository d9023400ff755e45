package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.DynamoLogbook;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.app.invoice.StoredInvoice;
import org.lrm.xero.app.learner.LearnerStore;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.resync.ResyncSteps;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.FinanceYear;
import org.lrm.xero.testing.HttpApiBridge;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.SqsEvents;
import org.lrm.xero.testing.WorkerRig;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Re-sync end to end against the Xero sandbox and moto: the API starts a job, the page worker
 * runs it off the real resync-pages queue one message at a time (so that progress can be read
 * between messages), ResyncCompleted reaches a queue through an EventBridge rule; the nightly
 * schedule catches a change whose webhook Xero dropped.
 */
@ExtendWith(AwsEmulator.class)
class ResyncIT {

    /**
     * The scale: a year of 10,000 invoices over 3,000 learners (about three minutes in
     * moto, most of it finance's year being set up).
     */
    private static final int LEARNERS = Integer.getInteger("resync.learners", 3_000);
    private static final int INVOICES = Integer.getInteger("resync.invoices", 10_000);
    /** Lambda runs up to five page workers at once (the template's maximum concurrency). */
    private static final int PAGE_WORKERS = 3;
    private static final Duration JOB_DEADLINE = Duration.ofMinutes(Integer.getInteger("resync.deadlineMinutes", 10));
    private static final DeferralPolicy TEST_TIME = new DeferralPolicy(Duration.ofHours(12), Duration.ZERO, 3);

    private IntegrationRig rig;
    private HttpApiBridge bridge;
    private String org;
    private String tenant;
    private ResyncApiHandler api;
    private ResyncPageWorker pageWorker;
    private Settings settings;
    private LearnerStore learners;
    private FinanceDesk finance;

    private void start(boolean webhooks) {
        start(webhooks, null);
    }

    private void start(boolean webhooks, Integer dayLimit) {
        rig = IntegrationRig.start();
        settings = rig.settings("ResyncPageWorkerFunction");
        if (webhooks) {
            bridge = HttpApiBridge.start().route("POST /v1/xero/webhooks",
                    new WebhookReceiverHandler(rig.root("WebhookReceiverFunction", InvoiceRoot::of)));
            // Registered again with a webhook: Xero's Intent to Receive runs against the receiver.
            JsonNode app = rig.registerWebhook(bridge.baseUri() + "/v1/xero/webhooks");
            assertThat(app.toString()).as("Intent to Receive").contains("PASSED");
        }
        org = "org-" + UUID.randomUUID();
        tenant = rig.connect(org, "College " + org.substring(4, 10), dayLimit);
        api = new ResyncApiHandler(rig.root("ResyncApiFunction", ResyncRoot::of));
        pageWorker = new ResyncPageWorker(rig.root("ResyncPageWorkerFunction", ResyncRoot::of), TEST_TIME);
        learners = new DynamoLearnerStore(rig.aws.dynamoDb(), settings.tableName());
        finance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenant), tenant);
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    // ------------------------------------------------------------------ the "done when" scenarios

    @Test
    void aYearOfInvoicesIsReSyncedPageByPageInFewXeroCalls() throws Exception {
        start(false);
        // The LRM's rule: ResyncCompleted events to its queue.
        String completedEvents = rig.eventsToQueue("lrm-resync-completed",
                "{\"source\":[\"lrm.xero-integration\"],\"detail-type\":[\"ResyncCompleted\"]}");
        LocalDate today = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC);
        LocalDate from = today.minusYears(1).plusDays(1);
        FinanceYear.Year year = FinanceYear.raise(finance, learners, org, rig.clock, from, today, LEARNERS, INVOICES);

        APIGatewayV2HTTPResponse started = post(body(from, today, true, false), "admin");
        assertThat(started.getStatusCode()).as(started.getBody()).isEqualTo(202);
        String jobId = json(started).get("jobId").asText();
        APIGatewayV2HTTPResponse second = post(body(from, today, true, false), "admin");
        assertThat(second.getStatusCode()).isEqualTo(409);
        assertThat(second.getHeaders().get("content-type")).startsWith("application/problem+json");
        assertThat(json(second).get("runningJobId").asText()).isEqualTo(jobId);
        assertThat(job(jobId).get("state").asText()).isEqualTo("QUEUED");

        long callsBefore = appCalls();
        long began = System.nanoTime();
        List<JsonNode> progress = runJob(jobId);
        double seconds = (System.nanoTime() - began) / 1e9;
        long calls = appCalls() - callsBefore;
        System.out.printf("re-sync of %d invoices: %d Xero calls %s, %.1f s%n", INVOICES, calls,
                rig.admin.stats().at("/tenants/" + tenant + "/appCallsByEndpoint"), seconds);

        // Progress was visible while it ran: RUNNING, counts growing, an ETA.
        List<JsonNode> running = progress.stream().filter(p -> p.get("state").asText().equals("RUNNING")).toList();
        assertThat(running).isNotEmpty();
        assertThat(running).allSatisfy(p -> assertThat(p.get("eta").asText()).isNotBlank());
        assertThat(running.stream().map(p -> p.at("/counts/invoices").asLong()).distinct().count()).isGreaterThan(2);
        assertThat(progress).allSatisfy(p -> assertThat(p.at("/counts/invoices").asLong()).isBetween(0L, INVOICES + 1L));

        JsonNode done = job(jobId);
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.at("/counts/invoices").asLong()).isEqualTo(INVOICES + 1);
        assertThat(done.at("/counts/pdfs").asLong()).isEqualTo(INVOICES + 1);
        assertThat(done.at("/counts/failed").asLong()).isZero();
        assertThat(done.at("/pages/done").asInt()).isEqualTo(done.at("/pages/total").asInt());
        assertThat(calls).as("Xero calls for the records").isLessThanOrEqualTo(40);

        assertThat(FinanceYear.differences(year, rig.admin.state(tenant),
                new DynamoInvoiceStore(rig.aws.dynamoDb(), settings.tableName()))).as("records unlike Xero's").isEmpty();
        assertThat(WorkerRig.pdfsNamed(rig.aws.sqs(), settings.pdfFetchQueueUrl())).as("PDFs queued").isEqualTo(INVOICES + 1);
        assertThat(inQueue(settings.pdfFetchQueueUrl())).as("PDF messages, 25 PDFs to one, a page's to its own")
                .isBetween((INVOICES + 1 + 24) / 25, (INVOICES + 1 + 24) / 25 + (INVOICES + 1 + 99) / 100);

        JsonNode event = completedEvent(completedEvents);
        assertThat(event.get("detail-type").asText()).isEqualTo("ResyncCompleted");
        assertThat(event.get("source").asText()).isEqualTo("lrm.xero-integration");
        assertThat(event.at("/detail/jobId").asText()).isEqualTo(jobId);
        assertThat(event.at("/detail/orgId").asText()).isEqualTo(org);
        assertThat(event.at("/detail/state").asText()).isEqualTo("DONE");
        assertThat(event.at("/detail/counts/invoices").asLong()).isEqualTo(INVOICES + 1);
        List<LogEntry> orgLog = new DynamoLogbook(rig.aws.dynamoDb(), settings.tableName())
                .newestFirst(org, ResyncSteps.ORG_LOGBOOK, 5);
        assertThat(orgLog).anySatisfy(e -> assertThat(e.kind()).isEqualTo("RESYNC_DONE"));

        // Done, the organisation may re-sync again; nothing changed, so nothing is counted.
        APIGatewayV2HTTPResponse again = post(body(today.minusDays(7), today, true, false), "admin");
        assertThat(again.getStatusCode()).as(again.getBody()).isEqualTo(202);
    }

    @Test
    void aReSyncOfARangeAlreadyCurrentSaysHowManyRecordsItChecked() throws Exception {
        start(false);
        String completedEvents = rig.eventsToQueue("lrm-resync-checked",
                "{\"source\":[\"lrm.xero-integration\"],\"detail-type\":[\"ResyncCompleted\"]}");
        LocalDate today = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC);
        String contact = finance.createContacts(List.of("Ana Current W902")).get(0);
        learners.save(org, List.of(new Learner("L-current", "W902", "Ana", "Current", null, null, null, true, List.of())),
                Map.of("L-current", SyncState.PENDING), rig.clock.instant());
        learners.recordSynced(org, "L-current", contact, "Ana Current W902", "W902", "fp", rig.clock.instant());
        String walkIn = finance.createContacts(List.of("Walk-in customer")).get(0);
        String paid = finance.raiseInvoice(contact, "C1", money(300), today.minusDays(9), today.plusDays(21));
        finance.raiseInvoice(contact, "C2", money(450), today.minusDays(8), today.plusDays(22));
        String credited = finance.raiseInvoice(contact, "C3", money(120), today.minusDays(7), today.plusDays(23));
        finance.raiseInvoice(walkIn, "C4", money(99), today.minusDays(6), today.plusDays(24));
        finance.pay(paid, money(300), today.minusDays(5));
        String creditNote = finance.creditNote(contact, money(20), today.minusDays(4));
        finance.allocateCreditNote(creditNote, credited, money(20), today.minusDays(4));

        String first = json(post(body(today.minusDays(30), today, true, false), "admin")).get("jobId").asText();
        runJob(first);
        assertThat(job(first).at("/counts/invoices").asLong()).as("the first re-sync brings the invoices in").isEqualTo(3);
        completedEvent(completedEvents);
        rig.advance(Duration.ofMinutes(1));

        String second = json(post(body(today.minusDays(30), today, true, false), "admin")).get("jobId").asText();
        runJob(second);
        JsonNode done = job(second);
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.at("/counts/invoices").asLong()).as("nothing changed").isZero();
        assertThat(done.at("/counts/pdfs").asLong()).isZero();
        // Checked: the range's 4 invoices (the walk-in customer's too), its payment and credit note, and the
        // learner's 3 invoices whose stored versions (and with them their PDFs) were found current.
        assertThat(done.at("/checked/invoices").asLong()).isEqualTo(4);
        assertThat(done.at("/checked/payments").asLong()).isEqualTo(1);
        assertThat(done.at("/checked/creditNotes").asLong()).isEqualTo(1);
        assertThat(done.at("/checked/prepayments").asLong()).isZero();
        assertThat(done.at("/checked/pdfs").asLong()).isEqualTo(3);
        assertThat(done.at("/checked/learners").asLong()).as("learners were not part of this re-sync").isZero();

        JsonNode event = completedEvent(completedEvents);
        assertThat(event.at("/detail/jobId").asText()).isEqualTo(second);
        assertThat(event.at("/detail/counts/invoices").asLong()).isZero();
        assertThat(event.at("/detail/checked/invoices").asLong()).isEqualTo(4);
        assertThat(event.at("/detail/checked/creditNotes").asLong()).isEqualTo(1);
        List<LogEntry> orgLog = new DynamoLogbook(rig.aws.dynamoDb(), settings.tableName())
                .newestFirst(org, ResyncSteps.ORG_LOGBOOK, 1);
        assertThat(orgLog.get(0).summary()).contains("0 invoice records updated of 4 invoices checked");

        // The history lists both, newest first, each as GET /v1/xero/resync/{jobId} shows it.
        APIGatewayV2HTTPResponse listed = api.handleRequest(ApiEvents.route("GET /v1/xero/resync").as(org, "staff", "u-staff")
                .build(), null);
        assertThat(listed.getStatusCode()).as(listed.getBody()).isEqualTo(200);
        JsonNode jobs = json(listed).get("jobs");
        assertThat(jobs).extracting(j -> j.get("jobId").asText()).containsExactly(second, first);
        assertThat(jobs.get(0)).isEqualTo(done);
        assertThat(api.handleRequest(ApiEvents.route("GET /v1/xero/resync").query("limit", "1").as(org, "staff", "u-staff")
                .build(), null).getBody()).contains(second).doesNotContain(first);
        assertThat(api.handleRequest(ApiEvents.route("GET /v1/xero/resync").as("org-elsewhere", "staff", "u-other")
                .build(), null).getBody()).isEqualTo("{\"jobs\":[]}");
        assertThat(api.handleRequest(ApiEvents.route("GET /v1/xero/resync").query("limit", "0").as(org, "staff", "u-staff")
                .build(), null).getStatusCode()).isEqualTo(400);
        assertThat(api.handleRequest(ApiEvents.route("GET /v1/xero/resync").asLearner(org, "L-current").build(), null)
                .getStatusCode()).isEqualTo(403);
    }

    @Test
    void badRequestsGetProblemJsonAndStartNothing() {
        start(false);
        LocalDate today = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC);
        assertProblem(post("{\"from\":\"2026-02-30\",\"to\":\"" + today + "\"}", "admin"), 400, "from");
        assertProblem(post("{\"from\":\"01/02/2026\",\"to\":\"" + today + "\"}", "admin"), 400, "from");
        assertProblem(post(body(today, today.minusDays(1), true, false), "admin"), 400, "from");
        assertProblem(post(body(today, today.plusDays(1), true, false), "admin"), 400, "to");
        assertProblem(post(body(today.minusYears(5).minusDays(1), today, true, false), "admin"), 400, "from");
        assertProblem(post("{\"to\":\"" + today + "\"}", "admin"), 400, "from");
        assertProblem(post("{\"from\":\"" + today + "\",\"to\":\"" + today + "\",\"everything\":true}", "admin"), 400, "everything");
        assertProblem(post(body(today, today, false, false), "admin"), 400, "invoices");
        assertThat(post(body(today, today, true, false), "staff").getStatusCode()).isEqualTo(403);
        assertThat(api.handleRequest(ApiEvents.route("POST /v1/xero/resync").json(body(today, today, true, false))
                .as("org-never-connected", "admin", "u-admin").build(), null).getStatusCode()).isEqualTo(409);
        assertThat(get("resync-" + UUID.randomUUID(), "staff").getStatusCode()).isEqualTo(404);
        assertThat(inQueue(settings.resyncPagesQueueUrl())).isZero();
        // A five-year range is fine, and the job is someone else's business in another organisation.
        APIGatewayV2HTTPResponse ok = post(body(today.minusYears(5), today, true, true), "admin");
        assertThat(ok.getStatusCode()).isEqualTo(202);
        assertThat(api.handleRequest(ApiEvents.route("GET /v1/xero/resync/{jobId}").path("jobId", json(ok).get("jobId").asText())
                .as("another-org", "staff", "u-other").build(), null).getStatusCode()).isEqualTo(404);
    }

    @Test
    void aDroppedWebhookIsCaughtByTheNightlyRun() throws Exception {
        start(true);
        InvoiceWorker invoiceWorker = new InvoiceWorker(rig.root("InvoiceWorkerFunction", InvoiceRoot::of), TEST_TIME);
        WorkerRig invoices = new WorkerRig(rig.aws.sqs(), settings.invoiceEventsQueueUrl(),
                e -> invoiceWorker.handleRequest(e, null), rig.admin, rig.clock, 1);
        NightlySyncHandler nightly = new NightlySyncHandler(rig.root("NightlySyncFunction", ResyncRoot::of));
        String learner = "L-night";
        String contact = finance.createContacts(List.of("Ana Night W900")).get(0);
        learners.save(org, List.of(new Learner(learner, "W900", "Ana", "Night", null, null, null, true, List.of())),
                Map.of(learner, SyncState.PENDING), rig.clock.instant());
        learners.recordSynced(org, learner, contact, "Ana Night W900", "W900", "fp", rig.clock.instant());
        LocalDate day = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC).minusDays(3);

        // Delivered as usual: the first invoice reaches the learner by its webhook.
        String first = finance.raiseInvoice(contact, "N1", money(900), day, day.plusDays(30));
        rig.admin.deliverWebhooksNow();
        drain(invoices);
        assertThat(stored(learner)).containsOnlyKeys(first);
        // A first night sets the watermark.
        nightly.handleRequest(new ScheduledEvent(), null);
        drainPages();
        rig.advance(Duration.ofHours(20));
        finance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenant), tenant); // the next day's sign-in

        // Xero drops the webhooks of the next changes.
        rig.admin.setFaults(Map.of("dropWebhookRate", 1.0));
        finance.pay(first, money(250.55), day.plusDays(1));
        String second = finance.raiseInvoice(contact, "N2", money(1234.56), day.plusDays(2), day.plusDays(32));
        rig.admin.deliverWebhooksNow();
        rig.admin.clearFaults();
        drain(invoices);
        assertThat(rig.admin.stats().toString()).contains("eventsDropped");
        assertThat(stored(learner)).containsOnlyKeys(first);
        assertThat(stored(learner).get(first).amountPaid()).isEqualByComparingTo("0");

        rig.advance(Duration.ofHours(4));
        nightly.handleRequest(new ScheduledEvent(), null);
        drainPages();

        Map<String, org.lrm.xero.domain.invoice.LearnerInvoice> after = stored(learner);
        assertThat(after).containsOnlyKeys(first, second);
        assertThat(after.get(first).amountPaid()).isEqualByComparingTo("250.55");
        assertThat(after.get(first).amountDue()).isEqualByComparingTo("649.45");
        assertThat(after.get(second).total()).isEqualByComparingTo("1234.56");
        List<LogEntry> orgLog = new DynamoLogbook(rig.aws.dynamoDb(), settings.tableName())
                .newestFirst(org, ResyncSteps.ORG_LOGBOOK, 5);
        assertThat(orgLog).filteredOn(e -> e.kind().equals("RESYNC_DONE")).hasSize(2);
        assertThat(orgLog.get(0).summary()).startsWith("Nightly sync since");
    }

    @Test
    void whenTheDaysBudgetRunsOutTheJobWaitsForXerosLimitAndFinishesAfter() throws Exception {
        start(false, 3); // Xero's day: 3 calls, of which bulk work may use 2
        LocalDate today = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC);
        String contact = finance.createContacts(List.of("Ana Budget W901")).get(0);
        learners.save(org, List.of(new Learner("L-budget", "W901", "Ana", "Budget", null, null, null, true, List.of())),
                Map.of("L-budget", SyncState.PENDING), rig.clock.instant());
        learners.recordSynced(org, "L-budget", contact, "Ana Budget W901", "W901", "fp", rig.clock.instant());
        String invoice = finance.raiseInvoice(contact, "B1", money(77.70), today.minusDays(2), today.plusDays(28));
        String jobId = json(post(body(today.minusMonths(1), today, true, false), "admin")).get("jobId").asText();

        List<JsonNode> progress = runJob(jobId);

        JsonNode waited = progress.stream().filter(p -> p.get("state").asText().equals("WAITING_FOR_XERO_LIMIT"))
                .findFirst().orElseThrow(() -> new AssertionError("never waited: " + progress));
        Instant resumesAt = Instant.parse(waited.get("resumesAt").asText());
        assertThat(resumesAt).isAfter(Instant.parse(waited.get("createdAt").asText()).plus(Duration.ofHours(20)));
        assertThat(Instant.parse(waited.get("eta").asText())).isAfterOrEqualTo(resumesAt);
        JsonNode done = job(jobId);
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.has("resumesAt")).isFalse();
        assertThat(stored("L-budget")).containsOnlyKeys(invoice);
    }

    // ------------------------------------------------------------------ running the functions

    /**
     * Runs the page worker as Lambda would, {@link #PAGE_WORKERS} messages at once, one message per
     * invocation (the template's batch size), reading the job after each, until the job ends.
     */
    private List<JsonNode> runJob(String jobId) throws Exception {
        List<JsonNode> progress = java.util.Collections.synchronizedList(new ArrayList<>());
        Instant deadline = Instant.now().plus(JOB_DEADLINE);
        SqsQueue sqs = new SqsQueue(rig.aws.sqs());
        List<String> waiting = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.Semaphore idle = new java.util.concurrent.Semaphore(PAGE_WORKERS);
        ExecutorService pool = Executors.newFixedThreadPool(PAGE_WORKERS);
        try {
            while (Instant.now().isBefore(deadline)) {
                JsonNode last = progress.isEmpty() ? null : progress.get(progress.size() - 1);
                if (last != null && last.has("resumesAt")
                        && Instant.parse(last.get("resumesAt").asText()).isAfter(rig.clock.instant())) {
                    // Parked for Xero's limit: the day passes (both clocks), and the waiting copies come back.
                    rig.advance(Duration.between(rig.clock.instant(), Instant.parse(last.get("resumesAt").asText()))
                            .plusSeconds(61));
                    progress.add(job(jobId));
                }
                List<Message> batch;
                synchronized (this) {
                    batch = sqs.receive(settings.resyncPagesQueueUrl(), 1, 600, 0);
                }
                if (batch.isEmpty()) {
                    JsonNode job = job(jobId);
                    if (job.get("state").asText().equals("DONE") || job.get("state").asText().equals("FAILED")) {
                        progress.add(job);
                        return new ArrayList<>(progress);
                    }
                    if (idle.availablePermits() < PAGE_WORKERS) {
                        // Steps still running may queue more: wait (with a bound) until they end.
                        if (idle.tryAcquire(PAGE_WORKERS, 5, java.util.concurrent.TimeUnit.SECONDS)) {
                            idle.release(PAGE_WORKERS);
                        }
                        continue;
                    }
                    assertThat(new ArrayList<>(waiting)).as("the queue is empty but job %s is %s", jobId, job).isNotEmpty();
                    rig.advance(Duration.ofSeconds(61));
                    new ArrayList<>(waiting).forEach(r -> release(settings.resyncPagesQueueUrl(), r));
                    waiting.clear();
                    continue;
                }
                idle.acquire();
                List<Message> taken = batch;
                pool.submit(() -> {
                    try {
                        SQSBatchResponse response = pageWorker.handleRequest(SqsEvents.of(taken), null);
                        Set<String> failed = response.getBatchItemFailures().stream()
                                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
                        for (Message m : taken) {
                            if (failed.contains(m.messageId())) {
                                waiting.add(m.receiptHandle());
                            } else {
                                sqs.delete(settings.resyncPagesQueueUrl(), m.receiptHandle());
                            }
                        }
                        progress.add(job(jobId));
                    } finally {
                        idle.release();
                    }
                });
            }
        } finally {
            pool.shutdownNow();
        }
        throw new AssertionError("job " + jobId + " did not end in time: " + job(jobId));
    }

    private void drainPages() throws Exception {
        WorkerRig pages = new WorkerRig(rig.aws.sqs(), settings.resyncPagesQueueUrl(), e -> pageWorker.handleRequest(e, null),
                rig.admin, rig.clock, 1);
        drain(pages);
    }

    private void drain(WorkerRig worker) throws Exception {
        for (int i = 0; i < 20; i++) {
            worker.pass();
            if (worker.inQueue(settings.resyncPagesQueueUrl()) == 0 && worker.inQueue(settings.invoiceEventsQueueUrl()) == 0) {
                return;
            }
            worker.advance(Duration.ofSeconds(61));
        }
        throw new AssertionError("work did not drain");
    }

    private Map<String, org.lrm.xero.domain.invoice.LearnerInvoice> stored(String learnerId) {
        return new DynamoInvoiceStore(rig.aws.dynamoDb(), settings.tableName()).ofLearner(org, learnerId).stream()
                .collect(Collectors.toMap(s -> s.invoice().invoiceId(), StoredInvoice::invoice));
    }

    private long appCalls() {
        return rig.admin.stats().at("/tenants/" + tenant + "/appCalls").asLong();
    }

    // ------------------------------------------------------------------ the API

    private APIGatewayV2HTTPResponse post(String body, String role) {
        return api.handleRequest(ApiEvents.route("POST /v1/xero/resync").json(body).as(org, role, "u-" + role).build(), null);
    }

    private APIGatewayV2HTTPResponse get(String jobId, String role) {
        return api.handleRequest(ApiEvents.route("GET /v1/xero/resync/{jobId}").path("jobId", jobId).as(org, role, "u-" + role)
                .build(), null);
    }

    private JsonNode job(String jobId) {
        APIGatewayV2HTTPResponse r = get(jobId, "staff");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return json(r);
    }

    private static String body(LocalDate from, LocalDate to, boolean invoices, boolean learners) {
        return "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"invoices\":" + invoices + ",\"learners\":" + learners + "}";
    }

    private static void assertProblem(APIGatewayV2HTTPResponse r, int status, String field) {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        assertThat(r.getHeaders().get("content-type")).startsWith("application/problem+json");
        JsonNode problem = json(r);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("errors").findValuesAsText("field")).contains(field);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r) {
        try {
            return Json.MAPPER.readTree(r.getBody());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.getBody(), e);
        }
    }

    // ------------------------------------------------------------------ AWS plumbing

    private JsonNode completedEvent(String queueUrl) throws Exception {
        SqsQueue sqs = new SqsQueue(rig.aws.sqs());
        List<Message> events = sqs.receive(queueUrl, 10, 30, 0);
        assertThat(events).hasSize(1);
        sqs.delete(queueUrl, events.get(0).receiptHandle()); // read once: a later job's event is the next one
        return Json.MAPPER.readTree(events.get(0).body());
    }

    private int inQueue(String url) {
        return WorkerRig.inQueue(rig.aws.sqs(), url);
    }

    private void release(String queueUrl, String receipt) {
        try {
            rig.aws.sqs().changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receipt).visibilityTimeout(0));
        } catch (RuntimeException goneSince) {
            // deleted or received again since
        }
    }

    private static BigDecimal money(double amount) {
        return FinanceYear.money(amount);
    }
}
