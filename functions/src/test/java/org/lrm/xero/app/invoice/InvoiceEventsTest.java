package org.lrm.xero.app.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lrm.xero.app.fakes.FakeXeroLedger.salesInvoice;
import static org.lrm.xero.app.fakes.TestData.learner;
import static org.lrm.xero.app.fakes.TestData.message;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroContacts;
import org.lrm.xero.app.fakes.FakeXeroLedger;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryInvoiceStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryLogbook;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.domain.invoice.WebhookPayload.WebhookEvent;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.app.xero.ScopeMissing;

/** The invoice worker: webhook events and polled ids, each resource once, events once. */
class InvoiceEventsTest {

    private static final String ORG = "org-1";
    private static final String TENANT = "tenant-1";
    private static final LocalDate FEB_1 = LocalDate.of(2027, 2, 1);
    private static final Instant T1 = Instant.parse("2027-02-01T10:00:00Z");

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final InMemoryLearnerStore learners = new InMemoryLearnerStore();
    private final InMemoryInvoiceStore invoices = new InMemoryInvoiceStore();
    private final InMemoryLogbook logbook = new InMemoryLogbook();
    private final FakeXeroLedger ledger = new FakeXeroLedger();
    private final FakeXeroContacts contacts = new FakeXeroContacts(clock);
    private final InvoiceUpdates updates = new InvoiceUpdates(ledger, learners, invoices, logbook, new RecordingWorkQueue(),
            clock);
    private final InvoiceEvents events = new InvoiceEvents(connections, invoices, updates,
            new ContactChanges(contacts, ledger, learners, logbook, updates, clock), ledger, clock);

    private String anasContact;

    @BeforeEach
    void connectedWithALinkedLearner() {
        connections.connect(ORG, TENANT, clock.instant());
        anasContact = contacts.existing("Ana Lopez W1", "W1");
        learners.save(ORG, learner("L-1", "W1", "Ana", "Lopez"), null, SyncState.PENDING, clock.instant());
        learners.recordSynced(ORG, "L-1", anasContact, "Ana Lopez W1", "W1", "fp", clock.instant());
        ledger.put(salesInvoice("inv-1", anasContact, FEB_1, T1, "AUTHORISED"));
        ledger.put(salesInvoice("inv-2", anasContact, FEB_1, T1, "AUTHORISED"));
    }

    private static WebhookEvent event(String category, String resourceId, String at) {
        return new WebhookEvent(resourceId, TENANT, category, "UPDATE", at);
    }

    private static Work webhook(Priority priority, WebhookEvent... e) {
        return message(InvoiceEvents.EVENTS_KIND, ORG, TENANT, priority, InvoiceEvents.eventsPayload(List.of(e)));
    }

    private Map<String, WorkOutcome> process(Work... work) {
        return events.process(ORG, List.of(work));
    }

    @Test
    void invoiceEventsBringTheInvoicesToTheLearnerEachFetchedOnce() {
        Work a = webhook(Priority.INTERACTIVE, event("INVOICE", "inv-1", "2027-02-01T10:00:00"),
                event("INVOICE", "inv-1", "2027-02-01T10:00:01"));
        Work b = webhook(Priority.INTERACTIVE, event("INVOICE", "inv-2", "2027-02-01T10:00:00"));

        assertThat(process(a, b)).containsValues(WorkOutcome.DONE, WorkOutcome.DONE);

        assertThat(invoices.ofLearner(ORG, "L-1")).hasSize(2);
        assertThat(ledger.calls("invoicesByIds")).singleElement().satisfies(c -> {
            assertThat(c.detail()).isEqualTo("inv-1,inv-2");
            assertThat(c.priority()).isEqualTo(Priority.INTERACTIVE);
        });
    }

    @Test
    void anEventAlreadyProcessedCostsNoCall() {
        Work first = webhook(Priority.INTERACTIVE, event("INVOICE", "inv-1", "2027-02-01T10:00:00"));
        process(first);

        Work redelivered = webhook(Priority.INTERACTIVE, event("INVOICE", "inv-1", "2027-02-01T10:00:00"));
        assertThat(process(redelivered)).containsEntry(redelivered.messageId(), WorkOutcome.DONE);

        assertThat(ledger.calls("invoicesByIds")).hasSize(1);
    }

    @Test
    void aCreditNoteEventRefreshesTheInvoicesItIsAllocatedTo() {
        ledger.transaction(TransactionList.CREDIT_NOTES, "cn-1", FEB_1, T1, "inv-2");

        process(webhook(Priority.INTERACTIVE, event("CREDITNOTE", "cn-1", "2027-02-01T11:00:00")));

        assertThat(ledger.calls("invoicesCredited")).singleElement().satisfies(c -> assertThat(c.detail()).isEqualTo("cn-1"));
        assertThat(ledger.calls("invoicesByIds")).singleElement().satisfies(c -> assertThat(c.detail()).isEqualTo("inv-2"));
        assertThat(invoices.find(ORG, "inv-2")).isPresent();
    }

    @Test
    void aContactEventFollowsFinancesMerge() {
        String survivor = contacts.existing("Ana Lopez-Garcia", "FIN-1");
        contacts.merge(anasContact, survivor);

        process(webhook(Priority.INTERACTIVE, event("CONTACT", anasContact, "2027-02-01T11:00:00")));

        assertThat(learners.find(ORG, "L-1").orElseThrow().contactId()).isEqualTo(survivor);
    }

    @Test
    void polledInvoiceIdsTakeTheSamePathAtBulkPriority() {
        Work polled = message(InvoiceEvents.INVOICE_IDS_KIND, ORG, TENANT, Priority.BULK,
                InvoiceEvents.invoiceIdsPayload(List.of("inv-1", "inv-2")));

        process(polled);

        assertThat(invoices.ofLearner(ORG, "L-1")).hasSize(2);
        assertThat(ledger.calls("invoicesByIds")).singleElement().satisfies(c -> assertThat(c.priority()).isEqualTo(Priority.BULK));
        assertThat(ledger.calls("invoicesCredited")).isEmpty();
    }

    @Test
    void aDisconnectedOrganisationsEventsAreDroppedWithoutACall() {
        connections.markDisconnected(ORG, clock.instant());
        Work w = webhook(Priority.INTERACTIVE, event("INVOICE", "inv-1", "2027-02-01T10:00:00"));

        assertThat(process(w)).containsEntry(w.messageId(), WorkOutcome.DONE);

        assertThat(ledger.calls()).isEmpty();
        assertThat(events.process("org-never", List.of(w))).containsEntry(w.messageId(), WorkOutcome.DONE);
    }

    @Test
    void anOrganisationThatMustReconnectKeepsItsEvents() {
        connections.markNeedsReconnect(ORG, "refused", clock.instant());

        process(webhook(Priority.INTERACTIVE, event("INVOICE", "inv-1", "2027-02-01T10:00:00")));

        // In Lambda the Xero call then waits for the reconnect; it is not dropped.
        assertThat(ledger.calls("invoicesByIds")).hasSize(1);
    }

    @Test
    void messagesOfATenantNoLongerConnectedAndOfUnknownKindsAreNotApplied() {
        Work old = message(InvoiceEvents.INVOICE_IDS_KIND, ORG, "tenant-before", Priority.BULK,
                InvoiceEvents.invoiceIdsPayload(List.of("inv-1")));
        Work unknown = message("something-else", ORG, TENANT, Priority.BULK, InvoiceEvents.invoiceIdsPayload(List.of("inv-2")));

        Map<String, WorkOutcome> outcomes = process(old, unknown);

        assertThat(outcomes.get(old.messageId())).isEqualTo(WorkOutcome.DONE);
        assertThat(outcomes.get(unknown.messageId())).isInstanceOf(WorkOutcome.Fail.class);
        assertThat(ledger.calls("invoicesByIds")).isEmpty();
    }

    @Test
    void withoutTheInvoicesScopeEventsWaitUnprocessedButAMissingPaymentsScopeHoldsThemNotBack() {
        connections.recordMissingScope(ORG, "accounting.payments.read", "Xero refused GET Payments", clock.instant());
        assertThat(process(webhook(Priority.INTERACTIVE, event("INVOICE", "inv-1", "2027-02-01T10:00:00"))))
                .containsValue(WorkOutcome.DONE);
        assertThat(invoices.find(ORG, "inv-1")).isPresent();

        connections.recordMissingScope(ORG, "accounting.invoices.read", "Xero refused GET Invoices", clock.instant());
        Work w = webhook(Priority.INTERACTIVE, event("INVOICE", "inv-2", "2027-02-01T10:00:00"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> process(w)).isInstanceOf(ScopeMissing.class);

        assertThat(invoices.find(ORG, "inv-2")).isEmpty();
        assertThat(invoices.processedEvents(ORG, List.of(event("INVOICE", "inv-2", "2027-02-01T10:00:00").dedupeKey())))
                .isEmpty();
    }
}
