package org.lrm.xero.app.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.app.fakes.FakeXeroLedger.salesInvoice;
import static org.lrm.xero.app.fakes.TestData.learner;
import static org.lrm.xero.app.fakes.TestData.message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.app.fakes.FakeClock;
import org.lrm.xero.app.fakes.FakeXeroPdfs;
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryInvoiceStore;
import org.lrm.xero.app.fakes.InMemoryLearnerStore;
import org.lrm.xero.app.fakes.InMemoryPdfStore;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.domain.invoice.InvoiceProjection;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;

/** Invoice PDFs: one object per version, fetched by the worker at bulk priority or at once for a person waiting. */
class InvoicePdfsTest {

    private static final String ORG = "org-1";
    private static final Instant T1 = Instant.parse("2027-02-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2027-02-02T10:00:00Z");

    private final FakeClock clock = FakeClock.at("2027-03-01T09:00:00Z");
    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final InMemoryLearnerStore learners = new InMemoryLearnerStore();
    private final InMemoryInvoiceStore invoices = new InMemoryInvoiceStore();
    private final InMemoryPdfStore pdfStore = new InMemoryPdfStore();
    private final FakeXeroPdfs xero = new FakeXeroPdfs();
    private final InvoicePdfs pdfs = new InvoicePdfs(invoices, pdfStore, connections, xero);
    private final LearnerInvoices learnerInvoices = new LearnerInvoices(learners, invoices, pdfs, pdfStore);

    @BeforeEach
    void anInvoiceOfALearner() {
        connections.connect(ORG, "tenant-1", clock.instant());
        learners.save(ORG, learner("L-1", "W1", "Ana", "Lopez"), null, SyncState.PENDING, clock.instant());
        hold(T1);
        xero.has("inv-1", "%PDF-1.7 inv-1");
    }

    private void hold(Instant version) {
        invoices.saveAll(ORG, List.of(new InvoiceStore.Owned("L-1", InvoiceProjection.project(
                salesInvoice("inv-1", "c-1", LocalDate.of(2027, 2, 1), version, "AUTHORISED")))));
    }

    private static Work queued(long version) {
        return message(InvoiceUpdates.PDF_KIND, ORG, "tenant-1", Priority.BULK,
                Json.MAPPER.createObjectNode().put("invoiceId", "inv-1").put("version", version));
    }

    @Test
    void theWorkerStoresTheVersionsPdfAndRecordsIt() {
        assertThat(pdfs.fetchQueued(queued(T1.toEpochMilli()))).isEqualTo(WorkOutcome.DONE);

        String key = "org-1/inv-1/" + T1.toEpochMilli() + ".pdf";
        assertThat(new String(pdfStore.objects().get(key), StandardCharsets.UTF_8)).isEqualTo("%PDF-1.7 inv-1");
        assertThat(invoices.find(ORG, "inv-1").orElseThrow().pdfAvailable()).isTrue();
        assertThat(xero.fetches()).singleElement().satisfies(f -> assertThat(f.priority()).isEqualTo(Priority.PREFETCH));
    }

    @Test
    void aPdfAlreadyStoredOrOfAReplacedVersionCostsNoCall() {
        pdfs.fetchQueued(queued(T1.toEpochMilli()));
        pdfs.fetchQueued(queued(T1.toEpochMilli()));
        hold(T2);

        assertThat(pdfs.fetchQueued(queued(T1.toEpochMilli()))).isEqualTo(WorkOutcome.DONE);

        assertThat(xero.fetches()).hasSize(1);
        assertThat(pdfs.fetchQueued(message(InvoiceUpdates.PDF_KIND, ORG, "tenant-1", Priority.BULK,
                Json.MAPPER.createObjectNode()))).isInstanceOf(WorkOutcome.Fail.class);
    }

    @Test
    void aLearnerAskingBeforeTheWorkerGetsItFetchedAtOnceAtInteractivePriority() {
        assertThat(learnerInvoices.pdfLink(ORG, "L-1", "inv-1").toString())
                .isEqualTo("https://pdfs.example/org-1/inv-1/" + T1.toEpochMilli() + ".pdf?expires=300");

        assertThat(xero.fetches()).singleElement().satisfies(f -> assertThat(f.priority()).isEqualTo(Priority.INTERACTIVE));
        learnerInvoices.pdfLink(ORG, "L-1", "inv-1");
        assertThat(xero.fetches()).hasSize(1);
    }

    @Test
    void anotherLearnersInvoiceOrOneXeroNoLongerHasIsNotFound() {
        assertThatThrownBy(() -> learnerInvoices.pdfLink(ORG, "L-2", "inv-1")).isInstanceOf(NotFound.class)
                .hasMessage("No invoice inv-1 for learner L-2.");
        assertThatThrownBy(() -> learnerInvoices.list(ORG, "L-2")).isInstanceOf(NotFound.class);
        hold(T2);
        FakeXeroPdfs empty = new FakeXeroPdfs();
        LearnerInvoices withoutPdf = new LearnerInvoices(learners, invoices, new InvoicePdfs(invoices, pdfStore, connections,
                empty), pdfStore);
        assertThatThrownBy(() -> withoutPdf.pdfLink(ORG, "L-1", "inv-1")).isInstanceOf(NotFound.class)
                .hasMessage("Xero has no invoice inv-1.");
    }

    @Test
    void aPdfWaitsForAnOrganisationThatMustReconnect() {
        connections.markNeedsReconnect(ORG, "refused", clock.instant());

        assertThatThrownBy(() -> pdfs.fetchQueued(queued(T1.toEpochMilli()))).isInstanceOf(ConnectionUnavailable.class);
        assertThat(xero.fetches()).isEmpty();
    }

    @Test
    void aLearnersInvoicesAreListedNewestFirst() {
        invoices.saveAll(ORG, List.of(new InvoiceStore.Owned("L-1", InvoiceProjection.project(
                salesInvoice("inv-2", "c-1", LocalDate.of(2027, 3, 1), T1, "AUTHORISED")))));

        assertThat(learnerInvoices.list(ORG, "L-1")).extracting(s -> s.invoice().invoiceId()).containsExactly("inv-2", "inv-1");
    }
}
