package org.lrm.xero.app.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lrm.xero.app.fakes.FakeXeroLedger.salesInvoice;
import static org.lrm.xero.app.fakes.TestData.learner;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroContacts;
import org.lrm.xero.app.fakes.FakeXeroLedger;
import org.lrm.xero.app.fakes.InMemoryInvoiceStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryLogbook;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;

/** What finance did to learners' contacts in Xero: merges followed, archives flagged, other contacts free. */
class ContactChangesTest {

    private static final String ORG = "org-1";
    private static final XeroTenant TENANT = new XeroTenant(ORG, "tenant-1");

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final InMemoryLearnerStore learners = new InMemoryLearnerStore();
    private final InMemoryInvoiceStore invoices = new InMemoryInvoiceStore();
    private final InMemoryLogbook logbook = new InMemoryLogbook();
    private final FakeXeroContacts contacts = new FakeXeroContacts(clock);
    private final FakeXeroLedger ledger = new FakeXeroLedger();
    private final InvoiceUpdates updates = new InvoiceUpdates(ledger, learners, invoices, logbook, new RecordingWorkQueue(),
            clock);
    private final ContactChanges changes = new ContactChanges(contacts, ledger, learners, logbook, updates, clock);

    private String anasContact;

    @BeforeEach
    void anaIsSyncedAsAContact() {
        anasContact = contacts.existing("Ana Lopez W1", "W1");
        learners.save(ORG, learner("L-1", "W1", "Ana", "Lopez"), null, SyncState.PENDING, clock.instant());
        learners.recordSynced(ORG, "L-1", anasContact, "Ana Lopez W1", "W1", "fp", clock.instant());
    }

    private LearnerRecord ana() {
        return learners.find(ORG, "L-1").orElseThrow();
    }

    @Test
    void contactsNoLearnerIsLinkedToCostNoCall() {
        String walkIn = contacts.existing("Walk-in customer", null);
        contacts.archive(walkIn);

        changes.apply(TENANT, Priority.INTERACTIVE, List.of(walkIn, "c-unknown"));

        assertThat(contacts.calls()).isEmpty();
    }

    @Test
    void aLearnersContactMergedByFinanceIsFollowedWithItsInvoices() {
        // Ben's contact is one finance made (no number); finance merges it into another without one.
        String financeMade = contacts.existing("Ben Kim (finance)", null);
        learners.save(ORG, learner("L-2", "W2", "Ben", "Kim"), null, SyncState.PENDING, clock.instant());
        learners.recordSynced(ORG, "L-2", financeMade, "Ben Kim (finance)", null, "fp", clock.instant());
        String survivor = contacts.existing("Ben Kim-Lee", null);
        contacts.merge(financeMade, survivor);
        ledger.put(salesInvoice("inv-9", survivor, LocalDate.of(2027, 2, 1), Instant.parse("2027-02-01T00:00:00Z"), "AUTHORISED"));

        changes.apply(TENANT, Priority.INTERACTIVE, List.of(financeMade));

        LearnerRecord r = learners.find(ORG, "L-2").orElseThrow();
        assertThat(r.contactId()).isEqualTo(survivor);
        assertThat(r.contactNumber()).isEqualTo("W2");
        assertThat(r.syncedFingerprint()).isEqualTo(ContactChanges.ADOPTED_FINGERPRINT);
        assertThat(contacts.contact(survivor).contactNumber()).isEqualTo("W2");
        assertThat(contacts.calls("number")).singleElement().satisfies(c -> assertThat(c.idempotencyKey())
                .isEqualTo("adopt-" + survivor + "-L-2"));
        assertThat(invoices.find(ORG, "inv-9").orElseThrow().learnerId()).isEqualTo("L-2");
        assertThat(logbook.kinds(ORG, "L-2")).containsExactly("CONTACT_MERGED", "INVOICE_RAISED");
        assertThat(ledger.calls("invoicesOfContact")).singleElement()
                .satisfies(c -> assertThat(c.priority()).isEqualTo(Priority.INTERACTIVE));
    }

    @Test
    void aSurvivorWithItsOwnNumberKeepsIt() {
        String survivor = contacts.existing("Ana Lopez-Garcia", "FIN-7");
        contacts.merge(anasContact, survivor);

        changes.apply(TENANT, Priority.BULK, List.of(anasContact));

        assertThat(ana().contactId()).isEqualTo(survivor);
        assertThat(ana().contactNumber()).isEqualTo("FIN-7");
        assertThat(contacts.calls("number")).isEmpty();
    }

    @Test
    void aNumberXeroRefusesLeavesTheLearnerOnTheSurvivorWithoutOne() {
        String survivor = contacts.existing("Ana Lopez-Garcia", null);
        contacts.merge(anasContact, survivor);
        // The merged-away contact keeps W1, so Xero refuses it to the survivor.

        changes.apply(TENANT, Priority.BULK, List.of(anasContact));

        assertThat(ana().contactId()).isEqualTo(survivor);
        assertThat(ana().contactNumber()).isNull();
        assertThat(ana().state()).isEqualTo(SyncState.SYNCED);
    }

    @Test
    void aMergeSeenAgainIsFollowedOnce() {
        String survivor = contacts.existing("Ana Lopez-Garcia", null);
        contacts.merge(anasContact, survivor);
        changes.apply(TENANT, Priority.BULK, List.of(anasContact));

        // The same webhook delivered again, or the nightly run reading the archived contact.
        changes.apply(TENANT, Priority.BULK, List.of(anasContact));

        assertThat(logbook.kinds(ORG, "L-1")).containsExactly("CONTACT_MERGED");
        assertThat(contacts.calls("number")).hasSize(1);
        assertThat(ledger.calls("invoicesOfContact")).hasSize(1);
    }

    @Test
    void contactsAlreadyReadWithTheirMergesAreFollowedWithoutReadingThemAgain() {
        String survivor = contacts.existing("Ana Lopez-Garcia", "FIN-7");
        contacts.merge(anasContact, survivor);
        String walkIn = contacts.existing("Walk-in customer", null);
        contacts.archive(walkIn);

        changes.applyRead(TENANT, Priority.BULK, List.of(contacts.contact(walkIn), contacts.contact(anasContact)));

        assertThat(ana().contactId()).isEqualTo(survivor);
        assertThat(contacts.calls("withIds")).extracting(FakeXeroContacts.Call::size).containsExactly(1);
    }

    @Test
    void aContactArchivedWithoutAMergeFlagsTheLearnerForStaff() {
        contacts.archive(anasContact);

        changes.apply(TENANT, Priority.BULK, List.of(anasContact));

        LearnerRecord r = ana();
        assertThat(r.state()).isEqualTo(SyncState.FAILED);
        assertThat(r.error()).contains("archived this learner's Xero contact Ana Lopez W1 without merging it");
        assertThat(r.contactId()).isEqualTo(anasContact);
        assertThat(logbook.kinds(ORG, "L-1")).containsExactly("CONTACT_ARCHIVED");
        assertThat(ledger.calls()).isEmpty();
    }

    @Test
    void anActiveContactOrOneNoLongerTheLearnersChangesNothing() {
        String older = contacts.existing("Ana Old", "OLD-1");
        learners.linkContact(ORG, older, "L-1");
        contacts.archive(older);

        changes.apply(TENANT, Priority.BULK, List.of(anasContact, older));

        assertThat(ana().state()).isEqualTo(SyncState.SYNCED);
        assertThat(ana().contactId()).isEqualTo(anasContact);
        assertThat(logbook.kinds(ORG, "L-1")).isEmpty();
        assertThat(contacts.calls("withIds")).singleElement().satisfies(c -> assertThat(c.size()).isEqualTo(2));
    }
}
