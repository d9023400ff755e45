package org.lrm.xero.app.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.app.fakes.TestData.learner;
import static org.lrm.xero.app.fakes.TestData.syncOff;
import static org.lrm.xero.app.fakes.TestData.withEmail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroLedger;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryInvoiceStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryLogbook;
import org.lrm.xero.app.fakes.RecordingLearnerSyncQueue;
import org.lrm.xero.app.invoice.InvoiceStore;
import org.lrm.xero.domain.invoice.InvoiceProjection;
import org.lrm.xero.domain.learner.ContactDetails;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.report.FinanceReport;

/** Saving a learner, Manual Sync, bulk sync, LRM merges and what staff read: none of them calls Xero. */
class LearnerUseCasesTest {

    private static final String ORG = "org-1";

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final InMemoryLearnerStore learners = new InMemoryLearnerStore();
    private final InMemoryLogbook logbook = new InMemoryLogbook();
    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final InMemoryInvoiceStore invoices = new InMemoryInvoiceStore();
    private final RecordingLearnerSyncQueue queue = new RecordingLearnerSyncQueue();

    private final SaveLearner save = new SaveLearner(learners, queue, logbook, orgId -> connections.usable(orgId).isPresent(), clock);
    private final ManualSync manualSync = new ManualSync(learners, queue, orgId -> connections.usable(orgId).isPresent());
    private final BulkSync bulk = new BulkSync(learners, queue, orgId -> connections.usable(orgId).isPresent(), clock);
    private final MergeLearners merge = new MergeLearners(learners, logbook, invoices, clock);
    private final LearnerQueries queries = new LearnerQueries(learners, logbook, connections, clock);

    /** The learner as Xero holds it now, linked to {@code contactId}. */
    private void syncedAs(Learner learner, String contactId) {
        learners.save(ORG, learner, learners.find(ORG, learner.learnerId()).orElse(null), SyncState.PENDING, clock.instant());
        learners.recordSynced(ORG, learner.learnerId(), contactId, ContactDetails.of(learner).name(), learner.refInternal(),
                ContactDetails.of(learner).fingerprint(), clock.instant());
    }

    @Test
    void aSyncSavedOrBulkSyncedWhileTheOrganisationIsNotConnectedIsQueuedAndTheAnswerSaysItWaits() {
        SaveLearner.Saved saved = save.save(ORG, learner("L-1", "W1", "Ana", "Lopez"));
        BulkSync.Started started = bulk.start(ORG, List.of(learner("L-2", "W2", "Ben", "Kim")));

        assertThat(saved.queued()).isTrue();
        assertThat(saved.waitingForConnection()).isTrue();
        assertThat(started.queued()).isEqualTo(1);
        assertThat(started.waitingForConnection()).isTrue();
        assertThat(queue.queued()).hasSize(2);

        connections.connect(ORG, "tenant-1", clock.instant());
        assertThat(save.save(ORG, learner("L-3", "W3", "Cara", "Ng")).waitingForConnection()).isFalse();
        assertThat(bulk.start(ORG, List.of(learner("L-4", "W4", "Dan", "Lee"))).waitingForConnection()).isFalse();
    }

    @Test
    void aNewLearnerIsStoredPendingAndQueuedInteractive() {
        SaveLearner.Saved saved = save.save(ORG, learner("L-1", "W1", "Ana", "Lopez"));

        assertThat(saved.queued()).isTrue();
        assertThat(learners.find(ORG, "L-1").orElseThrow().state()).isEqualTo(SyncState.PENDING);
        assertThat(queue.queued()).containsExactly(
                new RecordingLearnerSyncQueue.Queued(ORG, List.of("L-1"), Priority.INTERACTIVE, false, null));
    }

    @Test
    void savingWhatXeroAlreadyHoldsStoresAndQueuesNothing() {
        Learner ana = learner("L-1", "W1", "Ana", "Lopez");
        syncedAs(ana, "c-1");

        SaveLearner.Saved again = save.save(ORG, ana);

        assertThat(again.changed()).isFalse();
        assertThat(again.queued()).isFalse();
        assertThat(queue.queued()).isEmpty();
    }

    @Test
    void aChangeXeroDoesNotHoldIsStoredButNotQueued() {
        Learner ana = learner("L-1", "W1", "Ana", "Lopez");
        syncedAs(ana, "c-1");
        Learner enrolled = new Learner("L-1", "W1", "Ana", "Lopez", ana.email(), ana.phone(), ana.address(), true,
                List.of(new org.lrm.xero.domain.learner.Enrolment("E-1", "BSB50120", LocalDate.of(2027, 2, 1), "CONFIRMED")));

        SaveLearner.Saved saved = save.save(ORG, enrolled);

        assertThat(saved.changed()).isTrue();
        assertThat(saved.queued()).isFalse();
        assertThat(learners.find(ORG, "L-1").orElseThrow().state()).isEqualTo(SyncState.SYNCED);
        assertThat(learners.find(ORG, "L-1").orElseThrow().learner().enrolments()).hasSize(1);
    }

    @Test
    void turningSyncOffKeepsTheContactAndSaysSoInTheLogbook() {
        Learner ana = learner("L-1", "W1", "Ana", "Lopez");
        syncedAs(ana, "c-1");

        save.save(ORG, syncOff(ana));

        assertThat(queue.queued()).isEmpty();
        assertThat(learners.find(ORG, "L-1").orElseThrow().contactId()).isEqualTo("c-1");
        assertThat(logbook.of(ORG, "L-1")).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("SYNC_TURNED_OFF");
            assertThat(e.xeroIds()).containsEntry("contactId", "c-1");
        });
    }

    @Test
    void aRefInternalBelongsToOneLearner() {
        save.save(ORG, learner("L-1", "W1", "Ana", "Lopez"));

        assertThatThrownBy(() -> save.save(ORG, learner("L-2", "W1", "Ben", "Kim"))).isInstanceOf(RefInternalTaken.class);
        assertThat(learners.find(ORG, "L-2")).isEmpty();
    }

    @Test
    void manualSyncPushesAgainAheadOfBulkWork() {
        connections.connect(ORG, "tenant-1", clock.instant());
        syncedAs(learner("L-1", "W1", "Ana", "Lopez"), "c-1");

        manualSync.request(ORG, "L-1");

        assertThat(queue.queued()).containsExactly(
                new RecordingLearnerSyncQueue.Queued(ORG, List.of("L-1"), Priority.INTERACTIVE, true, null));
    }

    @Test
    void manualSyncSaysWhyItCannotRun() {
        syncedAs(learner("L-1", "W1", "Ana", "Lopez"), "c-1");
        assertThatThrownBy(() -> manualSync.request(ORG, "L-1")).isInstanceOfSatisfying(SyncConflict.class,
                e -> assertThat(e.reason()).isEqualTo(SyncConflict.Reason.NOT_CONNECTED));

        connections.connect(ORG, "tenant-1", clock.instant());
        save.save(ORG, syncOff(learner("L-2", "W2", "Ben", "Kim")));
        assertThatThrownBy(() -> manualSync.request(ORG, "L-2")).isInstanceOfSatisfying(SyncConflict.class,
                e -> assertThat(e.reason()).isEqualTo(SyncConflict.Reason.SYNC_OFF));

        learners.recordMerged(ORG, "L-1", "L-2", clock.instant());
        assertThatThrownBy(() -> manualSync.request(ORG, "L-1")).isInstanceOfSatisfying(SyncConflict.class,
                e -> assertThat(e.reason()).isEqualTo(SyncConflict.Reason.MERGED));

        assertThatThrownBy(() -> manualSync.request(ORG, "L-404")).isInstanceOf(NotFound.class).hasMessage("No learner L-404.");
        assertThat(queue.queued()).isEmpty();
    }

    @Test
    void bulkSyncQueuesOnlyWhatXeroDoesNotHoldAtBulkPriorityUnderOneJob() {
        Learner held = learner("L-1", "W1", "Ana", "Lopez");
        syncedAs(held, "c-1");
        Learner changed = withEmail(learner("L-2", "W2", "Ben", "Kim"), "ben@new.example");
        syncedAs(learner("L-2", "W2", "Ben", "Kim"), "c-2");

        BulkSync.Started started = bulk.start(ORG, List.of(held, changed, learner("L-3", "W3", "Cara", "Ng"),
                syncOff(learner("L-4", "W4", "Dan", "Roe"))));

        assertThat(started.received()).isEqualTo(4);
        assertThat(started.queued()).isEqualTo(2);
        assertThat(queue.queued()).singleElement().satisfies(q -> {
            assertThat(q.learnerIds()).containsExactly("L-2", "L-3");
            assertThat(q.priority()).isEqualTo(Priority.BULK);
            assertThat(q.jobId()).isEqualTo(started.jobId()).startsWith("bulk-");
        });
        assertThat(learners.find(ORG, "L-4").orElseThrow().state()).isEqualTo(SyncState.NOT_SYNCED);
        assertThat(learners.find(ORG, "L-1").orElseThrow().state()).isEqualTo(SyncState.SYNCED);
    }

    @Test
    void anLrmMergeMovesTheInvoicesAndAsksFinanceToMergeTheContacts() {
        syncedAs(learner("L-1", "W1", "Ana", "Lopez"), "c-1");
        syncedAs(learner("L-2", "W2", "Ana", "Lopez-Garcia"), "c-2");
        invoices.saveAll(ORG, List.of(new InvoiceStore.Owned("L-1", InvoiceProjection.project(FakeXeroLedger.salesInvoice(
                "inv-1", "c-1", LocalDate.of(2027, 2, 1), Instant.parse("2027-02-01T00:00:00Z"), "AUTHORISED")))));

        MergeLearners.Merged merged = merge.merge(ORG, "L-1", "L-2");

        assertThat(merged).isEqualTo(new MergeLearners.Merged("c-1", "c-2"));
        assertThat(invoices.ofLearner(ORG, "L-2")).extracting(s -> s.invoice().invoiceId()).containsExactly("inv-1");
        assertThat(learners.learnersOfContacts(ORG, List.of("c-1"))).containsEntry("c-1", "L-2");
        assertThat(learners.find(ORG, "L-1").orElseThrow().mergedInto()).isEqualTo("L-2");
        assertThat(logbook.of(ORG, "L-2")).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("MERGED_FROM");
            assertThat(e.summary()).contains("1 invoice(s) moved here").contains("In Xero, merge contact Ana Lopez W1 into");
        });
        assertThatThrownBy(() -> merge.merge(ORG, "L-2", "L-2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> merge.merge(ORG, "L-2", "L-9")).isInstanceOf(NotFound.class);
    }

    @Test
    void theFinanceReportListsWhatChangedAndTheMergesFinanceMustMake() {
        Instant since = clock.instant();
        syncedAs(learner("L-1", "W1", "Ana", "Lopez"), "c-1");
        syncedAs(learner("L-2", "W2", "Ana", "Lopez-Garcia"), "c-2");
        clock.advance(Duration.ofMinutes(1));
        merge.merge(ORG, "L-1", "L-2");

        LearnerQueries.FinanceReportPage page = queries.financeReport(ORG, since, null, FinanceReport.MAX_LIMIT);

        FinanceReport report = page.report();
        assertThat(report.learners()).extracting(FinanceReport.Line::learnerId).containsExactly("L-2");
        assertThat(report.contactsToMerge()).containsExactly(new FinanceReport.ContactMerge("L-1", "L-2", "c-1", "c-2"));
        assertThat(page.next()).isNull();
        assertThat(queries.financeReport(ORG, clock.instant().plusSeconds(1), null, FinanceReport.MAX_LIMIT).report().learners())
                .isEmpty();
    }

    @Test
    void theFinanceReportIsReadAPageAtATimeEachLearnerOnceInTheOrderTheyChanged() {
        Instant since = clock.instant();
        for (int i = 0; i < 7; i++) {
            syncedAs(learner("L-" + i, "W" + i, "Ana", "Lopez" + i), "c-" + i);
            clock.advance(Duration.ofSeconds(1));
        }
        List<String> seen = new java.util.ArrayList<>();
        List<Integer> sizes = new java.util.ArrayList<>();
        String next = null;
        do {
            LearnerQueries.FinanceReportPage page = queries.financeReport(ORG, since, next, 3);
            page.report().learners().forEach(l -> seen.add(l.learnerId()));
            sizes.add(page.report().learners().size());
            next = page.next();
        } while (next != null);

        assertThat(sizes).containsExactly(3, 3, 1);
        assertThat(seen).containsExactly("L-0", "L-1", "L-2", "L-3", "L-4", "L-5", "L-6");
    }

    @Test
    void staffReadALearnersStatusAndLogbookOrAreToldThereIsNone() {
        syncedAs(learner("L-1", "W1", "Ana", "Lopez"), "c-1");
        logbook.append(ORG, "L-1", new LogEntry(clock.instant(), "CONTACT_CREATED", "Synced", java.util.Map.of()));

        assertThat(queries.status(ORG, "L-1").contactId()).isEqualTo("c-1");
        assertThat(queries.logbook(ORG, "L-1", 10)).extracting(LogEntry::kind).containsExactly("CONTACT_CREATED");
        assertThatThrownBy(() -> queries.status(ORG, "L-404")).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> queries.logbook("org-2", "L-1", 10)).isInstanceOf(NotFound.class);
    }

    @Test
    void aLearnersStateSaysWhichScopeTheConnectionLacks() {
        syncedAs(learner("L-1", "W1", "Ana", "Lopez"), "c-1");
        assertThat(queries.missingScopes(ORG)).isEmpty();
        connections.connect(ORG, "tenant-1", clock.instant());
        connections.recordMissingScope(ORG, "accounting.payments.read", "Xero refused GET Payments", clock.instant());

        assertThat(queries.missingScopes(ORG)).containsExactly("accounting.payments.read");
        assertThat(queries.status(ORG, "L-1").state()).isEqualTo(SyncState.SYNCED);
    }
}
