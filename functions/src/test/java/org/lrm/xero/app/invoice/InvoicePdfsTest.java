package org.lrm.xero.app.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.app.fakes.FakeXeroLedger.salesInvoice;
import static org.lrm.xero.app.fakes.TestData.learner;
import static org.lrm.xero.app.fakes.TestData.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
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
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.XeroCallFailed;
import org.lrm.xero.domain.invoice.InvoiceProjection;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.WaitReason;
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
    private final InvoicePdfs pdfs = new InvoicePdfs(invoices, pdfStore, connections, xero, clock);
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

    /** Five invoices of the learner, version T1, each with its PDF in Xero. */
    private List<String> fiveInvoices() {
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            String id = "inv-m" + n;
            invoices.saveAll(ORG, List.of(new InvoiceStore.Owned("L-1", InvoiceProjection.project(
                    salesInvoice(id, "c-1", LocalDate.of(2027, 2, n), T1, "AUTHORISED")))));
            xero.has(id, "%PDF-1.7 " + id);
            ids.add(id);
        }
        return ids;
    }

    private static Work queuedMany(List<String> ids) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        ids.forEach(id -> payload.withArray("invoices").addObject().put("invoiceId", id).put("version", T1.toEpochMilli()));
        return message(InvoiceUpdates.PDF_KIND, ORG, "tenant-1", Priority.PREFETCH, payload);
    }

    private static List<String> ids(WorkOutcome outcome) {
        return ((WorkOutcome.Partly) outcome).rest().path("invoices").findValuesAsText("invoiceId");
    }

    @Test
    void aReSyncsVersionsGoTwentyFiveToAMessageInTheOrderGiven() {
        List<org.lrm.xero.domain.invoice.LearnerInvoice> versions = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            versions.add(InvoiceProjection.project(salesInvoice("inv-" + n, "c-1", LocalDate.of(2027, 1, 1), T1, "AUTHORISED")));
        }

        List<ObjectNode> messages = InvoicePdfs.messagesFor(versions, InvoicePdfs.PDFS_PER_MESSAGE);

        assertThat(messages).extracting(m -> m.path("invoices").size()).containsExactly(25, 25, 10);
        assertThat(messages.get(1).path("invoices").get(0).path("invoiceId").asText()).isEqualTo("inv-25");
        assertThat(InvoicePdfs.Wanted.of(messages.get(2))).last()
                .isEqualTo(new InvoicePdfs.Wanted("inv-59", T1.toEpochMilli()));
    }

    @Test
    void aWaitPartWayThroughAMessageLeavesOnlyTheRestToGoOnWithThatWait() {
        List<String> ids = fiveInvoices();
        WaitForBudget minute = new WaitForBudget(Duration.ofSeconds(40), WaitReason.MINUTE);
        xero.allowsOnly(2, minute);

        WorkOutcome outcome = pdfs.fetchQueued(queuedMany(ids));

        assertThat(xero.fetches()).extracting(FakeXeroPdfs.Fetch::invoiceId).containsExactly("inv-m1", "inv-m2");
        assertThat(ids(outcome)).containsExactly("inv-m3", "inv-m4", "inv-m5");
        assertThat(((WorkOutcome.Partly) outcome).then()).isEqualTo(new WorkOutcome.Defer(Duration.ofSeconds(40), "minute"));
        // The rest, once the minute passes: only what was left is fetched.
        xero.allowsOnly(10, minute);
        assertThat(pdfs.fetchQueued(queuedMany(ids(outcome)))).isEqualTo(WorkOutcome.DONE);
        assertThat(xero.fetches()).hasSize(5);
    }

    @Test
    void aWaitBeforeAnythingIsDoneLeavesTheMessageWholeAsItIs() {
        List<String> ids = fiveInvoices();
        xero.allowsOnly(0, new WaitForBudget(Duration.ofSeconds(40), WaitReason.MINUTE));

        assertThatThrownBy(() -> pdfs.fetchQueued(queuedMany(ids))).isInstanceOf(WaitForBudget.class);
        assertThat(xero.fetches()).isEmpty();
    }

    @Test
    void aVersionXeroRefusesForGoodOrNoLongerHasIsDeadLetteredAloneAndDoesNotHoldUpTheOthers() {
        List<String> ids = fiveInvoices();
        xero.refuses("inv-m2", new XeroCallFailed("GET /Invoices/inv-m2", true, "400"));
        xero.refuses("inv-m4", new NotFound("Xero has no invoice inv-m4."));

        WorkOutcome outcome = pdfs.fetchQueued(queuedMany(ids));

        assertThat(xero.fetches()).extracting(FakeXeroPdfs.Fetch::invoiceId)
                .containsExactly("inv-m1", "inv-m3", "inv-m5");
        assertThat(ids(outcome)).containsExactly("inv-m2", "inv-m4");
        assertThat(((WorkOutcome.Partly) outcome).then()).isInstanceOf(WorkOutcome.Fail.class);
    }

    @Test
    void aMessageThatHadItsTurnLeavesTheRestForLater() {
        List<String> ids = fiveInvoices();
        xero.beforeEachFetch(() -> clock.advance(Duration.ofSeconds(25)));

        WorkOutcome outcome = pdfs.fetchQueued(queuedMany(ids));

        assertThat(xero.fetches()).hasSize(3);
        assertThat(ids(outcome)).containsExactly("inv-m4", "inv-m5");
        assertThat(((WorkOutcome.Partly) outcome).then()).isEqualTo(WorkOutcome.DONE);
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
                empty, clock), pdfStore);
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
