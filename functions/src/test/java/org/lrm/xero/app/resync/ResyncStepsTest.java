package org.lrm.xero.app.resync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.app.fakes.FakeXeroLedger.salesInvoice;
import static org.lrm.xero.app.fakes.TestData.learner;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroContacts;
import org.lrm.xero.app.fakes.FakeXeroLedger;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryInvoiceStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryLogbook;
import org.lrm.xero.app.fakes.InMemoryPollWatermarks;
import org.lrm.xero.app.fakes.InMemoryResyncJobs;
import org.lrm.xero.app.fakes.RecordingLearnerSyncQueue;
import org.lrm.xero.app.fakes.RecordingResyncEvents;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.fakes.TestData;
import org.lrm.xero.app.invoice.ContactChanges;
import org.lrm.xero.app.invoice.InvoicePdfs;
import org.lrm.xero.app.invoice.InvoiceUpdates;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.xero.ListSelection;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.app.xero.XeroCallFailed;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.WaitReason;
import org.lrm.xero.domain.resync.ResyncRange;
import org.lrm.xero.domain.resync.ResyncState;

/** A re-sync from the request to its end: pages, transactions touching invoices outside the range, counts. */
class ResyncStepsTest {

    private static final String ORG = "org-1";
    private static final LocalDate FROM = LocalDate.of(2027, 1, 1);
    private static final LocalDate TO = LocalDate.of(2027, 1, 31);
    private static final Instant UPDATED = Instant.parse("2027-02-01T10:00:00Z");

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final InMemoryResyncJobs jobs = new InMemoryResyncJobs();
    private final RecordingWorkQueue stepQueue = new RecordingWorkQueue();
    private final RecordingWorkQueue pdfQueue = new RecordingWorkQueue();
    private final InMemoryLearnerStore learners = new InMemoryLearnerStore();
    private final InMemoryInvoiceStore invoices = new InMemoryInvoiceStore();
    private final InMemoryLogbook logbook = new InMemoryLogbook();
    private final FakeXeroLedger ledger = new FakeXeroLedger();
    private final FakeXeroContacts contacts = new FakeXeroContacts(clock);
    private final RecordingLearnerSyncQueue learnerSync = new RecordingLearnerSyncQueue();
    private final RecordingResyncEvents events = new RecordingResyncEvents();
    private final InMemoryPollWatermarks watermarks = new InMemoryPollWatermarks();
    private final InvoiceUpdates updates = new InvoiceUpdates(ledger, learners, invoices, logbook, pdfQueue, clock);
    private final ResyncSteps steps = new ResyncSteps(jobs, stepQueue, ledger, contacts, updates,
            new ContactChanges(contacts, ledger, learners, logbook, updates, clock), learners, learnerSync, logbook, events,
            watermarks, clock, 5);
    private final StartResync start = new StartResync(connections, jobs, stepQueue, clock);

    private String anasContact;

    @BeforeEach
    void aConnectedOrganisationWithALinkedLearner() {
        connections.connect(ORG, "tenant-1", Instant.parse("2027-01-01T00:00:00Z"));
        anasContact = contacts.existing("Ana Lopez W1", "W1");
        learners.save(ORG, learner("L-1", "W1", "Ana", "Lopez"), null, SyncState.PENDING, clock.instant());
        learners.recordSynced(ORG, "L-1", anasContact, "Ana Lopez W1", "W1", "fp", clock.instant());
    }

    /** Runs every queued step, as the page worker would, until none is left. */
    private List<WorkOutcome> runAll() {
        List<WorkOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            List<WorkMessage> queued = stepQueue.drain();
            if (queued.isEmpty()) {
                return outcomes;
            }
            for (WorkMessage m : queued) {
                outcomes.addAll(steps.process(ORG, List.of(TestData.work(m))).values());
            }
        }
        throw new AssertionError("the re-sync did not end");
    }

    private ResyncJob job(String jobId) {
        return jobs.find(ORG, jobId).orElseThrow();
    }

    private void invoices(int count, LocalDate date) {
        IntStream.range(0, count).forEach(i -> ledger.put(salesInvoice(String.format("inv-%03d", i), anasContact, date,
                UPDATED, "AUTHORISED")));
    }

    @Test
    void aRangesInvoicesComePageByPageThenItsTransactionsThenTheJobEnds() {
        ledger.pageSize(10);
        invoices(25, LocalDate.of(2027, 1, 15));

        String jobId = start.range(ORG, new ResyncRange(FROM, TO), true, false);
        assertThat(runAll()).containsOnly(WorkOutcome.DONE);

        ResyncJob done = job(jobId);
        assertThat(done.state()).isEqualTo(ResyncState.DONE);
        assertThat(done.pagesDone()).isEqualTo(3);
        assertThat(done.lastPage()).isEqualTo(3);
        assertThat(done.counts()).isEqualTo(new ResyncJob.Counts(25, 0, 25, 0));
        assertThat(invoices.ofLearner(ORG, "L-1")).hasSize(25);
        assertThat(ledger.calls("invoicePage")).extracting(FakeXeroLedger.Call::detail).containsExactly(
                ListSelection.dated(FROM, TO) + "#1", ListSelection.dated(FROM, TO) + "#2", ListSelection.dated(FROM, TO) + "#3");
        assertThat(ledger.calls("transactionPage")).extracting(FakeXeroLedger.Call::detail)
                .containsExactlyInAnyOrder("Payments#1", "CreditNotes#1", "Prepayments#1", "Overpayments#1");
        assertThat(ledger.calls()).allSatisfy(c -> assertThat(c.priority()).isEqualTo(Priority.BULK));
        assertThat(events.completed()).singleElement().satisfies(j -> assertThat(j.jobId()).isEqualTo(jobId));
        assertThat(logbook.kinds(ORG, ResyncSteps.ORG_LOGBOOK)).containsExactly("RESYNC_DONE");
        assertThat(pdfQueue.sent()).as("a page's new versions, 25 PDFs to a message").hasSize(3)
                .flatExtracting(m -> InvoicePdfs.Wanted.of(m.payload())).hasSize(25);
    }

    @Test
    void aPaymentInTheRangeOfAnInvoiceOutsideItBringsThatInvoiceByIdOnly() {
        invoices(3, LocalDate.of(2027, 1, 15));
        ledger.put(salesInvoice("inv-older", anasContact, LocalDate.of(2026, 11, 1), UPDATED, "PAID"));
        ledger.transaction(TransactionList.PAYMENTS, "p-1", LocalDate.of(2027, 1, 20), UPDATED, "inv-older");
        ledger.transaction(TransactionList.PAYMENTS, "p-2", LocalDate.of(2027, 1, 21), UPDATED, "inv-001");
        ledger.transaction(TransactionList.CREDIT_NOTES, "cn-1", LocalDate.of(2027, 1, 22), UPDATED, "inv-002");
        ledger.transaction(TransactionList.PAYMENTS, "p-out", LocalDate.of(2027, 2, 20), UPDATED, "inv-elsewhere");

        String jobId = start.range(ORG, new ResyncRange(FROM, TO), true, false);
        runAll();

        assertThat(ledger.calls("invoicesByIds")).extracting(FakeXeroLedger.Call::detail).containsExactly("inv-older");
        assertThat(invoices.find(ORG, "inv-older").orElseThrow().invoice().status()).isEqualTo("PAID");
        assertThat(job(jobId).counts().invoices()).isEqualTo(4);
        assertThat(job(jobId).state()).isEqualTo(ResyncState.DONE);
    }

    @Test
    void aFullTransactionPageQueuesTheNextAndTheCollectionEndsOnItsShortPage() {
        ledger.pageSize(2);
        IntStream.range(0, 5).forEach(i -> ledger.transaction(TransactionList.PAYMENTS, "p-" + i, LocalDate.of(2027, 1, 10),
                UPDATED, "inv-x" + i));

        String jobId = start.range(ORG, new ResyncRange(FROM, TO), true, false);
        runAll();

        assertThat(ledger.calls("transactionPage")).extracting(FakeXeroLedger.Call::detail)
                .filteredOn(d -> d.startsWith("Payments")).containsExactly("Payments#1", "Payments#2", "Payments#3");
        assertThat(job(jobId).collectionsDone()).containsExactlyInAnyOrder("Payments", "CreditNotes", "Prepayments",
                "Overpayments");
        assertThat(job(jobId).state()).isEqualTo(ResyncState.DONE);
    }

    @Test
    void learnersWithSyncTickedArePushedAgainUnderTheJob() {
        learners.save(ORG, TestData.syncOff(learner("L-2", "W2", "Ben", "Kim")), null, SyncState.NOT_SYNCED, clock.instant());

        String jobId = start.range(ORG, new ResyncRange(FROM, TO), false, true);
        runAll();

        assertThat(learnerSync.queued()).singleElement().isEqualTo(
                new RecordingLearnerSyncQueue.Queued(ORG, List.of("L-1"), Priority.BULK, true, jobId));
        assertThat(job(jobId).counts().learners()).isEqualTo(1);
        assertThat(job(jobId).state()).isEqualTo(ResyncState.DONE);
        assertThat(ledger.calls()).isEmpty();
    }

    @Test
    void theNightlyRunReadsWhatChangedSinceTheLastRunFollowsMergesAndMovesItsWatermark() {
        Instant lastNight = Instant.parse("2027-02-28T02:00:00Z");
        ledger.put(salesInvoice("inv-new", anasContact, LocalDate.of(2026, 5, 1), Instant.parse("2027-02-28T12:00:00Z"),
                "PAID"));
        ledger.put(salesInvoice("inv-old", anasContact, LocalDate.of(2026, 5, 1), Instant.parse("2027-02-01T12:00:00Z"),
                "PAID"));
        String survivor = contacts.existing("Ana Lopez-Garcia", "FIN-1");
        contacts.merge(anasContact, survivor);

        String jobId = start.nightly(connections.connection(ORG).orElseThrow(), lastNight).orElseThrow();
        runAll();

        ListSelection since = ListSelection.changedSince(lastNight.minus(ResyncSteps.NIGHTLY_OVERLAP));
        assertThat(ledger.calls("invoicePage")).extracting(FakeXeroLedger.Call::detail).containsExactly(since + "#1");
        assertThat(invoices.of(ORG)).containsOnlyKeys("inv-new");
        assertThat(contacts.calls("archivedSince")).hasSize(1);
        // The page of archived contacts already shows the merge: only the survivor is read.
        assertThat(contacts.calls("withIds")).extracting(FakeXeroContacts.Call::size).containsExactly(1);
        assertThat(learners.find(ORG, "L-1").orElseThrow().contactId()).isEqualTo(survivor);
        assertThat(job(jobId).state()).isEqualTo(ResyncState.DONE);
        assertThat(watermarks.watermark(ORG, ResyncSteps.NIGHTLY_WATERMARK)).contains(clock.instant());
        assertThat(events.completed()).isEmpty();
    }

    @Test
    void aStepRunTwiceIsCountedOnce() {
        invoices(3, LocalDate.of(2027, 1, 15));
        String jobId = start.range(ORG, new ResyncRange(FROM, TO), true, false);
        WorkMessage firstPage = stepQueue.sent().get(0);
        steps.process(ORG, List.of(TestData.work(firstPage)));

        steps.process(ORG, List.of(TestData.work(firstPage)));

        assertThat(job(jobId).pagesDone()).isEqualTo(1);
        assertThat(job(jobId).counts().invoices()).isEqualTo(3);
    }

    @Test
    void aStepThatMustWaitParksTheJobUntilXerosLimitAllowsIt() {
        String jobId = start.range(ORG, new ResyncRange(FROM, TO), true, false);
        ledger.failNext(new WaitForBudget(Duration.ofMinutes(10), WaitReason.MINUTE));

        Map<String, WorkOutcome> outcome = steps.process(ORG, List.of(TestData.work(stepQueue.drain().get(0))));

        assertThat(outcome.values()).singleElement().isEqualTo(new WorkOutcome.Defer(Duration.ofMinutes(10), "minute"));
        assertThat(job(jobId).state()).isEqualTo(ResyncState.WAITING_FOR_XERO_LIMIT);
        assertThat(job(jobId).resumesAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void aStepXeroRefusesForGoodFailsTheJobWithItsReason() {
        String jobId = start.range(ORG, new ResyncRange(FROM, TO), true, false);
        ledger.failNext(new XeroCallFailed("GET Invoices page", true, "A validation exception occurred"));

        Map<String, WorkOutcome> outcome = steps.process(ORG, List.of(TestData.work(stepQueue.drain().get(0))));

        assertThat(outcome.values()).singleElement().isInstanceOf(WorkOutcome.Fail.class);
        ResyncJob failed = job(jobId);
        assertThat(failed.state()).isEqualTo(ResyncState.FAILED);
        assertThat(failed.reasons()).singleElement().asString().contains("step INVOICES#1").contains("validation");
        assertThat(failed.counts().failed()).isEqualTo(1);
        assertThat(events.completed()).singleElement().satisfies(j -> assertThat(j.state()).isEqualTo(ResyncState.FAILED));
        assertThat(logbook.kinds(ORG, ResyncSteps.ORG_LOGBOOK)).containsExactly("RESYNC_FAILED");
    }

    @Test
    void xeroFailingAStepBacksOffAndFailsTheJobOnlyOnceItHasFailedForADay() {
        String jobId = start.range(ORG, new ResyncRange(FROM, TO), true, false);
        WorkMessage first = stepQueue.drain().get(0);
        ledger.failNext(new XeroCallFailed("GET Invoices page", false, "Xero answered 503"));
        ledger.failNext(new XeroCallFailed("GET Invoices page", false, "Xero answered 503"));

        assertThat(steps.process(ORG, List.of(new Work("m-1", first, 5))).values()).singleElement()
                .isInstanceOf(WorkOutcome.XeroFailing.class);
        assertThat(job(jobId).state().finished()).as("receives do not count for Xero failing").isFalse();
        WorkMessage aDayOfFailures = first.xeroFailedAt(clock.instant().minus(Duration.ofHours(24)));
        steps.process(ORG, List.of(new Work("m-1", aDayOfFailures, 1)));
        assertThat(job(jobId).state()).isEqualTo(ResyncState.FAILED);
    }

    @Test
    void anotherPassingFailureOnTheLastReceiveFailsTheJobEarlierOnesAreRetried() {
        String jobId = start.range(ORG, new ResyncRange(FROM, TO), true, false);
        WorkMessage first = stepQueue.drain().get(0);
        ledger.failNext(new IllegalStateException("DynamoDB unreachable"));
        ledger.failNext(new IllegalStateException("DynamoDB unreachable"));

        assertThat(steps.process(ORG, List.of(new Work("m-1", first, 1))).values()).singleElement()
                .isInstanceOf(WorkOutcome.Retry.class);
        assertThat(job(jobId).state().finished()).isFalse();
        steps.process(ORG, List.of(new Work("m-1", first, 5)));
        assertThat(job(jobId).state()).isEqualTo(ResyncState.FAILED);
    }

    @Test
    void aStepOfAnEndedJobOrNoStepAtAllCostsNoCall() {
        String jobId = start.range(ORG, new ResyncRange(FROM, TO), true, false);
        jobs.finish(ORG, jobId, false, List.of("cancelled"), clock.instant());

        assertThat(steps.process(ORG, List.of(TestData.work(stepQueue.drain().get(0)))).values())
                .containsOnly(WorkOutcome.DONE);
        assertThat(steps.process(ORG, List.of(TestData.message(ResyncStep.KIND, ORG, "tenant-1", Priority.BULK,
                org.lrm.xero.support.Json.MAPPER.createObjectNode()))).values()).singleElement()
                .isInstanceOf(WorkOutcome.Fail.class);
        assertThat(ledger.calls()).isEmpty();
    }

    @Test
    void oneReSyncAtATimeAndOnlyForAConnectedOrganisation() {
        String running = start.range(ORG, new ResyncRange(FROM, TO), true, false);

        assertThatThrownBy(() -> start.range(ORG, new ResyncRange(FROM, TO), true, false))
                .isInstanceOfSatisfying(StartResync.AlreadyRunning.class, e -> assertThat(e.runningJobId()).isEqualTo(running));
        assertThat(start.nightly(connections.connection(ORG).orElseThrow(), clock.instant())).isEmpty();
        assertThatThrownBy(() -> start.range("org-never", new ResyncRange(FROM, TO), true, false))
                .isInstanceOf(StartResync.NotConnected.class);
        connections.markNeedsReconnect(ORG, "refused", clock.instant());
        jobs.finish(ORG, running, true, List.of(), clock.instant());
        assertThatThrownBy(() -> start.range(ORG, new ResyncRange(FROM, TO), true, false))
                .isInstanceOf(StartResync.NotConnected.class);
    }

    @Test
    void aReSyncWhoseStepsCannotBeQueuedEndsAtOnceAndFreesTheOrganisation() {
        stepQueue.refuse(new IllegalStateException("SQS refused"));

        assertThatThrownBy(() -> start.range(ORG, new ResyncRange(FROM, TO), true, false))
                .isInstanceOf(IllegalStateException.class);

        assertThat(jobs.of(ORG)).singleElement().satisfies(j -> assertThat(j.state()).isEqualTo(ResyncState.FAILED));
        stepQueue.refuse(null);
        assertThat(start.range(ORG, new ResyncRange(FROM, TO), true, false)).startsWith("resync-");
    }
}
