package org.lrm.xero.app.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.app.fakes.TestData.learner;
import static org.lrm.xero.app.fakes.TestData.learnerSync;
import static org.lrm.xero.app.fakes.TestData.syncOff;
import static org.lrm.xero.app.fakes.TestData.withEmail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroContacts;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryLogbook;
import org.lrm.xero.app.fakes.TestData;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.ContactWrite;
import org.lrm.xero.app.xero.XeroCallFailed;
import org.lrm.xero.app.xero.XeroContact;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.learner.ContactDetails;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.WaitReason;
import org.lrm.xero.support.Json;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.domain.connection.XeroScopes;

class SyncLearnersTest {

    private static final String ORG = "org-1";
    private static final XeroTenant TENANT = new XeroTenant(ORG, "tenant-1");

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final InMemoryLearnerStore learners = new InMemoryLearnerStore();
    private final InMemoryLogbook logbook = new InMemoryLogbook();
    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final FakeXeroContacts xero = new FakeXeroContacts(clock);
    private final SyncLearners sync = new SyncLearners(learners, logbook, connections, xero, clock);

    @BeforeEach
    void connected() {
        connections.connect(ORG, TENANT.tenantId(), clock.instant());
    }

    private Learner saved(Learner learner) {
        learners.save(ORG, learner, null, SyncState.PENDING, clock.instant());
        return learner;
    }

    private Map<String, WorkOutcome> process(Work... work) {
        return sync.process(ORG, List.of(work));
    }

    private LearnerRecord record(String learnerId) {
        return learners.find(ORG, learnerId).orElseThrow();
    }

    @Test
    void aNewLearnerBecomesAContactNamedAfterThemAndIsLinked() {
        saved(learner("L-1", "W1", "Ana", "Lopez"));

        Work w = learnerSync(ORG, Priority.INTERACTIVE, false, List.of("L-1"));
        assertThat(process(w)).containsEntry(w.messageId(), WorkOutcome.DONE);

        LearnerRecord r = record("L-1");
        assertThat(r.state()).isEqualTo(SyncState.SYNCED);
        XeroContact contact = xero.contact(r.contactId());
        assertThat(contact.name()).isEqualTo("Ana Lopez W1");
        assertThat(contact.contactNumber()).isEqualTo("W1");
        assertThat(r.syncedFingerprint()).isEqualTo(ContactDetails.of(r.learner()).fingerprint());
        assertThat(learners.learnersOfContacts(ORG, List.of(r.contactId()))).containsEntry(r.contactId(), "L-1");
        assertThat(logbook.kinds(ORG, "L-1")).containsExactly("CONTACT_CREATED");
        assertThat(xero.calls("save")).singleElement().satisfies(c -> assertThat(c.tenant()).isEqualTo(TENANT));
    }

    @Test
    void learnersGoFiftyToACall() {
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 120).forEach(i -> ids.add(saved(learner("L-" + i, "W" + i, "First" + i, "Last")).learnerId()));

        process(learnerSync(ORG, Priority.BULK, false, ids));

        assertThat(xero.calls("save")).extracting(FakeXeroContacts.Call::size).containsExactly(50, 50, 20);
        assertThat(ids).allSatisfy(id -> assertThat(record(id).state()).isEqualTo(SyncState.SYNCED));
        assertThat(xero.all()).hasSize(120);
    }

    @Test
    void aRefusedLearnerFailsAloneWithXerosWordsAndWhatToDo() {
        saved(learner("L-1", "W1", "Ana", "Lopez"));
        String other = xero.existing("Someone Else", "W2");
        saved(learner("L-2", "W2-other", "Ben", "Kim"));
        saved(learner("L-3", "W3", "Cara", "Ng"));
        // L-2 is linked to a contact finance has since archived: Xero refuses that element only.
        learners.recordSynced(ORG, "L-2", other, "Someone Else", "W2", "old", clock.instant());
        xero.archive(other);
        Work w = learnerSync(ORG, Priority.BULK, true, List.of("L-1", "L-2", "L-3"));

        assertThat(process(w)).containsEntry(w.messageId(), WorkOutcome.DONE);

        assertThat(record("L-1").state()).isEqualTo(SyncState.SYNCED);
        assertThat(record("L-3").state()).isEqualTo(SyncState.SYNCED);
        LearnerRecord failed = record("L-2");
        assertThat(failed.state()).isEqualTo(SyncState.FAILED);
        assertThat(failed.error()).startsWith("The contact has been archived").contains("What to do: restore the contact in Xero");
        assertThat(logbook.of(ORG, "L-2")).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("SYNC_FAILED");
            assertThat(e.xeroIds()).containsEntry("contactId", other);
        });
        assertThat(xero.calls("save")).hasSize(1);
    }

    @Test
    void aContactXeroAlreadyHasUnderTheLearnersNumberIsAdoptedNotDuplicated() {
        // Created before a crash lost its link: Xero refuses the name, the number finds it.
        String existing = xero.existing("Ana Lopez W1", "W1");
        saved(learner("L-1", "W1", "Ana", "Lopez"));

        process(learnerSync(ORG, Priority.BULK, false, List.of("L-1")));

        assertThat(record("L-1").contactId()).isEqualTo(existing);
        assertThat(record("L-1").state()).isEqualTo(SyncState.SYNCED);
        assertThat(xero.all()).hasSize(1);
        assertThat(xero.calls()).extracting(FakeXeroContacts.Call::method).containsExactly("save", "withNumbers", "save");
        assertThat(xero.calls("save").get(1).contactIds()).containsExactly(existing);
        // For the learner it is the first sync: the logbook says it was synced as that contact.
        assertThat(logbook.kinds(ORG, "L-1")).containsExactly("CONTACT_CREATED");
    }

    @Test
    void aContactFinanceMergedAwayIsFollowedToTheSurvivor() {
        String old = xero.existing("Ana Lopez W1", "W1");
        String survivor = xero.existing("Ana Lopez-Garcia", null);
        xero.merge(old, survivor);
        saved(learner("L-1", "W1", "Ana", "Lopez"));

        process(learnerSync(ORG, Priority.BULK, false, List.of("L-1")));

        // The archived contact keeps the number: Xero refuses to create another, the number finds the merge.
        assertThat(xero.calls()).extracting(FakeXeroContacts.Call::method).containsExactly("save", "withNumbers", "save");
        assertThat(xero.calls("save").get(1).contactIds()).containsExactly(survivor);
        assertThat(xero.all()).hasSize(2);
    }

    @Test
    void anArchivedContactWithTheLearnersNumberIsNotAdopted() {
        String archived = xero.existing("Ana Lopez W1", "W1");
        xero.archive(archived);
        saved(learner("L-1", "W1", "Ana", "Lopez"));

        process(learnerSync(ORG, Priority.BULK, false, List.of("L-1")));

        LearnerRecord r = record("L-1");
        assertThat(r.state()).isEqualTo(SyncState.FAILED);
        assertThat(r.contactId()).isNull();
        assertThat(r.error()).isEqualTo("The contact with ContactNumber W1 has been archived in Xero. What to do: restore the"
                + " contact in Xero (or, if finance merged it, wait for the merge to reach the LRM), then press Manual Sync.");
        assertThat(xero.all()).hasSize(1);
    }

    @Test
    void aNameTakenByAnotherPersonFailsWithTheAdviceToRename() {
        xero.existing("Ana Lopez W1", "SOMEONE-ELSE");
        saved(learner("L-1", "W1", "Ana", "Lopez"));

        process(learnerSync(ORG, Priority.BULK, false, List.of("L-1")));

        LearnerRecord r = record("L-1");
        assertThat(r.state()).isEqualTo(SyncState.FAILED);
        assertThat(r.error()).startsWith("The contact name Ana Lopez W1 is already assigned to another contact.")
                .contains("another active Xero contact has this name");
    }

    @Test
    void aNumberTakenByAnotherContactFailsWithTheAdviceToCorrectOne() {
        String mine = xero.existing("Ana Lopez W1", "W1");
        xero.existing("Ben Kim W2", "W2");
        saved(learner("L-1", "W2", "Ana", "Lopez"));
        learners.recordSynced(ORG, "L-1", mine, "Ana Lopez W1", "W1", "old", clock.instant());

        process(learnerSync(ORG, Priority.BULK, false, List.of("L-1")));

        assertThat(record("L-1").error()).startsWith("The contact number W2 is already assigned to another contact.")
                .contains("uses this RefInternal as its contact number");
        assertThat(xero.calls("withNumbers")).isEmpty();
    }

    @Test
    void aLinkedLearnerIsSentWithItsContactIdAndUpdatesIt() {
        saved(learner("L-1", "W1", "Ana", "Lopez"));
        process(learnerSync(ORG, Priority.BULK, false, List.of("L-1")));
        String contactId = record("L-1").contactId();
        learners.save(ORG, withEmail(record("L-1").learner(), "ana@new.example"), record("L-1"), SyncState.PENDING,
                clock.instant());

        process(learnerSync(ORG, Priority.BULK, false, List.of("L-1")));

        assertThat(record("L-1").contactId()).isEqualTo(contactId);
        assertThat(xero.all()).hasSize(1);
        assertThat(logbook.kinds(ORG, "L-1")).containsExactly("CONTACT_CREATED", "CONTACT_UPDATED");
    }

    @Test
    void aLearnerXeroAlreadyHoldsCostsNoCallUnlessForced() {
        saved(learner("L-1", "W1", "Ana", "Lopez"));
        process(learnerSync(ORG, Priority.BULK, false, List.of("L-1")));

        process(learnerSync(ORG, Priority.BULK, false, List.of("L-1")));
        assertThat(xero.calls("save")).hasSize(1);

        process(learnerSync(ORG, Priority.INTERACTIVE, true, List.of("L-1")));
        assertThat(xero.calls("save")).hasSize(2);
    }

    @Test
    void mergedLearnersAndLearnersWithSyncOffAreNotPushed() {
        saved(syncOff(learner("L-1", "W1", "Ana", "Lopez")));
        saved(learner("L-2", "W2", "Ben", "Kim"));
        learners.recordMerged(ORG, "L-2", "L-3", clock.instant());
        Work w = learnerSync(ORG, Priority.BULK, true, List.of("L-1", "L-2", "L-404"));

        assertThat(process(w)).containsEntry(w.messageId(), WorkOutcome.DONE);
        assertThat(xero.calls()).isEmpty();
    }

    @Test
    void aRetryAfterACrashSendsTheSameKeyAndXeroReplaysItsAnswer() {
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 30).forEach(i -> ids.add(saved(learner("L-" + i, "W" + i, "Crash", "Test" + i)).learnerId()));
        learners.crashBeforeRecordingSynced(1);
        Work first = learnerSync(ORG, Priority.BULK, false, ids);

        assertThat(process(first).get(first.messageId())).isInstanceOf(WorkOutcome.Retry.class);
        assertThat(ids).allSatisfy(id -> assertThat(record(id).contactId()).isNull());

        assertThat(ids).allSatisfy(id -> assertThat(record(id).creatingAs()).as("marked before the create").isNotNull());

        process(TestData.redelivered(first));

        List<FakeXeroContacts.Call> saves = xero.calls("save");
        assertThat(saves).hasSize(2);
        assertThat(xero.calls("withNumbers")).as("one look-up for the chunk, before the second write").hasSize(1);
        assertThat(saves.get(1).contactIds()).as("the contacts Xero created are updated").doesNotContain("");
        assertThat(xero.all()).hasSize(30);
        assertThat(ids).allSatisfy(id -> {
            assertThat(record(id).state()).isEqualTo(SyncState.SYNCED);
            assertThat(record(id).creatingAs()).isNull();
        });
    }

    @Test
    void aCreateTheBudgetHeldBackIsRetriedWithoutALookUp() {
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 50).forEach(i -> ids.add(saved(learner("L-" + i, "W" + i, "Held", "Back" + i)).learnerId()));
        Work w = learnerSync(ORG, Priority.BULK, false, ids);
        xero.failNext(new WaitForBudget(Duration.ofSeconds(40), WaitReason.MINUTE));

        assertThat(process(w).get(w.messageId())).isInstanceOf(WorkOutcome.Defer.class);
        assertThat(ids).allSatisfy(id -> assertThat(record(id).creatingAs()).as("nothing reached Xero").isNull());

        process(TestData.redelivered(w));

        assertThat(xero.calls()).extracting(FakeXeroContacts.Call::method).as("the held-back save, then the save itself")
                .containsExactly("save", "save");
        assertThat(ids).allSatisfy(id -> assertThat(record(id).state()).isEqualTo(SyncState.SYNCED));
    }

    @Test
    void aFirstCreateCostsOneCallAndNoLookUp() {
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 50).forEach(i -> ids.add(saved(learner("L-" + i, "W" + i, "New", "Learner" + i)).learnerId()));

        process(learnerSync(ORG, Priority.BULK, false, ids));

        assertThat(xero.calls()).extracting(FakeXeroContacts.Call::method).containsExactly("save");
    }

    @Test
    void aCrashAfterXerosCreateThenAnEditThenTheRetryLeavesOneContactPerLearner() {
        xero.allowDuplicateNumbers(); // as Xero: nothing refuses a second contact with the same ContactNumber
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 30).forEach(i -> ids.add(saved(learner("L-" + i, "W" + i, "Crash", "Test" + i)).learnerId()));
        learners.crashBeforeRecordingSynced(1);
        Work first = learnerSync(ORG, Priority.BULK, false, ids);
        assertThat(process(first).get(first.messageId())).isInstanceOf(WorkOutcome.Retry.class);
        // Staff edit every learner's name before the retry: another body, another Idempotency-Key, another Name.
        for (String id : ids) {
            Learner before = record(id).learner();
            Learner edited = new Learner(id, before.refInternal(), "Edited", before.lastName(), before.email(),
                    before.phone(), before.address(), true, before.enrolments());
            learners.save(ORG, edited, record(id), SyncState.PENDING, clock.instant());
        }
        Work edit = learnerSync(ORG, Priority.INTERACTIVE, false, ids);

        assertThat(process(edit).get(edit.messageId())).isEqualTo(WorkOutcome.DONE);
        assertThat(process(TestData.redelivered(first)).get(first.messageId())).isEqualTo(WorkOutcome.DONE);

        assertThat(xero.all()).as("one contact per learner").hasSize(30)
                .allSatisfy(c -> assertThat(c.name()).startsWith("Edited "));
        assertThat(ids).allSatisfy(id -> assertThat(record(id).state()).isEqualTo(SyncState.SYNCED));
    }

    @Test
    void aChunkXeroRefusesOutrightFailsOnlyItsOwnMessageAndTheNextChunkIsSent() {
        List<String> firstChunk = new ArrayList<>();
        IntStream.range(0, 50).forEach(i -> firstChunk.add(saved(learner("A-" + i, "A" + i, "First", "Call" + i)).learnerId()));
        saved(learner("Z-1", "Z1", "Second", "Call"));
        Work refused = learnerSync(ORG, Priority.BULK, false, firstChunk);
        Work next = learnerSync(ORG, Priority.BULK, false, List.of("Z-1"));
        xero.failNext(new XeroCallFailed("POST Contacts", true, "A validation exception occurred"));

        Map<String, WorkOutcome> outcomes = process(refused, next);

        assertThat(outcomes.get(refused.messageId())).isInstanceOf(WorkOutcome.Fail.class);
        assertThat(outcomes.get(next.messageId())).isEqualTo(WorkOutcome.DONE);
        assertThat(record("Z-1").state()).isEqualTo(SyncState.SYNCED);
    }

    @Test
    void whenXeroFailsTheLearnersNeverAttemptedBackOffAndNoneFails() {
        List<String> firstChunk = new ArrayList<>();
        IntStream.range(0, 50).forEach(i -> firstChunk.add(saved(learner("A-" + i, "A" + i, "First", "Call" + i)).learnerId()));
        saved(learner("Z-1", "Z1", "Second", "Call"));
        Work failing = learnerSync(ORG, Priority.BULK, false, firstChunk);
        Work neverAttempted = learnerSync(ORG, Priority.BULK, false, List.of("Z-1"));
        xero.failNext(new XeroCallFailed("POST Contacts", false, "503 Service Unavailable"));

        Map<String, WorkOutcome> outcomes = process(failing, neverAttempted);

        assertThat(outcomes.get(failing.messageId())).isInstanceOf(WorkOutcome.XeroFailing.class);
        assertThat(outcomes.get(neverAttempted.messageId())).isInstanceOf(WorkOutcome.XeroFailing.class);
        assertThat(xero.calls("save")).as("no call after Xero failed").hasSize(1);
        assertThat(record("Z-1").state()).isEqualTo(SyncState.PENDING);
        assertThat(record("A-0").state()).isEqualTo(SyncState.PENDING);
    }

    @Test
    void aMessageDroppedAfterItsOrganisationStayedUnconnectedFailsItsWaitingLearnersWithWhatToDo() {
        saved(learner("L-1", "W1", "Ana", "Lopez"));
        saved(learner("L-2", "W2", "Ben", "Kim"));
        process(learnerSync(ORG, Priority.BULK, false, List.of("L-2")));
        Work parked = learnerSync(ORG, Priority.BULK, false, List.of("L-1", "L-2"));

        sync.dropped(ORG, parked, "the organisation was not connected to Xero for 7 days");

        assertThat(record("L-1").state()).isEqualTo(SyncState.FAILED);
        assertThat(record("L-1").error()).contains("not connected to Xero for 7 days", "Manual Sync");
        assertThat(logbook.kinds(ORG, "L-1")).contains("SYNC_DROPPED");
        assertThat(record("L-2").state()).as("already synced: untouched").isEqualTo(SyncState.SYNCED);
    }

    @Test
    void theKeyNamesTheBatchItsDetailsAndTheAttempts() {
        Learner ana = learner("L-1", "W1", "Ana", "Lopez");
        var write = new ContactWrite(null, ContactDetails.of(ana));
        var changed = new ContactWrite(null, ContactDetails.of(withEmail(ana, "other@example.org")));
        Set<String> attempt = Set.of("a-1");

        String key = SyncLearners.idempotencyKey(ORG, attempt, List.of(write));
        assertThat(SyncLearners.idempotencyKey(ORG, attempt, List.of(write))).isEqualTo(key).startsWith("lrm-contacts-")
                .hasSizeLessThan(129);
        assertThat(SyncLearners.idempotencyKey(ORG, attempt, List.of(changed))).isNotEqualTo(key);
        assertThat(SyncLearners.idempotencyKey("org-2", attempt, List.of(write))).isNotEqualTo(key);
        assertThat(SyncLearners.idempotencyKey(ORG, attempt, List.of(new ContactWrite("c-1",
                ContactDetails.of(ana))))).isNotEqualTo(key);
        assertThat(SyncLearners.idempotencyKey(ORG, Set.of("a-2"), List.of(write))).isNotEqualTo(key);
    }

    @Test
    void aManualSyncAfterFinanceFixedTheClashInXeroIsNotAnsweredWithXerosRememberedRefusal() {
        String other = xero.existing("Ana Lopez W1", "SOMEONE-ELSE");
        saved(learner("L-1", "W1", "Ana", "Lopez"));
        Work save = learnerSync(ORG, Priority.INTERACTIVE, false, List.of("L-1"));
        process(save);
        assertThat(record("L-1").state()).isEqualTo(SyncState.FAILED);

        // Finance archives the other contact; the learner's message comes again, then staff press Manual Sync.
        xero.archive(other);
        process(TestData.redelivered(save));
        assertThat(record("L-1").state()).as("a redelivery is the same attempt: Xero replays its answer")
                .isEqualTo(SyncState.FAILED);
        process(learnerSync(ORG, Priority.INTERACTIVE, true, List.of("L-1")));

        assertThat(record("L-1").state()).isEqualTo(SyncState.SYNCED);
        List<FakeXeroContacts.Call> saves = xero.calls("save");
        assertThat(saves).hasSize(3);
        assertThat(saves.get(1).idempotencyKey()).isEqualTo(saves.get(0).idempotencyKey());
        assertThat(saves.get(2).idempotencyKey()).isNotEqualTo(saves.get(0).idempotencyKey());
    }

    @Test
    void aManualSyncGoesFirstAndItsCallAtInteractivePriority() {
        List<String> bulk = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> bulk.add(saved(learner("B-" + i, "B" + i, "Bulk", "Learner" + i)).learnerId()));
        saved(learner("M-1", "M1", "Manual", "Sync"));

        process(learnerSync(ORG, Priority.BULK, false, bulk), learnerSync(ORG, Priority.INTERACTIVE, true, List.of("M-1")));

        List<FakeXeroContacts.Call> saves = xero.calls("save");
        assertThat(saves).extracting(FakeXeroContacts.Call::priority).containsExactly(Priority.INTERACTIVE, Priority.BULK);
        assertThat(saves).extracting(FakeXeroContacts.Call::size).containsExactly(50, 11);
        assertThat(xero.all()).extracting(XeroContact::name).first().isEqualTo("Manual Sync M1");
    }

    @Test
    void whenXerosBudgetRunsOutOnlyTheMessagesItStoppedWait() {
        List<String> first = new ArrayList<>();
        IntStream.range(0, 50).forEach(i -> first.add(saved(learner("A-" + i, "A" + i, "First", "Call" + i)).learnerId()));
        saved(learner("Z-1", "Z1", "Second", "Call"));
        Work done = learnerSync(ORG, Priority.BULK, false, first);
        Work waiting = learnerSync(ORG, Priority.BULK, false, List.of("Z-1"));
        xero.answerNext();
        xero.failNext(new WaitForBudget(Duration.ofSeconds(40), WaitReason.MINUTE));

        Map<String, WorkOutcome> outcomes = process(done, waiting);

        assertThat(outcomes.get(done.messageId())).isEqualTo(WorkOutcome.DONE);
        assertThat(outcomes.get(waiting.messageId())).isEqualTo(new WorkOutcome.Defer(Duration.ofSeconds(40), "minute"));
        assertThat(record("Z-1").state()).isEqualTo(SyncState.PENDING);
    }

    @Test
    void aMessageNamingNoLearnerFailsAloneAndTheOthersRun() {
        saved(learner("L-1", "W1", "Ana", "Lopez"));
        Work bad = TestData.work(WorkMessage.of(LearnerSyncRequest.KIND, ORG, null, Priority.BULK,
                Json.MAPPER.createObjectNode()));
        Work good = learnerSync(ORG, Priority.BULK, false, List.of("L-1"));

        Map<String, WorkOutcome> outcomes = process(bad, good);

        assertThat(outcomes.get(bad.messageId())).isInstanceOf(WorkOutcome.Fail.class);
        assertThat(outcomes.get(good.messageId())).isEqualTo(WorkOutcome.DONE);
    }

    @Test
    void anOrganisationThatMustReconnectWaitsWithoutACall() {
        connections.markNeedsReconnect(ORG, "Xero refused the refresh token", clock.instant());
        saved(learner("L-1", "W1", "Ana", "Lopez"));

        assertThatThrownBy(() -> process(learnerSync(ORG, Priority.BULK, false, List.of("L-1"))))
                .isInstanceOf(ConnectionUnavailable.class).hasMessageContaining("NEEDS_RECONNECT");
        assertThat(xero.calls()).isEmpty();
    }

    @Test
    void aNeverConnectedOrganisationIsDisconnected() {
        assertThatThrownBy(() -> sync.process("org-never", List.of(learnerSync("org-never", Priority.BULK, false,
                List.of("L-1"))))).isInstanceOf(ConnectionUnavailable.class).hasMessageContaining("DISCONNECTED");
    }

    @Test
    void aMessageIsDoneOnlyWhenEveryOneOfItsLearnersIs() {
        Instant start = clock.instant();
        saved(learner("L-1", "W1", "Ana", "Lopez"));
        saved(learner("L-2", "W2", "Ben", "Kim"));
        Work both = learnerSync(ORG, Priority.BULK, false, List.of("L-1", "L-2"));
        xero.failNext(new WaitForBudget(Duration.ofMinutes(5), WaitReason.DAY));

        assertThat(process(both).get(both.messageId())).isInstanceOf(WorkOutcome.Defer.class);
        assertThat(learners.changedSince(ORG, start, null, 10).learners()).extracting(c -> c.record().state())
                .containsOnly(SyncState.PENDING);
    }

    @Test
    void withoutTheContactsScopeLearnersWaitAsTheyAreAndXeroIsNotCalledButAnotherMissingScopeHoldsNothingBack() {
        saved(learner("L-1", "W1", "Ana", "Lopez"));
        connections.recordMissingScope(ORG, "accounting.payments.read", "Xero refused GET Payments", clock.instant());
        process(learnerSync(ORG, Priority.INTERACTIVE, false, List.of("L-1")));
        assertThat(record("L-1").state()).isEqualTo(SyncState.SYNCED);

        saved(learner("L-2", "W2", "Ben", "Kim"));
        connections.recordMissingScope(ORG, "accounting.contacts", "Xero refused POST Contacts", clock.instant());
        assertThatThrownBy(() -> process(learnerSync(ORG, Priority.INTERACTIVE, false, List.of("L-2"))))
                .isInstanceOfSatisfying(ScopeMissing.class, e -> assertThat(e.need()).isEqualTo(XeroScopes.Need.CONTACTS));

        assertThat(xero.calls("save")).hasSize(1);
        assertThat(record("L-2").state()).isEqualTo(SyncState.PENDING);
        assertThat(connections.connection(ORG).orElseThrow().usable()).isTrue();
    }
}
