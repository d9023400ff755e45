package org.lrm.xero.app.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.app.fakes.FakeXeroLedger.salesInvoice;
import static org.lrm.xero.app.fakes.TestData.learner;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroLedger;
import org.lrm.xero.app.fakes.InMemoryInvoiceStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryLogbook;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.xero.XeroTenant;
import org.lrm.xero.domain.invoice.XeroInvoice;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.WaitReason;

/** The one path of every invoice change: what is stored, logged and queued, and what never overwrites what. */
class InvoiceUpdatesTest {

    private static final String ORG = "org-1";
    private static final XeroTenant TENANT = new XeroTenant(ORG, "tenant-1");
    private static final LocalDate FEB_1 = LocalDate.of(2027, 2, 1);
    private static final Instant T1 = Instant.parse("2027-02-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2027-02-02T10:00:00Z");

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final InMemoryLearnerStore learners = new InMemoryLearnerStore();
    private final InMemoryInvoiceStore invoices = new InMemoryInvoiceStore();
    private final InMemoryLogbook logbook = new InMemoryLogbook();
    private final RecordingWorkQueue pdfQueue = new RecordingWorkQueue();
    private final FakeXeroLedger xero = new FakeXeroLedger();
    private final InvoiceUpdates updates = new InvoiceUpdates(xero, learners, invoices, logbook, pdfQueue, clock);

    @BeforeEach
    void aLearnerLinkedToContactC1() {
        learners.save(ORG, learner("L-1", "W1", "Ana", "Lopez"), null, SyncState.PENDING, clock.instant());
        learners.recordSynced(ORG, "L-1", "c-1", "Ana Lopez W1", "W1", "fp", clock.instant());
    }

    private StoredInvoice stored(String invoiceId) {
        return invoices.find(ORG, invoiceId).orElseThrow();
    }

    @Test
    void aLearnersInvoiceIsStoredLoggedAndItsPdfQueued() {
        xero.put(salesInvoice("inv-1", "c-1", FEB_1, T1, "AUTHORISED"));

        assertThat(updates.refresh(TENANT, Priority.INTERACTIVE, List.of("inv-1")).changed()).isEqualTo(1);

        assertThat(stored("inv-1").learnerId()).isEqualTo("L-1");
        assertThat(stored("inv-1").invoice().version()).isEqualTo(T1.toEpochMilli());
        assertThat(logbook.kinds(ORG, "L-1")).containsExactly("INVOICE_RAISED");
        assertThat(pdfQueue.sent()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(InvoiceUpdates.PDF_KIND);
            assertThat(m.priority()).isEqualTo(Priority.PREFETCH);
            assertThat(m.tenantId()).isEqualTo("tenant-1");
            assertThat(InvoicePdfs.Wanted.of(m.payload())).containsExactly(new InvoicePdfs.Wanted("inv-1", T1.toEpochMilli()));
        });
        assertThat(xero.calls("invoicesByIds")).singleElement()
                .satisfies(c -> assertThat(c.priority()).isEqualTo(Priority.INTERACTIVE));
    }

    @Test
    void pdfsAreQueuedUnpaidFirstThenNewest() {
        updates.apply(TENANT, List.of(
                salesInvoice("paid-old", "c-1", FEB_1, T1, "PAID"),
                salesInvoice("unpaid-old", "c-1", FEB_1, T1, "AUTHORISED"),
                salesInvoice("paid-new", "c-1", FEB_1.plusMonths(2), T1, "PAID"),
                salesInvoice("unpaid-new", "c-1", FEB_1.plusMonths(1), T1, "AUTHORISED")));

        assertThat(queuedPdfs()).extracting(InvoicePdfs.Wanted::invoiceId)
                .containsExactly("unpaid-new", "unpaid-old", "paid-new", "paid-old");
    }

    @Test
    void billsAndInvoicesOfContactsNoLearnerHasAreLeftAlone() {
        XeroInvoice bill = new XeroInvoice("bill-1", "B-1", null, "ACCPAY", "AUTHORISED", "c-1", FEB_1, FEB_1, "AUD", null, null,
                null, null, T1, List.of(), List.of(), List.of(), List.of());
        xero.put(bill);
        xero.put(salesInvoice("walk-in", "c-walk-in", FEB_1, T1, "AUTHORISED"));
        xero.put(new XeroInvoice("no-contact", null, null, "ACCREC", "DRAFT", null, FEB_1, FEB_1, "AUD", null, null, null, null,
                T1, List.of(), List.of(), List.of(), List.of()));

        assertThat(updates.refresh(TENANT, Priority.BULK, List.of("bill-1", "walk-in", "no-contact")).changed()).isZero();

        assertThat(invoices.of(ORG)).isEmpty();
        assertThat(pdfQueue.sent()).isEmpty();
    }

    @Test
    void aNewerVersionReplacesTheHeldOneAndLogsOnlyWhatChanged() {
        xero.put(salesInvoice("inv-1", "c-1", FEB_1, T1, "AUTHORISED"));
        updates.refresh(TENANT, Priority.BULK, List.of("inv-1"));
        xero.put(salesInvoice("inv-1", "c-1", FEB_1, T2, "PAID"));

        assertThat(updates.refresh(TENANT, Priority.BULK, List.of("inv-1")).changed()).isEqualTo(1);

        assertThat(stored("inv-1").invoice().status()).isEqualTo("PAID");
        assertThat(logbook.kinds(ORG, "L-1")).containsExactly("INVOICE_RAISED", "INVOICE_PAID");
        assertThat(queuedPdfs()).extracting(InvoicePdfs.Wanted::version)
                .containsExactly(T1.toEpochMilli(), T2.toEpochMilli());
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() {
        updates.apply(TENANT, List.of(salesInvoice("inv-1", "c-1", FEB_1, T2, "PAID")));
        pdfQueue.drain();

        // A late webhook or a re-sync page read before the payment: Xero's older state.
        assertThat(updates.apply(TENANT, List.of(salesInvoice("inv-1", "c-1", FEB_1, T1, "AUTHORISED"))).changed()).isZero();

        assertThat(stored("inv-1").invoice().status()).isEqualTo("PAID");
        assertThat(logbook.kinds(ORG, "L-1")).doesNotContain("INVOICE_AUTHORISED");
        assertThat(pdfQueue.sent()).isEmpty();
    }

    @Test
    void theSameVersionTwiceChangesNothingAndLogsNothingTwice() {
        XeroInvoice invoice = salesInvoice("inv-1", "c-1", FEB_1, T1, "AUTHORISED");
        updates.apply(TENANT, List.of(invoice));

        assertThat(updates.apply(TENANT, List.of(invoice)).changed()).isZero();

        assertThat(logbook.kinds(ORG, "L-1")).containsExactly("INVOICE_RAISED");
        assertThat(pdfQueue.sent()).hasSize(1);
    }

    @Test
    void theStoredPdfIsKeptWhenANewerVersionArrives() {
        updates.apply(TENANT, List.of(salesInvoice("inv-1", "c-1", FEB_1, T1, "AUTHORISED")));
        invoices.recordPdf(ORG, "inv-1", T1.toEpochMilli(), "org-1/inv-1/1.pdf");

        updates.apply(TENANT, List.of(salesInvoice("inv-1", "c-1", FEB_1, T2, "PAID")));

        assertThat(stored("inv-1").pdfKey()).isEqualTo("org-1/inv-1/1.pdf");
        assertThat(stored("inv-1").pdfAvailable()).isFalse();
    }

    @Test
    void anInvoiceWhoseContactNowBelongsToAnotherLearnerMovesToThem() {
        updates.apply(TENANT, List.of(salesInvoice("inv-1", "c-1", FEB_1, T1, "AUTHORISED")));
        learners.save(ORG, learner("L-2", "W2", "Ben", "Kim"), null, SyncState.PENDING, clock.instant());
        learners.linkContact(ORG, "c-1", "L-2");

        assertThat(updates.apply(TENANT, List.of(salesInvoice("inv-1", "c-1", FEB_1, T1, "AUTHORISED"))).changed()).isEqualTo(1);

        assertThat(stored("inv-1").learnerId()).isEqualTo("L-2");
        assertThat(logbook.kinds(ORG, "L-2")).containsExactly("INVOICE_RAISED");
    }

    @Test
    void idsAreFetchedOnceEachAndEachCallsInvoicesAreKeptBeforeTheNextCall() {
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 120).forEach(i -> {
            xero.put(salesInvoice("inv-" + i, "c-1", FEB_1, T1, "AUTHORISED"));
            ids.add("inv-" + i);
        });
        List<String> twice = new ArrayList<>(ids);
        twice.addAll(ids.subList(0, 10));
        xero.answerNext();
        xero.failNext(new WaitForBudget(Duration.ofSeconds(30), WaitReason.MINUTE));

        assertThatThrownBy(() -> updates.refresh(TENANT, Priority.BULK, twice)).isInstanceOf(WaitForBudget.class);

        assertThat(invoices.of(ORG)).hasSize(50);
        assertThat(updates.refresh(TENANT, Priority.BULK, twice).changed()).isEqualTo(70);
        assertThat(xero.calls("invoicesByIds")).hasSize(2 + 3);
        assertThat(queuedPdfs()).hasSize(120);
        assertThat(pdfQueue.sent()).as("each call's new versions, 25 to a message").extracting(m -> m.payload().path("invoices").size())
                .containsExactly(25, 25, 25, 25, 20);
    }

    /** The versions whose PDFs were queued, in the order of the messages and within them. */
    private List<InvoicePdfs.Wanted> queuedPdfs() {
        return pdfQueue.sent().stream().flatMap(m -> InvoicePdfs.Wanted.of(m.payload()).stream()).toList();
    }
}
