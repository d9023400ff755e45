package org.lrm.xero.app.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lrm.xero.app.fakes.FakeXeroLedger.salesInvoice;

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
import org.lrm.xero.app.fakes.InMemoryConnectionStore;
import org.lrm.xero.app.fakes.InMemoryPollWatermarks;
import org.lrm.xero.app.fakes.InMemoryRateBudget;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.WaitReason;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.domain.connection.XeroScopes;

/** The transaction poll: what changed since each list's watermark, handed on as invoice ids, then the watermark moved. */
class PollTransactionsTest {

    private static final String ORG = "org-1";
    private static final Instant CONNECTED = Instant.parse("2027-02-01T00:00:00Z");
    private static final LocalDate FEB_2 = LocalDate.of(2027, 2, 2);

    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final FakeXeroLedger xero = new FakeXeroLedger();
    private final InMemoryPollWatermarks watermarks = new InMemoryPollWatermarks();
    private final RecordingWorkQueue invoiceEvents = new RecordingWorkQueue();
    private final InMemoryRateBudget budget = new InMemoryRateBudget();
    private final FakeClock clock = FakeClock.at("2027-02-03T00:00:00Z");
    private final PollTransactions poll = new PollTransactions(connections, xero, watermarks, invoiceEvents, budget, clock);

    @BeforeEach
    void connected() {
        connections.connect(ORG, "tenant-1", CONNECTED);
    }

    private static List<String> ids(WorkMessage m) {
        List<String> ids = new ArrayList<>();
        m.payload().path("invoiceIds").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    @Test
    void theFirstPollReadsEverythingChangedSinceTheConnectAndQueuesTheInvoicesTouched() {
        xero.transaction(TransactionList.PAYMENTS, "p-1", FEB_2, Instant.parse("2027-02-02T10:00:00Z"), "inv-1");
        xero.transaction(TransactionList.PAYMENTS, "p-2", FEB_2, Instant.parse("2027-02-02T11:00:00Z"), "inv-2");
        xero.transaction(TransactionList.CREDIT_NOTES, "cn-1", FEB_2, Instant.parse("2027-02-02T12:00:00Z"), "inv-1", "inv-3");
        xero.transaction(TransactionList.PAYMENTS, "p-0", FEB_2, Instant.parse("2027-01-31T10:00:00Z"), "inv-old");

        poll.pollAll();

        List<WorkMessage> sent = invoiceEvents.sent();
        assertThat(sent).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(InvoiceEvents.INVOICE_IDS_KIND);
            assertThat(m.priority()).isEqualTo(Priority.BULK);
            assertThat(m.tenantId()).isEqualTo("tenant-1");
        });
        assertThat(sent).extracting(PollTransactionsTest::ids).containsExactly(List.of("inv-1", "inv-2"), List.of("inv-1", "inv-3"));
        assertThat(watermarks.watermark(ORG, "Payments")).contains(Instant.parse("2027-02-02T11:00:00Z"));
        assertThat(watermarks.watermark(ORG, "CreditNotes")).contains(Instant.parse("2027-02-02T12:00:00Z"));
        assertThat(watermarks.watermark(ORG, "Prepayments")).isEmpty();
        assertThat(xero.calls("changedSince")).extracting(FakeXeroLedger.Call::detail)
                .containsExactly("Payments#1", "CreditNotes#1", "Prepayments#1", "Overpayments#1", "Invoices#1");
        assertThat(xero.calls()).allSatisfy(c -> assertThat(c.priority()).isEqualTo(Priority.BULK));
    }

    @Test
    void theNextPollStartsAtTheWatermark() {
        xero.transaction(TransactionList.PAYMENTS, "p-early", FEB_2, Instant.parse("2027-02-01T05:00:00Z"), "inv-early");
        xero.transaction(TransactionList.PAYMENTS, "p-1", FEB_2, Instant.parse("2027-02-02T10:00:00Z"), "inv-1");
        poll.pollAll();
        assertThat(invoiceEvents.drain()).extracting(PollTransactionsTest::ids).containsExactly(List.of("inv-early", "inv-1"));
        xero.transaction(TransactionList.PAYMENTS, "p-2", FEB_2, Instant.parse("2027-02-03T10:00:00Z"), "inv-2");

        poll.pollAll();

        // Read from the watermark on (the watermark's own payment again, as If-Modified-Since does), not from the connect.
        assertThat(invoiceEvents.sent()).extracting(PollTransactionsTest::ids).containsExactly(List.of("inv-1", "inv-2"));
        assertThat(watermarks.watermark(ORG, "Payments")).contains(Instant.parse("2027-02-03T10:00:00Z"));
    }

    @Test
    void nothingChangedQueuesNothingAndMovesNoWatermark() {
        poll.pollAll();

        assertThat(invoiceEvents.sent()).isEmpty();
        assertThat(watermarks.watermark(ORG, "Payments")).isEmpty();
        assertThat(xero.calls("changedSince")).hasSize(5);
    }

    @Test
    void invoicesChangedInXeroAreQueuedToo() {
        xero.put(salesInvoice("inv-7", "c-1", FEB_2, Instant.parse("2027-02-02T09:00:00Z"), "AUTHORISED"));

        poll.pollAll();

        assertThat(invoiceEvents.sent()).extracting(PollTransactionsTest::ids).containsExactly(List.of("inv-7"));
        assertThat(watermarks.watermark(ORG, "Invoices")).contains(Instant.parse("2027-02-02T09:00:00Z"));
    }

    @Test
    void manyInvoicesGoFiftyToAMessage() {
        IntStream.range(0, 120).forEach(i -> xero.transaction(TransactionList.PAYMENTS, "p-" + i, FEB_2,
                Instant.parse("2027-02-02T10:00:00Z").plusSeconds(i), "inv-" + i));

        poll.pollAll();

        assertThat(invoiceEvents.sent()).extracting(m -> ids(m).size()).containsExactly(50, 50, 20);
        assertThat(xero.calls("changedSince").stream().filter(c -> c.detail().startsWith("Payments"))).hasSize(2);
    }

    @Test
    void theWatermarkStaysWhenTheInvoicesCouldNotBeQueued() {
        xero.transaction(TransactionList.PAYMENTS, "p-1", FEB_2, Instant.parse("2027-02-02T10:00:00Z"), "inv-1");
        invoiceEvents.refuse(new IllegalStateException("SQS refused the batch"));

        assertThatThrownBy(() -> poll.poll(connections.connection(ORG).orElseThrow())).isInstanceOf(IllegalStateException.class);

        assertThat(watermarks.watermark(ORG, "Payments")).isEmpty();
    }

    @Test
    void anOrganisationThatMustWaitStopsNoOtherAndUnusableOnesAreSkipped() {
        connections.connect("org-2", "tenant-2", CONNECTED);
        connections.connect("org-3", "tenant-3", CONNECTED);
        connections.markNeedsReconnect("org-3", "refused", CONNECTED);
        xero.transaction(TransactionList.PAYMENTS, "p-1", FEB_2, Instant.parse("2027-02-02T10:00:00Z"), "inv-1");
        xero.failNext(new WaitForBudget(Duration.ofMinutes(1), WaitReason.DAY));

        poll.pollAll();

        assertThat(xero.calls()).extracting(c -> c.tenant().orgId()).containsOnly(ORG, "org-2").contains("org-2");
        assertThat(invoiceEvents.sent()).extracting(WorkMessage::orgId).containsOnly("org-2");
        assertThat(watermarks.watermark(ORG, "Payments")).isEmpty();
        assertThat(watermarks.watermark("org-2", "Payments")).isPresent();
    }

    @Test
    void anOrganisationWithXerosStandardDayIsPolledAtEveryRun() {
        poll.pollAll();
        clock.advance(PollTransactions.SCHEDULE);
        poll.pollAll();

        assertThat(xero.calls("changedSince")).hasSize(10);
    }

    @Test
    void aStarterOrganisationIsPolledFiveTimesLessOftenSoThePollKeepsItsShareOfTheDay() {
        budget.snapshot(new RateBudget.Snapshot(60, 1_000, null, 1_000));
        assertThat(PollTransactions.interval(1_000)).isEqualTo(Duration.ofMinutes(25));

        for (int run = 0; run < 12; run++) {
            poll.pollAll();
            clock.advance(PollTransactions.SCHEDULE);
        }

        // An hour of runs: polls at 0 and 25 and 50 minutes, five lists each.
        assertThat(xero.calls("changedSince")).hasSize(15);
        long perDay = Duration.ofDays(1).dividedBy(PollTransactions.interval(1_000)) * PollTransactions.POLLED.size();
        assertThat(perDay).as("poll calls a day on a Starter organisation").isLessThanOrEqualTo(1_440 / 5);
    }

    @Test
    void aListWhoseScopeTheConnectionLacksIsLeftOutAndTheOthersArePolled() {
        connections.recordMissingScope(ORG, "accounting.payments.read", "Xero refused GET Payments", CONNECTED);

        poll.pollAll();

        assertThat(xero.calls("changedSince")).extracting(FakeXeroLedger.Call::detail)
                .containsExactly("CreditNotes#1", "Invoices#1");
    }

    @Test
    void xeroRefusingOneListForItsScopeStopsOnlyThatList() {
        xero.failNext(new ScopeMissing(ORG, XeroScopes.Need.PAYMENTS, "403 AuthorizationUnsuccessful"));
        xero.transaction(TransactionList.CREDIT_NOTES, "cn-1", FEB_2, Instant.parse("2027-02-02T12:00:00Z"), "inv-1");

        poll.pollAll();

        assertThat(xero.calls("changedSince")).extracting(FakeXeroLedger.Call::detail)
                .containsExactly("Payments#1", "CreditNotes#1", "Prepayments#1", "Overpayments#1", "Invoices#1");
        assertThat(invoiceEvents.sent()).extracting(PollTransactionsTest::ids).containsExactly(List.of("inv-1"));
        assertThat(watermarks.watermark(ORG, "Payments")).isEmpty();
    }
}
