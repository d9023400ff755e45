package org.lrm.xero.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.adapter.aws.SqsWorker;
import org.lrm.xero.app.invoice.InvoicePdfs;
import org.lrm.xero.app.invoice.InvoiceUpdates;
import org.lrm.xero.app.invoice.StoredInvoice;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.invoice.PdfPrefetchOrder;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.handler.InvoiceApiHandler;
import org.lrm.xero.handler.InvoiceRoot;
import org.lrm.xero.handler.InvoiceWorker;
import org.lrm.xero.handler.LearnerApiHandler;
import org.lrm.xero.handler.LearnerRoot;
import org.lrm.xero.handler.LearnerSyncWorker;
import org.lrm.xero.handler.ResyncApiHandler;
import org.lrm.xero.handler.ResyncPageWorker;
import org.lrm.xero.handler.ResyncRoot;
import org.lrm.xero.handler.ScheduledWorker;
import org.lrm.xero.handler.Settings;
import org.lrm.xero.handler.TransactionPollHandler;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.FinanceYear;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.OrgInvoices;
import org.lrm.xero.testing.SqsEvents;
import org.lrm.xero.testing.WorkerRig;

/**
 * Many organisations on one stack (issue 22): organisations connected to the sandbox, every Xero call
 * taking {@link #LATENCY_MS} of real time as Xero's do.
 *
 * <ul>
 *   <li>The noisy neighbour: one organisation re-syncs a year of invoices (its PDFs queued for prefetch) while
 *       others each save a learner and open a PDF, and people of the big organisation open its PDFs; run in real
 *       time (the clocks tick with the wall clock), twice: with PDF prefetch as it was (the whole minute and every
 *       slot of the organisation's budget) and as it is (spare budget only).</li>
 *   <li>Polling: every organisation left idle until its poll has backed off, then payments made in Xero in half of
 *       them at random minutes; the other half stay idle and their polls are counted. The sandbox clock moves a
 *       minute at a time (the schedule's rate), the work itself runs in real time.</li>
 * </ul>
 */
final class OrgsBench {

    static final long LATENCY_MS = 300;
    /** How the sandbox counts a PDF fetch (the re-sync reads invoices only as lists). */
    private static final String PDF_ENDPOINT = "GET /Invoices/{id}";
    /** Lambda's concurrent instances of the scheduled-work worker, as the rig plays them. */
    static final int POLL_WORKERS = 16;
    /** Each worker's concurrent instances in the noisy neighbour: the template's MaximumConcurrency of its queue. */
    static final int INSTANCES = 5;
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration WARM_UP_STEP = Duration.ofMinutes(3);
    private static final BigDecimal AMOUNT = new BigDecimal("300.00");
    private static final BigDecimal PART = new BigDecimal("100.00");

    /** One small organisation: a learner whose contact is in Xero, and invoices stored without their PDFs. */
    record Org(String orgId, String tenantId, String contactId, List<String> invoiceIds) {
    }

    /** Times measured for a set of requests: real seconds each; failures answered other than 2xx/3xx. */
    record Times(List<Double> seconds, int failures) {
        double p(double q) {
            return Percentiles.of(seconds, q);
        }

        double max() {
            return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    /** One window of the noisy neighbour. */
    record Neighbour(String prefetch, Times toSynced, Times toPdfLink, Times bigOrgPdf, long bigOrgPdfCalls,
            List<String> prefetchOrder, long resyncRecordCalls, boolean resyncDone, double windowSeconds) {
    }

    /** The polling run. */
    /**
     * @param pollSeconds real seconds the scheduled-work worker spent on the measured polls (Lambda's billed time)
     * @param scheduleMaxSeconds the schedule's longest run (it reads every connection and plan each minute)
     */
    record Polling(int idleOrgs, double minutes, long idlePollCalls, JsonNode idleCallsByEndpoint, List<Double> lagIdleMinutes,
            List<Double> lagActiveMinutes, int paymentsNotSeen, int polls, double pollSeconds, long pollCalls, long payingCalls,
            int payingOrgs,
            double scheduleMaxSeconds, double scheduleMeanSeconds, int organisations, int warmUpMinutes) {
        double idleCallsPerOrgPerDay() {
            return idlePollCalls / (double) idleOrgs * (24 * 60) / minutes;
        }

        double payingCallsPerOrgPerDay() {
            return payingCalls / (double) payingOrgs * (24 * 60) / minutes;
        }

        double secondsPerPoll() {
            return polls == 0 ? Double.NaN : pollSeconds / polls;
        }

        /** Xero calls a poll made (the transaction lists it reads). */
        double callsPerPoll() {
            return polls == 0 ? Double.NaN : pollCalls / (double) polls;
        }
    }

    private final IntegrationRig rig;
    private final Settings settings;
    private final InvoiceUpdates updates;
    private final DynamoInvoiceStore invoices;
    private final DynamoLearnerStore learners;
    private final LearnerApiHandler learnerApi;
    private final InvoiceApiHandler invoiceApi;
    private final Random random = new Random(22);

    OrgsBench(IntegrationRig rig) {
        this.rig = rig;
        this.settings = rig.settings("InvoiceWorkerFunction");
        this.updates = rig.root("InvoiceWorkerFunction", InvoiceRoot::of).updates();
        this.invoices = new DynamoInvoiceStore(rig.aws.dynamoDb(), settings.tableName());
        this.learners = new DynamoLearnerStore(rig.aws.dynamoDb(), settings.tableName());
        this.learnerApi = new LearnerApiHandler(rig.root("LearnerApiFunction", LearnerRoot::of));
        this.invoiceApi = new InvoiceApiHandler(rig.root("InvoiceApiFunction", InvoiceRoot::of));
    }

    // ---- setup -----------------------------------------------------------------------------------

    /** {@code count} organisations, each with a learner in Xero and {@code invoicesEach} invoices stored, no PDF fetched. */
    List<Org> connect(int count, int invoicesEach) throws Exception {
        List<Org> orgs = Collections.synchronizedList(new ArrayList<>());
        LocalDate today = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC);
        // Connected one at a time: the sandbox's consent is one admin's browser.
        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tenants.add(rig.connect("org-many-" + i, "Many College " + i, 5_000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    String orgId = "org-many-" + n;
                    String tenantId = tenants.get(n);
                    FinanceDesk finance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenantId), tenantId);
                    String contactId = FinanceYear.learnersInXero(finance, learners, orgId, rig.clock, 1).get(0);
                    List<String> raised = new ArrayList<>();
                    for (int k = 0; k < invoicesEach; k++) {
                        raised.add(finance.raiseInvoice(contactId, "M" + n + "-" + k, AMOUNT, today.minusDays(5 + k), today.plusDays(25)));
                    }
                    updates.refresh(new XeroTenant(orgId, tenantId), Priority.BULK, raised);
                    orgs.add(new Org(orgId, tenantId, contactId, raised));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        rig.aws.sqs().purgeQueue(b -> b.queueUrl(settings.pdfFetchQueueUrl()));
        orgs.sort((a, b) -> Integer.compare(number(a.orgId()), number(b.orgId())));
        return orgs;
    }

    private static int number(String orgId) {
        return Integer.parseInt(orgId.substring(orgId.lastIndexOf('-') + 1));
    }

    void latency(long ms) {
        rig.admin.setFaults(Map.of("latencyMs", ms));
    }

    // ---- the noisy neighbour ---------------------------------------------------------------------

    /** The big organisation's year in Xero; returns its org id, tenant, the year's first and last day and the records it holds. */
    String[] bigOrganisation(int learnerCount, int invoiceCount) throws Exception {
        String org = "org-many-big";
        String tenant = rig.connect(org, "Big Training Co", 5_000);
        FinanceDesk finance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenant), tenant);
        LocalDate today = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC);
        FinanceYear.Year year = FinanceYear.raise(finance, learners, org, rig.clock, today.minusYears(1).plusDays(1), today,
                learnerCount, invoiceCount);
        return new String[] {org, tenant, today.minusYears(1).plusDays(1).toString(), today.toString(),
                String.valueOf(year.expected().size())};
    }

    /**
     * One window of real time in which the big organisation's re-sync and PDF prefetch run while each small
     * organisation saves a learner (time to SYNCED) and opens one PDF not fetched yet (time to the link), and
     * people of the big organisation open its PDFs. The clocks tick with the wall clock.
     *
     * @param todaysPrefetch PDF prefetch as it was: the organisation's whole minute and every slot, one PDF a message;
     *     otherwise as deployed: spare budget only, {@link InvoicePdfs#PDFS_PER_MESSAGE} PDFs a message. A window that
     *     does not start the re-sync first queues the PDFs a re-sync left unfetched again, as that design queues them.
     */
    Neighbour noisyNeighbour(String[] big, List<Org> small, int invoiceIndex, String learnerId, boolean todaysPrefetch,
            boolean startResync, Duration window) throws Exception {
        String bigOrg = big[0];
        int pdfsPerMessage = todaysPrefetch ? 1 : InvoicePdfs.PDFS_PER_MESSAGE;
        if (!startResync) {
            requeueUnfetched(bigOrg, big[1], pdfsPerMessage);
        }
        // A fresh minute for both windows.
        rig.advance(Duration.ofMinutes(2));
        long bigCallsBefore = tenantCalls(big[1], PDF_ENDPOINT);
        long recordCallsBefore = tenantCalls(big[1], null) - bigCallsBefore;
        String jobId = null;
        if (startResync) {
            ResyncApiHandler api = new ResyncApiHandler(rig.root("ResyncApiFunction", ResyncRoot::of));
            APIGatewayV2HTTPResponse r = api.handleRequest(ApiEvents.route("POST /v1/xero/resync")
                    .json("{\"from\":\"" + big[2] + "\",\"to\":\"" + big[3] + "\",\"invoices\":true,\"learners\":false}")
                    .as(bigOrg, "admin", "u-admin").build(), null);
            if (r.getStatusCode() != 202) {
                throw new IllegalStateException("re-sync not started: " + r.getBody());
            }
            jobId = Json.MAPPER.readTree(r.getBody()).get("jobId").asText();
        }
        // In real time, SQS's delays and visibility timeouts are the waits themselves: the deployed deferral policy.
        Map<String, String> pageEnv = new HashMap<>(rig.environment("ResyncPageWorkerFunction"));
        pageEnv.put("PDFS_PER_MESSAGE", String.valueOf(pdfsPerMessage));
        ResyncPageWorker pageWorker = new ResyncPageWorker(ResyncRoot.of(Settings.from(pageEnv),
                rig.clientsOf("ResyncPageWorkerFunction"), rig.clock, IntegrationRig.SPIN), DeferralPolicy.standard());
        List<String> prefetchOrder = Collections.synchronizedList(new ArrayList<>());
        LearnerSyncWorker syncWorker = new LearnerSyncWorker(rig.root("LearnerSyncWorkerFunction", LearnerRoot::of), DeferralPolicy.standard());

        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<?>> loops = new ArrayList<>();
        long start = System.nanoTime();
        // The clocks tick with the wall clock: Xero's minute passes as it would.
        loops.add(pool.submit(() -> {
            long ticked = 0;
            while (running.get()) {
                Thread.sleep(250);
                long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
                if (elapsed > ticked) {
                    rig.advance(Duration.ofSeconds(elapsed - ticked));
                    ticked = elapsed;
                }
            }
            return null;
        }));
        loops.addAll(consume(pool, settings.resyncPagesQueueUrl(), e -> pageWorker.handleRequest(e, null), 1, INSTANCES, running));
        // The PDF worker as the template polls it: one message (up to 25 PDFs) an invocation; one PDF a message before.
        loops.addAll(consume(pool, settings.pdfFetchQueueUrl(), pdfWorker(todaysPrefetch, prefetchOrder), todaysPrefetch ? 10 : 1,
                INSTANCES, running));
        // When the worker returns, each learner of a message it did not fail is recorded SYNCED (checked at the end):
        // the time to SYNCED is taken there, not when this thread next looks.
        Map<String, Long> syncedAt = new ConcurrentHashMap<>();
        loops.addAll(consume(pool, settings.learnerSyncQueueUrl(), e -> {
            var answer = syncWorker.handleRequest(e, null);
            long now = System.nanoTime();
            Set<String> failed = answer.getBatchItemFailures().stream().map(f -> f.getItemIdentifier()).collect(Collectors.toSet());
            e.getRecords().stream().filter(m -> !failed.contains(m.getMessageId()))
                    .forEach(m -> syncedAt.putIfAbsent(WorkMessage.parse(m.getBody()).orgId(), now));
            return answer;
        }, 10, INSTANCES, running));

        // The small organisations, one after another across the first half of the window.
        Map<String, Long> saved = new ConcurrentHashMap<>();
        Map<String, Double> synced = new ConcurrentHashMap<>();
        List<Double> pdfTimes = Collections.synchronizedList(new ArrayList<>());
        List<Double> bigPdfTimes = Collections.synchronizedList(new ArrayList<>());
        int[] failures = new int[2];
        long spacing = window.toMillis() / 2 / Math.max(1, small.size());
        for (int i = 0; i < small.size(); i++) {
            Org o = small.get(i);
            APIGatewayV2HTTPResponse put = learnerApi.handleRequest(ApiEvents.route("PUT /v1/learners/{learnerId}").path("learnerId", learnerId)
                    .json(learnerJson(learnerId, "N" + learnerId + number(o.orgId()), "Noisy", "Neighbour" + number(o.orgId())))
                    .as(o.orgId(), "staff", "u-staff").build(), null);
            if (put.getStatusCode() / 100 != 2) {
                throw new IllegalStateException("learner not saved: " + put.getBody());
            }
            saved.put(o.orgId(), System.nanoTime());
            Double pdf = openPdf(o.orgId(), "L0", o.invoiceIds().get(invoiceIndex));
            if (pdf == null) {
                failures[0]++;
            } else {
                pdfTimes.add(pdf);
            }
            StoredInvoice unfetched = i % 2 == 0 ? withoutPdf(bigOrg) : null;
            if (unfetched != null) {
                // A person of the big organisation opens one of its invoices whose PDF is not stored yet.
                {
                    Double t = openPdf(bigOrg, unfetched.learnerId(), unfetched.invoice().invoiceId());
                    if (t == null) {
                        failures[1]++;
                    } else {
                        bigPdfTimes.add(t);
                    }
                }
            }
            Thread.sleep(spacing);
        }
        long deadline = start + window.toNanos();
        while (System.nanoTime() < deadline && !syncedAt.keySet().containsAll(saved.keySet())) {
            Thread.sleep(50);
        }
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        running.set(false);
        for (Future<?> f : loops) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdownNow();
        checkSynced(small, learnerId, saved, syncedAt, synced);
        double windowSeconds = (System.nanoTime() - start) / 1e9;
        long bigPdfCalls = tenantCalls(big[1], PDF_ENDPOINT) - bigCallsBefore;
        long recordCalls = tenantCalls(big[1], null) - bigPdfCalls - bigCallsBefore - recordCallsBefore;
        boolean done = jobId == null || resyncDone(bigOrg, jobId);
        List<Double> toSynced = new ArrayList<>(synced.values());
        return new Neighbour(todaysPrefetch ? "today's" : "spare only", new Times(toSynced, small.size() - toSynced.size()),
                new Times(pdfTimes, failures[0]), new Times(bigPdfTimes, failures[1]), bigPdfCalls, List.copyOf(prefetchOrder),
                recordCalls, done, windowSeconds);
    }

    /**
     * The PDF worker: as deployed ({@code InvoicePdfs.fetchQueued}, prefetch priority), or with today's prefetch
     * (each PDF at the priority that may take the organisation's whole minute and every slot, as bulk work could).
     * Each PDF stored is recorded in the order it was stored.
     */
    private java.util.function.Function<com.amazonaws.services.lambda.runtime.events.SQSEvent,
            com.amazonaws.services.lambda.runtime.events.SQSBatchResponse> pdfWorker(boolean todays, List<String> order) {
        InvoicePdfs pdfs = rig.root("PdfWorkerFunction", InvoiceRoot::of).pdfs();
        WorkProcessor recorded = WorkProcessor.perMessage(w -> {
            String orgId = w.message().orgId();
            List<InvoicePdfs.Wanted> named = InvoicePdfs.Wanted.of(w.message().payload());
            Map<String, StoredInvoice> before = invoices.findAll(orgId, named.stream().map(InvoicePdfs.Wanted::invoiceId).toList());
            WorkOutcome outcome;
            try {
                outcome = pdfs.fetchQueued(w, todays ? Priority.INTERACTIVE : Priority.PREFETCH);
            } finally {
                // Recorded in the message's order: those it named that are stored now and were not before.
                Map<String, StoredInvoice> after = invoices.findAll(orgId, before.keySet());
                for (InvoicePdfs.Wanted wanted : named) {
                    StoredInvoice was = before.get(wanted.invoiceId());
                    StoredInvoice now = after.get(wanted.invoiceId());
                    if (was != null && !was.pdfAvailable() && now != null && now.pdfAvailable()) {
                        order.add(label(was));
                    }
                }
            }
            return outcome;
        });
        // The PDF worker's runtime as the function's root builds it, over the recording processor.
        return new SqsWorker(new SqsQueue(rig.aws.sqs()), settings.pdfFetchQueueUrl(), recorded, DeferralPolicy.standard(),
                rig.clock, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble())::handle;
    }

    /**
     * Lambda's SQS event source in real time: {@code instances} loops receive up to {@code batchSize} messages (the
     * template's BatchSize; SQS gives ten at most), hand them to the worker and delete what it did not report as
     * failed; a failed one stays hidden as long as the worker said (its visibility timeout), as on Lambda.
     */
    private List<Future<?>> consume(ExecutorService pool, String queueUrl,
            java.util.function.Function<com.amazonaws.services.lambda.runtime.events.SQSEvent,
                    com.amazonaws.services.lambda.runtime.events.SQSBatchResponse> worker, int batchSize, int instances,
            AtomicBoolean running) {
        SqsQueue sqs = new SqsQueue(rig.aws.sqs());
        Object receiving = new Object();
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            loops.add(pool.submit(() -> {
                while (running.get()) {
                    List<software.amazon.awssdk.services.sqs.model.Message> batch;
                    // moto's ReceiveMessage is not atomic: one receive at a time, as the test rig does. Long polling, as
                    // Lambda's event source polls: moto scans every message of the queue (visible or not) on each
                    // receive, so a loop of short receives on a queue of 10,000 waiting PDFs would spend this
                    // machine's cores on the emulator rather than on the work.
                    synchronized (receiving) {
                        batch = sqs.receive(queueUrl, batchSize, 60, 1);
                    }
                    if (batch.isEmpty()) {
                        continue;
                    }
                    var failed = worker.apply(SqsEvents.of(batch)).getBatchItemFailures().stream()
                            .map(f -> f.getItemIdentifier()).collect(java.util.stream.Collectors.toSet());
                    for (var m : batch) {
                        if (!failed.contains(m.messageId())) {
                            sqs.delete(queueUrl, m.receiptHandle());
                        }
                    }
                }
                return null;
            }));
        }
        return loops;
    }

    private Double openPdf(String orgId, String learnerId, String invoiceId) {
        long t0 = System.nanoTime();
        APIGatewayV2HTTPResponse r = invoiceApi.handleRequest(ApiEvents.route("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf")
                .path("learnerId", learnerId).path("invoiceId", invoiceId).as(orgId, "staff", "u-staff").build(), null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return r.getStatusCode() / 100 == 2 || r.getStatusCode() / 100 == 3 ? seconds : null;
    }

    /** The seconds from saving each small organisation's learner to the worker's return, for those now SYNCED. */
    private void checkSynced(List<Org> small, String learnerId, Map<String, Long> saved, Map<String, Long> syncedAt,
            Map<String, Double> synced) {
        for (Org o : small) {
            Long at = saved.get(o.orgId());
            Long done = syncedAt.get(o.orgId());
            if (at == null || done == null) {
                continue;
            }
            var state = learners.find(o.orgId(), learnerId);
            if (state.isPresent() && "SYNCED".equals(state.get().state().name())) {
                synced.put(o.orgId(), (done - at) / 1e9);
            }
        }
    }

    private static String label(StoredInvoice stored) {
        return (PdfPrefetchOrder.unpaid(stored.invoice()) ? "unpaid " : "paid ") + stored.invoice().date();
    }

    /**
     * The PDF queue as a re-sync of the big organisation's year leaves it when the PDFs not stored yet were queued
     * {@code perMessage} to a message (the queue emptied first): most worth first ({@code PdfPrefetchOrder}) over the
     * whole backlog, where a re-sync orders each page's. Each window then meets the backlog as its design queues it.
     */
    private void requeueUnfetched(String orgId, String tenantId, int perMessage) {
        List<org.lrm.xero.domain.invoice.LearnerInvoice> unfetched = new ArrayList<>(
                OrgInvoices.withoutPdf(rig.aws.dynamoDb(), settings.tableName(), orgId).stream().map(StoredInvoice::invoice).toList());
        unfetched.sort(PdfPrefetchOrder.MOST_WORTH_FIRST);
        rig.aws.sqs().purgeQueue(b -> b.queueUrl(settings.pdfFetchQueueUrl()));
        new org.lrm.xero.adapter.aws.SqsWorkQueue(new SqsQueue(rig.aws.sqs()), settings.pdfFetchQueueUrl()).send(
                InvoicePdfs.messagesFor(unfetched, perMessage).stream().map(payload -> WorkMessage.of(InvoiceUpdates.PDF_KIND,
                        orgId, tenantId, Priority.PREFETCH, payload)).toList());
    }

    /** One of the organisation's stored invoices whose PDF is not stored yet (null if none of a page is). */
    private StoredInvoice withoutPdf(String orgId) {
        List<String> ids = new ArrayList<>(OrgInvoices.ids(rig.aws.dynamoDb(), settings.tableName(), orgId, 200));
        Collections.shuffle(ids, random);
        for (String id : ids) {
            StoredInvoice stored = invoices.find(orgId, id).orElse(null);
            if (stored != null && !stored.pdfAvailable()) {
                return stored;
            }
        }
        return null;
    }

    private boolean resyncDone(String orgId, String jobId) throws Exception {
        ResyncApiHandler api = new ResyncApiHandler(rig.root("ResyncApiFunction", ResyncRoot::of));
        APIGatewayV2HTTPResponse r = api.handleRequest(ApiEvents.route("GET /v1/xero/resync/{jobId}").path("jobId", jobId)
                .as(orgId, "staff", "u-staff").build(), null);
        return "DONE".equals(Json.MAPPER.readTree(r.getBody()).path("state").asText());
    }

    static String learnerJson(String learnerId, String ref, String first, String last) {
        return """
                {"learnerId":"%s","refInternal":"%s","firstName":"%s","lastName":"%s","email":"%s@example.org","syncToXero":true,
                 "enrolments":[{"enrolmentId":"E-%s","course":"BSB50120 Diploma of Business","startDate":"2027-02-01","status":"CONFIRMED"}]}
                """.formatted(learnerId, ref, first, last, learnerId.toLowerCase(), learnerId);
    }

    // ---- polling ---------------------------------------------------------------------------------

    /**
     * Every organisation idle until its poll backed off; then payments at random minutes in the first half of
     * them (each seen, a second payment a minute or two later: finance now active), the other half idle and
     * counted. One step is a minute of the sandbox clock: the schedule runs, the polls and the invoice worker
     * work their queues in real time.
     */
    Polling polling(List<Org> orgs, int warmUpMinutes, int measureMinutes) throws Exception {
        TransactionPollHandler schedule = new TransactionPollHandler(rig.root("TransactionPollFunction", InvoiceRoot::of));
        ScheduledWorker scheduledWorker = new ScheduledWorker(rig.root("ScheduledWorkFunction", ResyncRoot::of), LearnerBench.RIG_TIME);
        java.util.concurrent.atomic.AtomicLong handlerNanos = new java.util.concurrent.atomic.AtomicLong();
        WorkerRig polls = new WorkerRig(rig.aws.sqs(), settings.scheduledWorkQueueUrl(), e -> {
            long t0 = System.nanoTime();
            try {
                return scheduledWorker.handleRequest(e, null);
            } finally {
                handlerNanos.addAndGet(System.nanoTime() - t0);
            }
        }, rig.admin, rig.clock, POLL_WORKERS);
        InvoiceWorker invoiceWorker = new InvoiceWorker(rig.root("InvoiceWorkerFunction", InvoiceRoot::of), LearnerBench.RIG_TIME);
        WorkerRig invoiceEvents = new WorkerRig(rig.aws.sqs(), settings.invoiceEventsQueueUrl(), e -> invoiceWorker.handleRequest(e, null),
                rig.admin, rig.clock, 4);
        long[] scheduleNanos = {0, 0};
        int[] received = {0};
        java.util.function.Consumer<Duration> step = by -> {
            try {
                long s0 = System.nanoTime();
                schedule.handleRequest(new ScheduledEvent(), null);
                scheduleNanos[0] = Math.max(scheduleNanos[0], System.nanoTime() - s0);
                scheduleNanos[1] += System.nanoTime() - s0;
                received[0] += polls.pass().received();
                invoiceEvents.pass();
                rig.aws.sqs().purgeQueue(b -> b.queueUrl(settings.pdfFetchQueueUrl()));
                rig.advance(by);
                polls.advance(Duration.ZERO);
                invoiceEvents.advance(Duration.ZERO);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        // Until every poll has backed off: no poll waits less than three minutes, so three-minute steps lose none.
        long warmStart = System.nanoTime();
        for (int m = 0; m < warmUpMinutes; m += WARM_UP_STEP.toMinutes()) {
            step.accept(WARM_UP_STEP);
        }
        System.out.printf("  polling: %d minutes of warm-up in %.0f s%n", warmUpMinutes, (System.nanoTime() - warmStart) / 1e9);
        int half = orgs.size() / 2;
        List<Org> paying = orgs.subList(0, half);
        List<Org> idle = orgs.subList(half, orgs.size());
        long idleCallsBefore = idle.stream().mapToLong(o -> tenantCalls(o.tenantId(), null)).sum();
        Map<String, Long> idleByEndpointBefore = byEndpoint(idle);
        int pollsBefore = received[0];
        long handlerBefore = handlerNanos.get();
        long payingCallsBefore = paying.stream().mapToLong(o -> tenantCalls(o.tenantId(), null)).sum();
        long pollCallsBefore = pollCalls(orgs);

        Map<String, Integer> firstAt = new HashMap<>();
        for (Org o : paying) {
            // Within the idle poll's period (50 minutes), so every phase of it is met.
            firstAt.put(o.orgId(), random.nextInt(Math.min(50, Math.max(1, measureMinutes - 60))));
        }
        Map<String, Instant> paidAt = new HashMap<>();
        Map<String, BigDecimal> expectPaid = new HashMap<>();
        Map<String, Integer> round = new HashMap<>();
        Map<String, Integer> secondAt = new HashMap<>();
        List<Double> lagIdle = new ArrayList<>();
        List<Double> lagActive = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC);
        for (int m = 0; m < measureMinutes; m++) {
            for (Org o : paying) {
                Integer r = round.getOrDefault(o.orgId(), 0);
                boolean due = (r == 0 && firstAt.get(o.orgId()) == m) || (r == 1 && secondAt.getOrDefault(o.orgId(), -1) == m);
                if (due) {
                    // Made at a random second of the minute, as finance's payments are.
                    FinanceDesk finance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(o.tenantId()), o.tenantId());
                    finance.pay(o.invoiceIds().get(0), PART, today);
                    paidAt.put(o.orgId(), rig.clock.instant());
                    expectPaid.put(o.orgId(), PART.multiply(BigDecimal.valueOf(r + 1)));
                    round.put(o.orgId(), r + 1);
                }
            }
            step.accept(MINUTE);
            if (m % 20 == 19) {
                System.out.printf("  polling: minute %d of %d, %d idle and %d active payments seen%n", m + 1, measureMinutes,
                        lagIdle.size(), lagActive.size());
            }
            for (Org o : paying) {
                Instant at = paidAt.get(o.orgId());
                if (at == null) {
                    continue;
                }
                StoredInvoice stored = invoices.find(o.orgId(), o.invoiceIds().get(0)).orElseThrow();
                if (stored.invoice().amountPaid().compareTo(expectPaid.get(o.orgId())) >= 0) {
                    double minutes = Duration.between(at, rig.clock.instant()).toSeconds() / 60.0;
                    (round.get(o.orgId()) == 1 ? lagIdle : lagActive).add(minutes);
                    paidAt.remove(o.orgId());
                    if (round.get(o.orgId()) == 1) {
                        secondAt.put(o.orgId(), m + 1 + random.nextInt(2));
                    }
                }
            }
        }
        long idleCalls = idle.stream().mapToLong(o -> tenantCalls(o.tenantId(), null)).sum() - idleCallsBefore;
        Map<String, Long> idleByEndpoint = byEndpoint(idle);
        var byEndpointNode = Json.MAPPER.createObjectNode();
        idleByEndpoint.forEach((k, v) -> {
            long n = v - idleByEndpointBefore.getOrDefault(k, 0L);
            if (n > 0) {
                byEndpointNode.put(k, n);
            }
        });
        int pollsMeasured = received[0] - pollsBefore;
        double pollSeconds = (handlerNanos.get() - handlerBefore) / 1e9;
        long payingCalls = paying.stream().mapToLong(o -> tenantCalls(o.tenantId(), null)).sum() - payingCallsBefore;
        return new Polling(idle.size(), measureMinutes, idleCalls, byEndpointNode, lagIdle, lagActive,
                paidAt.size() + (int) paying.stream().filter(o -> !round.containsKey(o.orgId())).count(), pollsMeasured, pollSeconds,
                pollCalls(orgs) - pollCallsBefore,
                payingCalls, paying.size(), scheduleNanos[0] / 1e9, scheduleNanos[1] / 1e9 / (warmUpMinutes + measureMinutes),
                orgs.size(), warmUpMinutes);
    }

    // ---- the sandbox's counts --------------------------------------------------------------------

    /** Calls the app made for a tenant, of one endpoint or (null) all. */
    long tenantCalls(String tenantId, String endpoint) {
        JsonNode t = rig.admin.stats().path("tenants").path(tenantId);
        return endpoint == null ? t.path("appCalls").asLong() : t.path("appCallsByEndpoint").path(endpoint).asLong();
    }

    /** Calls the polls made: the transaction lists (Payments, Prepayments, Overpayments, CreditNotes) of every organisation. */
    private long pollCalls(List<Org> orgs) {
        return byEndpoint(orgs).entrySet().stream()
                .filter(e -> e.getKey().matches("GET /(Payments|Prepayments|Overpayments|CreditNotes)\\b.*"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private Map<String, Long> byEndpoint(List<Org> orgs) {
        JsonNode tenants = rig.admin.stats().path("tenants");
        Map<String, Long> sum = new HashMap<>();
        for (Org o : orgs) {
            tenants.path(o.tenantId()).path("appCallsByEndpoint").fields()
                    .forEachRemaining(e -> sum.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        return sum;
    }

    /** The app's busiest minute over every tenant (sandbox clock), and its 429s by problem. */
    record AppWide(long busiestMinute, double meanPerMinute, Map<String, Long> rateLimited) {
    }

    AppWide appWide() {
        Map<String, Long> perMinute = new HashMap<>();
        Map<String, Long> limited = new HashMap<>();
        rig.admin.stats().path("tenants").fields().forEachRemaining(t -> {
            t.getValue().path("callsPerMinute").fields().forEachRemaining(m -> perMinute.merge(m.getKey(), m.getValue().asLong(), Long::sum));
            t.getValue().path("rateLimited").fields().forEachRemaining(r -> limited.merge(r.getKey(), r.getValue().asLong(), Long::sum));
        });
        long busiest = perMinute.values().stream().mapToLong(Long::longValue).max().orElse(0);
        double mean = perMinute.values().stream().mapToLong(Long::longValue).average().orElse(0);
        return new AppWide(busiest, mean, limited);
    }

    /** Percentiles by nearest rank. */
    static final class Percentiles {
        private Percentiles() {
        }

        static double of(List<Double> values, double q) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            int rank = (int) Math.ceil(q * sorted.size());
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
        }
    }

}
