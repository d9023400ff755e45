package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.DynamoInvoiceStore;
import org.lrm.xero.adapter.aws.DynamoLearnerStore;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.adapter.aws.SqsWorkQueue;
import org.lrm.xero.app.invoice.InvoiceEvents;
import org.lrm.xero.app.invoice.InvoiceUpdates;
import org.lrm.xero.app.invoice.StoredInvoice;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LearnerSyncRequest;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.RateLimits;
import org.lrm.xero.domain.rate.WaitReason;
import org.lrm.xero.support.Json;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.FinanceDesk;
import org.lrm.xero.testing.FinanceYear;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.OrgInvoices;
import org.lrm.xero.testing.WorkerRig;

/**
 * The noisy neighbour of issue 22 (item 5), on the sandbox clock: one big organisation's work fills the shared
 * queues (a re-sync's PDFs queued for prefetch, a bulk sync of more learners than its Xero minute has calls
 * left for) while small organisations each save a learner and open a PDF not stored yet. With the clocks held,
 * every small organisation's learner is SYNCED by the same pass of the learner-sync queue that leaves the big
 * one's backlog waiting for its own minute, each PDF link is one Xero call of its own tenant, and none of the
 * small organisations' work waited for anything. In a batch the learner-sync worker was handed with both the big
 * backlog and small organisations' learners, the small ones are synced first ({@code OrganisationTurns}). Then the
 * minutes pass and the big backlog finishes: nothing lost, nothing dead-lettered. SQS fair queues' ordering of the
 * queue itself is not modelled by the emulator ({@code FairQueuesIT}); the benchmark ({@code ./bench.sh --only=orgs})
 * measures the same case in real time.
 */
@ExtendWith(AwsEmulator.class)
class NoisyNeighbourIT {

    private static final String BIG = "org-big";
    private static final int SMALL_ORGS = 6;
    /** The big organisation's learners already in Xero (its re-synced invoices are theirs). */
    private static final int BIG_LEARNERS_IN_XERO = 30;
    private static final int RESYNC_INVOICES = 160;
    /**
     * 17 learner-sync messages of 50, one Xero call each: more than the minute prefetch leaves to bulk work, and
     * (received ten at a time) the second receive holds the last 7 and the first small organisations' learners.
     */
    private static final int BULK_LEARNERS = 850;
    private static final String PDF_ENDPOINT = "GET /Invoices/{id}";
    private static final String CONTACTS_ENDPOINT = "POST /Contacts";
    /** Long enough for every call of a minute to leave the budget's window (60 s, its 1 s buckets and margin). */
    private static final Duration MINUTE_WINDOW = Duration.ofSeconds(63);

    /** A small organisation: its tenant, the learner already in Xero and its invoice whose PDF is not stored yet. */
    private record Small(String orgId, String tenantId, String learnerId, String invoiceId) {
    }

    /** One batch the learner-sync worker was handed: its organisations, and its log lines in order. */
    private record Batch(Set<String> orgIds, List<String> log) {
        /** The organisations of the learners it synced, in the order it synced them. */
        List<String> syncedOrgs() {
            return log.stream().filter(l -> l.contains("\"event\":\"learner.synced\"")).map(NoisyNeighbourIT::json)
                    .map(e -> e.path("orgId").asText()).toList();
        }

        /** {@link #syncedOrgs} in runs, e.g. {@code [org-small-0 x1, org-big x250]}. */
        String syncedInRuns() {
            List<String> runs = new ArrayList<>();
            String current = null;
            int count = 0;
            for (String org : syncedOrgs()) {
                if (!org.equals(current) && current != null) {
                    runs.add(current + " x" + count);
                    count = 0;
                }
                current = org;
                count++;
            }
            if (current != null) {
                runs.add(current + " x" + count);
            }
            return runs.toString();
        }
    }

    private IntegrationRig rig;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        try {
            if (rig != null) {
                rig.close();
            }
        } finally {
            JsonLog.sinkToStdout();
        }
    }

    @Test
    void smallOrganisationsWorkIsNotHeldUpByABigOrganisationsBacklogOnTheSharedQueues() throws Exception {
        long started = System.nanoTime();
        JsonLog.sink(log::add);
        rig = IntegrationRig.start();
        Settings settings = rig.settings("InvoiceWorkerFunction");
        RateLimits limits = Wiring.limits(settings);
        DynamoLearnerStore learners = new DynamoLearnerStore(rig.aws.dynamoDb(), settings.tableName());
        DynamoInvoiceStore invoices = new DynamoInvoiceStore(rig.aws.dynamoDb(), settings.tableName());
        LearnerApiHandler learnerApi = EndToEndFlow.learnerApi(rig);
        InvoiceApiHandler invoiceApi = new InvoiceApiHandler(rig.root("InvoiceApiFunction", InvoiceRoot::of));
        LearnerSyncWorker syncWorker = new LearnerSyncWorker(rig.root("LearnerSyncWorkerFunction", LearnerRoot::of),
                EndToEndFlow.TEST_TIME);
        PdfWorker pdfWorker = new PdfWorker(rig.root("PdfWorkerFunction", InvoiceRoot::of), EndToEndFlow.TEST_TIME);
        InvoiceWorker invoiceWorker = new InvoiceWorker(rig.root("InvoiceWorkerFunction", InvoiceRoot::of), EndToEndFlow.TEST_TIME);
        // One instance of the learner-sync worker, its batches recorded: which organisations each held, and what it logged.
        List<Batch> batches = new CopyOnWriteArrayList<>();
        WorkerRig learnerSync = new WorkerRig(rig.aws.sqs(), settings.learnerSyncQueueUrl(), e -> {
            int from = log.size();
            var response = syncWorker.handleRequest(e, null);
            batches.add(new Batch(e.getRecords().stream().map(m -> WorkMessage.parse(m.getBody()).orgId()).collect(
                    Collectors.toSet()), List.copyOf(log.subList(from, log.size()))));
            return response;
        }, rig.admin, rig.clock, 1);
        WorkerRig pdfFetch = new WorkerRig(rig.aws.sqs(), settings.pdfFetchQueueUrl(), e -> pdfWorker.handleRequest(e, null),
                rig.admin, rig.clock, 2);
        WorkerRig invoiceEvents = new WorkerRig(rig.aws.sqs(), settings.invoiceEventsQueueUrl(),
                e -> invoiceWorker.handleRequest(e, null), rig.admin, rig.clock, 2);
        LocalDate today = LocalDate.ofInstant(rig.clock.instant(), ZoneOffset.UTC);

        // The big organisation's year in Xero, re-synced: its invoices stored, one PDF fetch queued for each.
        String bigTenant = rig.connect(BIG, "Big Training Co", null);
        FinanceDesk bigFinance = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(bigTenant), bigTenant);
        FinanceYear.Year year = FinanceYear.raise(bigFinance, learners, BIG, rig.clock, today.minusYears(1).plusDays(1), today,
                BIG_LEARNERS_IN_XERO, RESYNC_INVOICES);
        resync(settings, today.minusYears(1).plusDays(1), today);
        int pdfsQueued = WorkerRig.pdfsNamed(rig.aws.sqs(), settings.pdfFetchQueueUrl());
        assertThat(pdfsQueued).as("the re-sync's PDFs queued for prefetch").isEqualTo(year.expected().size());
        assertThat(inQueue(settings.pdfFetchQueueUrl())).as("their messages, 25 PDFs to one, a page's to its own")
                .isBetween((pdfsQueued + 24) / 25, pdfsQueued / 10);
        // The small organisations, each with a learner whose contact is in Xero.
        List<String> smallOrgs = IntStream.range(0, SMALL_ORGS).mapToObj(i -> "org-small-" + i).toList();
        Map<String, String> smallTenants = new LinkedHashMap<>();
        for (String org : smallOrgs) {
            smallTenants.put(org, rig.connect(org, "Small College " + org, null));
        }
        Map<String, String> smallContacts = new LinkedHashMap<>();
        smallTenants.forEach((org, tenant) -> smallContacts.put(org, FinanceYear.learnersInXero(
                new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenant), tenant), learners, org, rig.clock, 1).get(0)));

        // A fresh minute. Prefetch works through the big re-sync's PDFs, taking its share of the big organisation's
        // minute; the rest waits for later minutes.
        rig.advance(MINUTE_WINDOW);
        long bigBefore = appCalls(bigTenant);
        pdfFetch.pass();
        long prefetched = appCalls(bigTenant) - bigBefore;
        assertThat(prefetched).as("PDFs prefetched in the minute").isPositive()
                .isLessThanOrEqualTo(limits.minuteCeiling(Priority.PREFETCH));
        // Its admin bulk-syncs learners: more messages than the big organisation's minute has calls left for bulk work.
        APIGatewayV2HTTPResponse bulk = learnerApi.handleRequest(ApiEvents.route("POST /v1/learners:bulk-sync")
                .json("{\"learners\":[" + IntStream.range(0, BULK_LEARNERS).mapToObj(i -> EndToEndFlow.learnerJson(
                        "B-" + i, "W" + (500_000 + i), "Bulk", "Learner" + i)).collect(Collectors.joining(",")) + "]}")
                .as(BIG, "admin", "u-admin").build(), null);
        assertThat(bulk.getStatusCode()).as(bulk.getBody()).isEqualTo(202);

        // Meanwhile, in each small organisation: finance raises an invoice, which reaches the learner (its PDF queued
        // behind the big backlog), a member of staff saves a learner with Sync to Xero, another opens the invoice's PDF.
        SqsWorkQueue invoiceQueue = new SqsWorkQueue(new SqsQueue(rig.aws.sqs()), settings.invoiceEventsQueueUrl());
        List<Small> small = new ArrayList<>();
        for (String org : smallOrgs) {
            String tenant = smallTenants.get(org);
            String invoiceId = new FinanceDesk(rig.sandbox.baseUri(), rig.admin.userToken(tenant), tenant)
                    .raiseInvoice(smallContacts.get(org), "S-" + org, new BigDecimal("250.00"), today, today.plusDays(30));
            invoiceQueue.send(List.of(WorkMessage.of(InvoiceEvents.INVOICE_IDS_KIND, org, tenant, Priority.INTERACTIVE,
                    InvoiceEvents.invoiceIdsPayload(List.of(invoiceId)))));
            small.add(new Small(org, tenant, "L0", invoiceId));
        }
        invoiceEvents.pass();
        for (Small s : small) {
            StoredInvoice stored = invoices.find(s.orgId(), s.invoiceId()).orElseThrow(() -> new AssertionError(s + " not stored"));
            assertThat(stored.pdfAvailable()).as("%s's PDF stored yet", s.orgId()).isFalse();
        }
        assertThat(pdfsWaiting(settings)).as("the big re-sync's PDFs not prefetched yet")
                .isEqualTo(pdfsQueued - (int) prefetched);
        assertThat(inQueue(settings.pdfFetchQueueUrl())).as("PDF messages, the small organisations' behind the big backlog")
                .isGreaterThan(SMALL_ORGS);
        Map<String, JsonNode> smallBefore = new LinkedHashMap<>();
        small.forEach(s -> smallBefore.put(s.orgId(), callsByEndpoint(s.tenantId())));
        Map<String, Integer> pdfStatus = new LinkedHashMap<>();
        Map<String, Duration> pdfTook = new LinkedHashMap<>();
        for (Small s : small) {
            APIGatewayV2HTTPResponse saved = learnerApi.handleRequest(ApiEvents.route("PUT /v1/learners/{learnerId}")
                    .path("learnerId", "N-1").json(EndToEndFlow.learnerJson("N-1", "W900001", "Quiet", "Neighbour " + s.orgId()))
                    .as(s.orgId(), "staff", "u-staff").build(), null);
            assertThat(saved.getStatusCode()).as(saved.getBody()).isBetween(200, 202);
            long t0 = System.nanoTime();
            APIGatewayV2HTTPResponse pdf = invoiceApi.handleRequest(ApiEvents.route(
                    "GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf").path("learnerId", s.learnerId())
                    .path("invoiceId", s.invoiceId()).as(s.orgId(), "staff", "u-staff").build(), null);
            pdfTook.put(s.orgId(), Duration.ofNanos(System.nanoTime() - t0));
            pdfStatus.put(s.orgId(), pdf.getStatusCode());
        }
        int queuedLearnerMessages = inQueue(settings.learnerSyncQueueUrl());
        assertThat(queuedLearnerMessages).as("learner-sync messages: the bulk sync's, then one per small organisation")
                .isEqualTo(BULK_LEARNERS / 50 + SMALL_ORGS);

        // One pass of the learner-sync queue, the clocks held: no minute passes.
        batches.clear();
        long bigBeforeSync = appCalls(bigTenant);
        long t0 = System.nanoTime();
        learnerSync.pass();
        Duration syncPass = Duration.ofNanos(System.nanoTime() - t0);
        long bigSyncCalls = appCalls(bigTenant) - bigBeforeSync;

        for (Small s : small) {
            LearnerRecord saved = learners.find(s.orgId(), "N-1").orElseThrow();
            assertThat(saved.state()).as("%s's learner after one pass: %s", s.orgId(), saved.error()).isEqualTo(SyncState.SYNCED);
            assertThat(contactIds(s.tenantId())).as("%s's learner's contact is in its own Xero", s.orgId())
                    .contains(saved.contactId());
            assertThat(pdfStatus.get(s.orgId())).as("%s's PDF link", s.orgId()).isEqualTo(302);
            JsonNode calls = callsByEndpoint(s.tenantId());
            assertThat(delta(smallBefore.get(s.orgId()), calls)).as("%s's Xero calls: its learner and its PDF", s.orgId())
                    .isEqualTo(Map.of(CONTACTS_ENDPOINT, 1L, PDF_ENDPOINT, 1L));
        }
        // A batch holding both the big backlog and small organisations' learners synced the small ones first: they did
        // not wait for the big organisation's calls in their batch (OrganisationTurns).
        List<Batch> mixed = batches.stream().filter(b -> b.orgIds().contains(BIG) && b.orgIds().size() > 1).toList();
        assertThat(mixed).as("batches of the big and small organisations").isNotEmpty();
        for (Batch b : mixed) {
            List<String> order = b.syncedOrgs();
            assertThat(order.subList(0, (int) order.stream().filter(o -> !o.equals(BIG)).count()))
                    .as("learners synced in a mixed batch, in order: %s", b.syncedInRuns()).doesNotContain(BIG);
        }
        // The big organisation's learners went as far as its own minute let them; the rest wait for the next.
        Map<String, LearnerRecord> bulkRecords = learners.findAll(BIG,
                IntStream.range(0, BULK_LEARNERS).mapToObj(i -> "B-" + i).toList());
        long bigSynced = bulkRecords.values().stream().filter(r -> r.state() == SyncState.SYNCED).count();
        long bigPending = bulkRecords.values().stream().filter(r -> r.state() == SyncState.PENDING).count();
        assertThat(prefetched + bigSyncCalls).as("the big organisation's calls in the minute")
                .isLessThanOrEqualTo(limits.minuteCeiling(Priority.BULK));
        assertThat(bigSynced).as("big learners synced, 50 a call").isEqualTo(50 * bigSyncCalls);
        assertThat(bigPending).as("big learners waiting for the next minute").isEqualTo(BULK_LEARNERS - bigSynced).isPositive();
        assertThat(inQueue(settings.learnerSyncQueueUrl())).as("learner-sync messages left: the big organisation's")
                .isEqualTo((int) (bigPending / 50));
        // The small organisations' queued PDFs find theirs stored and cost nothing; the big backlog still waits.
        long bigBeforePdfs = appCalls(bigTenant);
        pdfFetch.pass();
        assertThat(appCalls(bigTenant)).as("no big prefetch within the same minute").isEqualTo(bigBeforePdfs);
        for (Small s : small) {
            assertThat(delta(smallBefore.get(s.orgId()), callsByEndpoint(s.tenantId()))).as("%s's calls", s.orgId())
                    .isEqualTo(Map.of(CONTACTS_ENDPOINT, 1L, PDF_ENDPOINT, 1L));
        }
        assertThat(pdfsWaiting(settings)).as("the big re-sync's PDFs still waiting")
                .isEqualTo(pdfsQueued - (int) prefetched);
        Map<String, Set<String>> deferredKinds = deferredKindsByOrg();
        assertThat(deferredKinds.get(BIG)).as("the big organisation's work deferred for its minute")
                .containsExactlyInAnyOrder(LearnerSyncRequest.KIND, InvoiceUpdates.PDF_KIND);
        assertThat(deferredKinds.keySet()).as("organisations whose work waited").containsExactly(BIG);
        // The rest of a PDF message stopped part way waits as a copy of its own, until its notBefore ("scheduled").
        assertThat(deferralReasons(BIG)).as("why the big organisation's work waited").contains(WaitReason.MINUTE.code())
                .isSubsetOf(WaitReason.MINUTE.code(), "scheduled");
        assertThat(deadLetters(settings)).as("dead letters").isZero();

        // The minutes pass: the big organisation's backlog finishes within its own budget.
        int minutes = 0;
        while (inQueue(settings.learnerSyncQueueUrl()) + inQueue(settings.pdfFetchQueueUrl()) > 0) {
            assertThat(minutes++).as("minutes to finish the big backlog").isLessThan(20);
            learnerSync.advance(MINUTE_WINDOW);
            pdfFetch.advance(Duration.ZERO);
            learnerSync.pass();
            pdfFetch.pass();
        }
        Map<String, LearnerRecord> after = learners.findAll(BIG, bulkRecords.keySet());
        assertThat(after.values()).as("big learners").hasSize(BULK_LEARNERS)
                .allSatisfy(r -> assertThat(r.state()).as(r.learnerId()).isEqualTo(SyncState.SYNCED));
        Set<String> bigContacts = contactIds(bigTenant);
        assertThat(after.values()).allSatisfy(r -> assertThat(bigContacts).contains(r.contactId()));
        Map<String, StoredInvoice> resynced = invoices.findAll(BIG, year.expected());
        assertThat(resynced.values()).as("the re-sync's invoices").hasSize(pdfsQueued)
                .allSatisfy(i -> assertThat(i.pdfAvailable()).as(i.invoice().invoiceId()).isTrue());
        JsonNode bigCalls = callsByEndpoint(bigTenant);
        assertThat(bigCalls.path(PDF_ENDPOINT).asLong()).as("one PDF call per invoice").isEqualTo(pdfsQueued);
        assertThat(rig.admin.stats().path("tenants").path(bigTenant).path("rateLimited").size()).as("429s").isZero();
        assertThat(deadLetters(settings)).as("dead letters").isZero();
        for (Small s : small) {
            assertThat(delta(smallBefore.get(s.orgId()), callsByEndpoint(s.tenantId()))).as("%s's calls in the end", s.orgId())
                    .isEqualTo(Map.of(CONTACTS_ENDPOINT, 1L, PDF_ENDPOINT, 1L));
        }
        assertThat(deferredKindsByOrg().keySet()).as("organisations whose work waited").containsExactly(BIG);

        System.out.printf("NoisyNeighbourIT: %d small organisations SYNCED in one learner-sync pass (%d ms real) and each PDF link"
                + " 302 with one Xero call (slowest %d ms), while the big organisation's minute took %d prefetched PDFs and %d"
                + " learner calls (%d of %d learners; %d waited); its backlog (%d PDFs, %d learners) finished in %d more"
                + " minutes, 0 dead letters; learners synced in the batches shared with the big backlog: %s; %d s in all%n",
                SMALL_ORGS, syncPass.toMillis(), pdfTook.values().stream().mapToLong(Duration::toMillis).max().orElse(0),
                prefetched, bigSyncCalls, bigSynced, BULK_LEARNERS, bigPending, pdfsQueued - prefetched, bigPending, minutes,
                mixed.stream().map(Batch::syncedInRuns).toList(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /** Re-syncs the big organisation's invoices of the range, its pages worked off; their PDFs are queued. */
    private void resync(Settings settings, LocalDate from, LocalDate to) throws Exception {
        ResyncApiHandler api = new ResyncApiHandler(rig.root("ResyncApiFunction", ResyncRoot::of));
        APIGatewayV2HTTPResponse started = api.handleRequest(ApiEvents.route("POST /v1/xero/resync")
                .json("{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"invoices\":true,\"learners\":false}")
                .as(BIG, "admin", "u-admin").build(), null);
        assertThat(started.getStatusCode()).as(started.getBody()).isEqualTo(202);
        ResyncPageWorker pageWorker = new ResyncPageWorker(rig.root("ResyncPageWorkerFunction", ResyncRoot::of),
                EndToEndFlow.TEST_TIME);
        WorkerRig pages = new WorkerRig(rig.aws.sqs(), settings.resyncPagesQueueUrl(), e -> pageWorker.handleRequest(e, null),
                rig.admin, rig.clock, 1);
        for (int pass = 0; inQueue(settings.resyncPagesQueueUrl()) > 0; pass++) {
            assertThat(pass).as("re-sync passes").isLessThan(20);
            pages.pass();
            pages.advance(MINUTE_WINDOW);
        }
    }

    /** Organisations whose work a worker deferred (the {@code work.deferred} log lines), and of which kinds. */
    private Map<String, Set<String>> deferredKindsByOrg() {
        return deferrals().stream().collect(Collectors.groupingBy(e -> e.path("orgId").asText(),
                Collectors.mapping(e -> e.path("kind").asText(), Collectors.toSet())));
    }

    private Set<String> deferralReasons(String orgId) {
        return deferrals().stream().filter(e -> orgId.equals(e.path("orgId").asText())).map(e -> e.path("reason").asText())
                .collect(Collectors.toSet());
    }

    private List<JsonNode> deferrals() {
        return log.stream().filter(l -> l.contains("\"event\":\"work.deferred\"")).map(NoisyNeighbourIT::json).toList();
    }

    private static JsonNode json(String logLine) {
        try {
            return Json.MAPPER.readTree(logLine);
        } catch (java.io.IOException notJson) {
            throw new AssertionError("a log line that is not JSON: " + logLine, notJson);
        }
    }

    private JsonNode callsByEndpoint(String tenantId) {
        return rig.admin.stats().path("tenants").path(tenantId).path("appCallsByEndpoint");
    }

    private long appCalls(String tenantId) {
        return rig.admin.stats().path("tenants").path(tenantId).path("appCalls").asLong();
    }

    /** The calls by endpoint made between two readings of the sandbox's stats, endpoints with none left out. */
    private static Map<String, Long> delta(JsonNode before, JsonNode after) {
        Map<String, Long> made = new LinkedHashMap<>();
        after.fields().forEachRemaining(e -> {
            long n = e.getValue().asLong() - before.path(e.getKey()).asLong();
            if (n != 0) {
                made.put(e.getKey(), n);
            }
        });
        return made;
    }

    /** The ContactIDs of the tenant's contacts in the sandbox. */
    private Set<String> contactIds(String tenantId) {
        Set<String> ids = new java.util.HashSet<>();
        rig.admin.state(tenantId).get("Contacts").forEach(c -> ids.add(c.get("ContactID").asText()));
        return ids;
    }

    private int deadLetters(Settings settings) {
        SqsQueue sqs = new SqsQueue(rig.aws.sqs());
        return inQueue(sqs.redrive(settings.learnerSyncQueueUrl()).deadLetterQueueUrl())
                + inQueue(sqs.redrive(settings.pdfFetchQueueUrl()).deadLetterQueueUrl())
                + inQueue(sqs.redrive(settings.invoiceEventsQueueUrl()).deadLetterQueueUrl())
                + inQueue(sqs.redrive(settings.resyncPagesQueueUrl()).deadLetterQueueUrl());
    }

    /** The big organisation's stored invoices (the re-sync's) whose PDF is not stored yet. */
    private int pdfsWaiting(Settings settings) {
        return OrgInvoices.withoutPdf(rig.aws.dynamoDb(), settings.tableName(), BIG).size();
    }

    private int inQueue(String url) {
        return WorkerRig.inQueue(rig.aws.sqs(), url);
    }
}
