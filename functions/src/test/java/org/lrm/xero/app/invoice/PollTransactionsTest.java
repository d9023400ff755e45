package org.lrm.xero.app.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.lrm.xero.app.fakes.InMemoryPollPlans;
import org.lrm.xero.app.fakes.InMemoryPollWatermarks;
import org.lrm.xero.app.fakes.InMemoryRateBudget;
import org.lrm.xero.app.fakes.RecordingWorkQueue;
import org.lrm.xero.app.rate.RateBudget;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.app.xero.TransactionList;
import org.lrm.xero.app.xero.XeroCallFailed;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.domain.invoice.PollCadence;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.rate.WaitReason;

/**
 * One organisation's transaction poll: the lists no webhook brings, changed since each list's watermark,
 * handed on as invoice ids, the watermark moved, and the next poll planned by what the poll found.
 */
class PollTransactionsTest {

    private static final String ORG = "org-1";
    private static final Instant CONNECTED = Instant.parse("2027-02-01T00:00:00Z");
    private static final LocalDate FEB_2 = LocalDate.of(2027, 2, 2);

    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final FakeXeroLedger xero = new FakeXeroLedger();
    private final InMemoryPollWatermarks watermarks = new InMemoryPollWatermarks();
    private final InMemoryPollPlans plans = new InMemoryPollPlans();
    private final RecordingWorkQueue invoiceEvents = new RecordingWorkQueue();
    private final InMemoryRateBudget budget = new InMemoryRateBudget();
    private final FakeClock clock = FakeClock.at("2027-02-03T00:00:00Z");
    private final PollTransactions poll = new PollTransactions(connections, xero, watermarks, plans, invoiceEvents, budget,
            clock);

    @BeforeEach
    void connected() {
        connections.connect(ORG, "tenant-1", CONNECTED);
    }

    private static List<String> ids(WorkMessage m) {
        List<String> ids = new ArrayList<>();
        m.payload().path("invoiceIds").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private WorkOutcome pollQueued() {
        return poll.pollQueued(new Work("m-" + clock.instant(), WorkMessage.of(PollTransactions.POLL_KIND, ORG, "tenant-1",
                Priority.BULK, null), 1));
    }

    @Test
    void theFirstPollReadsWhatNoWebhookBringsSinceTheConnectAndQueuesTheInvoicesTouched() {
        xero.transaction(TransactionList.PAYMENTS, "p-1", FEB_2, Instant.parse("2027-02-02T10:00:00Z"), "inv-1");
        xero.transaction(TransactionList.PAYMENTS, "p-2", FEB_2, Instant.parse("2027-02-02T11:00:00Z"), "inv-2");
        xero.transaction(TransactionList.OVERPAYMENTS, "op-1", FEB_2, Instant.parse("2027-02-02T12:00:00Z"), "inv-1", "inv-3");
        xero.transaction(TransactionList.PAYMENTS, "p-0", FEB_2, Instant.parse("2027-01-31T10:00:00Z"), "inv-old");

        assertThat(pollQueued()).isEqualTo(WorkOutcome.DONE);

        List<WorkMessage> sent = invoiceEvents.sent();
        assertThat(sent).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(InvoiceEvents.INVOICE_IDS_KIND);
            assertThat(m.priority()).isEqualTo(Priority.BULK);
            assertThat(m.tenantId()).isEqualTo("tenant-1");
        });
        assertThat(sent).extracting(PollTransactionsTest::ids).containsExactly(List.of("inv-1", "inv-2"), List.of("inv-1", "inv-3"));
        assertThat(watermarks.watermark(ORG, "Payments")).contains(Instant.parse("2027-02-02T11:00:00Z"));
        assertThat(watermarks.watermark(ORG, "Overpayments")).contains(Instant.parse("2027-02-02T12:00:00Z"));
        assertThat(watermarks.watermark(ORG, "Prepayments")).isEmpty();
        // Invoices and credit notes come by webhook (and the nightly run): three calls, never five.
        assertThat(xero.calls("changedSince")).extracting(FakeXeroLedger.Call::detail)
                .containsExactly("Payments#1", "Prepayments#1", "Overpayments#1");
        assertThat(xero.calls()).allSatisfy(c -> assertThat(c.priority()).isEqualTo(Priority.BULK));
    }

    @Test
    void theNextPollStartsAtTheWatermarkAndHandsOnOnlyWhatIsNew() {
        xero.transaction(TransactionList.PAYMENTS, "p-early", FEB_2, Instant.parse("2027-02-01T05:00:00Z"), "inv-early");
        xero.transaction(TransactionList.PAYMENTS, "p-1", FEB_2, Instant.parse("2027-02-02T10:00:00Z"), "inv-1");
        pollQueued();
        assertThat(invoiceEvents.drain()).extracting(PollTransactionsTest::ids).containsExactly(List.of("inv-early", "inv-1"));
        xero.transaction(TransactionList.PAYMENTS, "p-2", FEB_2, Instant.parse("2027-02-03T10:00:00Z"), "inv-2");

        pollQueued();

        // Xero answers from the watermark on (its own payment again, as If-Modified-Since does): only p-2 is new.
        assertThat(invoiceEvents.sent()).extracting(PollTransactionsTest::ids).containsExactly(List.of("inv-2"));
        assertThat(watermarks.watermark(ORG, "Payments")).contains(Instant.parse("2027-02-03T10:00:00Z"));
    }

    @Test
    void nothingChangedQueuesNothingMovesNoWatermarkAndCountsAnEmptyPoll() {
        pollQueued();

        assertThat(invoiceEvents.sent()).isEmpty();
        assertThat(watermarks.watermark(ORG, "Payments")).isEmpty();
        assertThat(xero.calls("changedSince")).hasSize(3);
        PollPlan plan = plans.plan(ORG);
        assertThat(plan.emptyPolls()).isEqualTo(1);
        assertThat(plan.nextPollAt()).isEqualTo(clock.instant().plus(PollCadence.ACTIVE));
        assertThat(plan.claimedUntil()).isNull();
    }

    @Test
    void emptyPollsBackOffToTheIdleWaitAndAChangeInXeroBringsThemBackToMinutes() {
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pollQueued();
            Duration wait = Duration.between(clock.instant(), plans.plan(ORG).nextPollAt());
            waits.add(wait);
            clock.advance(wait);
        }
        assertThat(waits).extracting(Duration::toMinutes).containsExactly(3L, 3L, 3L, 6L, 12L, 24L, 48L, 50L, 50L, 50L);

        xero.transaction(TransactionList.PAYMENTS, "p-1", FEB_2, clock.instant().minusSeconds(30), "inv-1");
        pollQueued();

        PollPlan plan = plans.plan(ORG);
        assertThat(plan.emptyPolls()).isZero();
        assertThat(plan.lastActivityAt()).isEqualTo(clock.instant());
        assertThat(plan.nextPollAt()).isEqualTo(clock.instant().plus(PollCadence.ACTIVE));
    }

    @Test
    void manyInvoicesGoFiftyToAMessage() {
        IntStream.range(0, 120).forEach(i -> xero.transaction(TransactionList.PAYMENTS, "p-" + i, FEB_2,
                Instant.parse("2027-02-02T10:00:00Z").plusSeconds(i), "inv-" + i));

        pollQueued();

        assertThat(invoiceEvents.sent()).extracting(m -> ids(m).size()).containsExactly(50, 50, 20);
        assertThat(xero.calls("changedSince").stream().filter(c -> c.detail().startsWith("Payments"))).hasSize(2);
    }

    @Test
    void theWatermarkStaysWhenTheInvoicesCouldNotBeQueued() {
        xero.transaction(TransactionList.PAYMENTS, "p-1", FEB_2, Instant.parse("2027-02-02T10:00:00Z"), "inv-1");
        invoiceEvents.refuse(new IllegalStateException("SQS refused the batch"));

        assertThatThrownBy(this::pollQueued).isInstanceOf(IllegalStateException.class);

        assertThat(watermarks.watermark(ORG, "Payments")).isEmpty();
    }

    @Test
    void aPollXeroFailsHoldsItsOrganisationForItsLongestBackOffSoAnOutageQueuesNoSecondPoll() {
        plans.claim(ORG, clock.instant(), clock.instant().plusSeconds(60));
        xero.failNext(new XeroCallFailed("GET Payments", false, "503 Service Unavailable"));

        assertThatThrownBy(this::pollQueued).isInstanceOf(XeroCallFailed.class);

        Instant heldUntil = clock.instant().plus(Duration.ofMinutes(30)).plus(PollTransactions.HOLD_SLACK);
        assertThat(plans.plan(ORG).claimedUntil()).isEqualTo(heldUntil);
        assertThat(plans.plan(ORG).due(heldUntil.minusSeconds(1))).as("the schedule's claim of 15 minutes has passed").isFalse();
    }

    @Test
    void aPollXeroRefusesForGoodDoesNotHoldItsOrganisation() {
        Instant claimed = clock.instant().plusSeconds(60);
        plans.claim(ORG, clock.instant(), claimed);
        xero.failNext(new XeroCallFailed("GET Payments", true, "400 A validation exception occurred"));

        assertThatThrownBy(this::pollQueued).isInstanceOf(XeroCallFailed.class);

        assertThat(plans.plan(ORG).claimedUntil()).as("dead-lettered: the next schedule run after the claim polls again")
                .isEqualTo(claimed);
    }

    @Test
    void aPollThatMustWaitForTheBudgetHoldsItsOrganisationSoTheScheduleQueuesNoSecond() {
        plans.claim(ORG, clock.instant(), clock.instant().plusSeconds(60));
        xero.failNext(new WaitForBudget(Duration.ofHours(3), WaitReason.DAY));

        assertThatThrownBy(this::pollQueued).isInstanceOf(WaitForBudget.class);

        assertThat(plans.plan(ORG).claimedUntil()).isEqualTo(clock.instant().plus(Duration.ofHours(3))
                .plus(PollTransactions.HOLD_SLACK));
        assertThat(plans.plan(ORG).due(clock.instant().plus(Duration.ofHours(2)))).isFalse();
    }

    @Test
    void anOrganisationDisconnectedSinceItsPollWasQueuedIsLeftAlone() {
        connections.markNeedsReconnect(ORG, "refused", CONNECTED);

        assertThat(pollQueued()).isEqualTo(WorkOutcome.DONE);

        assertThat(xero.calls()).isEmpty();
    }

    @Test
    void aStarterOrganisationWaitsLongerWhileActiveSoThePollKeepsItsShareOfTheDay() {
        budget.snapshot(new RateBudget.Snapshot(60, 1_000, null, 1_000));

        pollQueued();

        assertThat(plans.plan(ORG).nextPollAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    }

    @Test
    void aListWhoseScopeTheConnectionLacksIsLeftOut() {
        connections.recordMissingScope(ORG, "accounting.payments.read", "Xero refused GET Payments", CONNECTED);

        pollQueued();

        // All three lists need accounting.payments.read: nothing is called, and the poll is planned as an empty one.
        assertThat(xero.calls("changedSince")).isEmpty();
        assertThat(plans.plan(ORG).emptyPolls()).isEqualTo(1);
    }

    @Test
    void xeroRefusingOneListForItsScopeStopsOnlyThatList() {
        xero.failNext(new ScopeMissing(ORG, XeroScopes.Need.PAYMENTS, "403 AuthorizationUnsuccessful"));
        xero.transaction(TransactionList.PREPAYMENTS, "pp-1", FEB_2, Instant.parse("2027-02-02T12:00:00Z"), "inv-1");

        pollQueued();

        assertThat(xero.calls("changedSince")).extracting(FakeXeroLedger.Call::detail)
                .containsExactly("Payments#1", "Prepayments#1", "Overpayments#1");
        assertThat(invoiceEvents.sent()).extracting(PollTransactionsTest::ids).containsExactly(List.of("inv-1"));
        assertThat(watermarks.watermark(ORG, "Payments")).isEmpty();
    }
}
