package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.CrashingLearnerStore;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.WorkerRig;
import software.amazon.awssdk.regions.Region;

/**
 * End-to-end runs under the Xero sandbox's fault knobs and a lost AWS endpoint: 100 learners
 * synced, 30 invoices raised (every third part-paid) and delivered by webhooks and the poll. After
 * each run the integration's state equals the sandbox's ({@link EndToEndFlow#check()}). Each run
 * prints a {@code FAULT-RUN} line with its counts for docs/reliability.md.
 */
@ExtendWith(AwsEmulator.class)
class FaultsIT {

    private static final int LEARNERS = 100;
    private static final int INVOICES = 30;

    private EndToEndFlow flow;
    private String run;

    @BeforeEach
    void start(TestInfo test) {
        flow = EndToEndFlow.start();
        run = test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void stop() {
        flow.close();
    }

    /** Learners first, then finance's invoices, each settled, under whatever faults are set. */
    private EndToEndFlow.Outcome fullRun() throws Exception {
        flow.bulkSync(0, LEARNERS);
        flow.settle();
        flow.financeRaisesInvoices(INVOICES);
        flow.settle();
        return report(flow.check());
    }

    private EndToEndFlow.Outcome report(EndToEndFlow.Outcome outcome) {
        System.out.println("FAULT-RUN " + run + " " + outcome);
        assertThat(outcome.contacts()).isEqualTo(LEARNERS);
        assertThat(outcome.invoices()).isEqualTo(INVOICES);
        return outcome;
    }

    @Test
    void tenPercentOfXeroCallsFailWith5xx() throws Exception {
        // Every tenth call rather than a 10% rate: how many calls a run makes varies with how the
        // workers' batches fall, and a rate could then miss every call of a short run.
        flow.connect().faults(Map.of("errorEvery", 10, "seed", 42));

        EndToEndFlow.Outcome outcome = fullRun();

        assertThat(outcome.faultsInjected()).as("5xx answers the sandbox gave").isPositive();
        assertThat(flow.xeroBackOffs()).as("5xx answers backed off (issue 21: not SQS retries)").isPositive();
        assertThat(outcome.deadLetters()).isZero();
    }

    @Test
    void xeroCallsTimeOut() throws Exception {
        flow.rig.extraEnvironment.put("XERO_TIMEOUT_MS", "400");
        flow.connect().faults(Map.of("timeoutEvery", 12));

        EndToEndFlow.Outcome outcome = fullRun();

        assertThat(outcome.faultsInjected()).as("calls the sandbox held past the timeout").isPositive();
        assertThat(outcome.retries() + outcome.deferrals()).as("timed-out calls were retried").isPositive();
        assertThat(outcome.deadLetters()).isZero();
    }

    @Test
    void a429StormOnTheMinuteLimit() throws Exception {
        flow.connect().faults(Map.of("rateLimitProblem", "minute", "rateLimitCount", 25, "seed", 3));

        EndToEndFlow.Outcome outcome = fullRun();

        assertThat(outcome.rateLimited()).as("429s answered: a storm of 25 before the learners and again before the invoices").isEqualTo(50);
        assertThat(outcome.deferrals()).as("work waited for Retry-After").isPositive();
        assertThat(outcome.deadLetters()).isZero();
    }

    @Test
    void webhooksDroppedDuplicatedAndReordered() throws Exception {
        flow.connect().faults(Map.of("dropWebhookRate", 0.3, "duplicateWebhookRate", 0.5, "reorderWebhooks", true, "seed", 11));

        flow.bulkSync(0, LEARNERS);
        flow.settle();
        flow.financeRaisesInvoices(INVOICES);
        flow.settle();
        // Invoices are not polled (webhooks bring them); the payments poll and the nightly run catch what was lost.
        flow.nightly();
        EndToEndFlow.Outcome outcome = report(flow.check());

        assertThat(webhookStat("eventsDropped")).isPositive();
        assertThat(webhookStat("eventsDuplicated")).isPositive();
        assertThat(outcome.deadLetters()).isZero();
    }

    @Test
    void theAccessTokenExpiresMidBatch() throws Exception {
        flow.connect();
        flow.bulkSync(0, LEARNERS / 2);
        flow.settle();
        flow.faults(Map.of("expireTokensNow", true));
        flow.bulkSync(LEARNERS / 2, LEARNERS);
        flow.settle();
        flow.financeRaisesInvoices(INVOICES);
        flow.faults(Map.of("expireTokensNow", true));
        flow.settle();

        EndToEndFlow.Outcome outcome = report(flow.check());

        assertThat(outcome.tokenRefreshes()).as("the rejected token was renewed").isPositive();
        assertThat(outcome.deadLetters()).isZero();
    }

    @Test
    void aWorkerIsKilledBetweenXerosAnswerAndOurWrite() throws Exception {
        flow.connect();
        AtomicInteger crashes = new AtomicInteger(3);
        flow.learnerSyncThrough(learners -> new CrashingLearnerStore(learners, crashes));

        EndToEndFlow.Outcome outcome = fullRun();

        assertThat(crashes.get()).as("every planned crash happened").isZero();
        assertThat(outcome.deadLetters()).isZero();
    }

    /**
     * Xero refuses some calls for good (a 400 ValidationException: every second call while the
     * learners' contacts are sent, every seventh of the invoices' calls), so the work they carried cannot
     * succeed as it is: the workers dead-letter it at once, each dead letter with its reason (Xero's
     * words), organisation and kind, read back as the operator's replay function reads the DLQs
     * (under its role). The learners of a refused batch stay unsynced until then. Once the cause is
     * gone, the replay moves every dead letter back and the integration ends equal to Xero.
     */
    @Test
    void aPermanentXeroRefusalDeadLettersItsWorkAndReplayBringsItBack() throws Exception {
        // Each phase's refusals fall on its own work's calls, not on the polls that run beside it.
        flow.connect().faults(Map.of("validationErrorEvery", 2, "faultsOn", List.of("Contacts")));
        flow.bulkSync(0, LEARNERS);
        flow.settle();
        flow.faults(Map.of("validationErrorEvery", 7, "faultsOn", List.of("Invoices")));
        flow.financeRaisesInvoices(INVOICES);
        flow.settle();

        List<EndToEndFlow.DeadLetter> dead = flow.deadLetters();
        System.out.println("FAULT-RUN " + run + " dead letters " + dead.stream()
                .collect(Collectors.groupingBy(d -> d.queue() + "/" + d.attributes().get("kind"), TreeMap::new, Collectors.counting())));
        assertThat(dead).as("work Xero refused for good").allSatisfy(d -> {
            assertThat(d.attributes().get("reason")).as("reason: Xero's words").contains("Refused by the sandbox's validationErrorEvery fault");
            assertThat(d.attributes()).containsEntry("orgId", EndToEndFlow.ORG);
            assertThat(d.attributes().get("kind")).isIn("learner-sync", "xero-events", "invoice-ids", "invoice-pdf");
        });
        assertThat(dead).extracting(d -> d.attributes().get("kind")).as("a learner batch and invoice work")
                .contains("learner-sync").containsAnyOf("xero-events", "invoice-ids", "invoice-pdf");
        assertThat(flow.logged("work.deadLettered")).as("each dead-lettered at once, by its worker").isEqualTo(dead.size());
        assertThat(flow.learners.findAll(EndToEndFlow.ORG, flow.learnerIds()).values())
                .as("the refused batch's learners wait for the replay").anyMatch(r -> r.contactId() == null);

        flow.faults(Map.of());
        Map<String, ReplayCounts> replayed = flow.replayEveryDeadLetter();
        assertThat(replayed.values().stream().mapToInt(ReplayCounts::moved).sum()).as("replayed").isEqualTo(dead.size());
        flow.settle();

        EndToEndFlow.Outcome outcome = report(flow.check());
        System.out.println("FAULT-RUN " + run + " replayed " + replayed);
        assertThat(outcome.faultsInjected()).isPositive();
        assertThat(outcome.deadLetters()).as("left in the DLQs after the replay").isZero();
    }

    /**
     * moto's reset would wipe the stack, so the emulator's restart is played as what a function
     * sees of it: for one pass of the learner-sync and the invoice worker every DynamoDB, SQS, S3
     * and Secrets Manager call goes to a closed port; then the endpoint is back.
     */
    @Test
    void theAwsEndpointIsUnreachableForAPass() throws Exception {
        flow.connect();
        AwsClients unreachable = AwsClients.forEmulator(closedPort(), Region.US_EAST_1);

        flow.bulkSync(0, LEARNERS);
        WorkerRig.Pass lostLearners = passWith(flow.settings.learnerSyncQueueUrl(), new LearnerSyncWorker(LearnerRoot.of(
                flow.rig.settings("LearnerSyncWorkerFunction"), unreachable, flow.rig.clock, IntegrationRig.SPIN),
                EndToEndFlow.TEST_TIME)::handleRequest);
        flow.settle();
        flow.financeRaisesInvoices(INVOICES);
        flow.rig.admin.deliverWebhooksNow();
        WorkerRig.Pass lostInvoices = passWith(flow.settings.invoiceEventsQueueUrl(), new InvoiceWorker(InvoiceRoot.of(
                flow.rig.settings("InvoiceWorkerFunction"), unreachable, flow.rig.clock, IntegrationRig.SPIN),
                EndToEndFlow.TEST_TIME)::handleRequest);
        flow.settle();

        EndToEndFlow.Outcome outcome = report(flow.check());
        System.out.println("FAULT-RUN " + run + " unreachable passes: learner-sync received " + lostLearners.received()
                + " settled " + lostLearners.settled() + ", invoice-events received " + lostInvoices.received()
                + " settled " + lostInvoices.settled());
        assertThat(lostLearners.received()).isPositive();
        assertThat(lostLearners.settled()).as("nothing was lost while AWS was away").isZero();
        assertThat(lostInvoices.received()).isPositive();
        assertThat(lostInvoices.settled()).isZero();
        assertThat(outcome.deadLetters()).isZero();
    }

    /** One pass of {@code worker} over the real queue (Lambda's event source still reaches it); what it left comes back after. */
    private WorkerRig.Pass passWith(String queueUrl, java.util.function.BiFunction<com.amazonaws.services.lambda.runtime.events.SQSEvent,
            com.amazonaws.services.lambda.runtime.Context, com.amazonaws.services.lambda.runtime.events.SQSBatchResponse> worker)
            throws Exception {
        WorkerRig rig = new WorkerRig(flow.rig.aws.sqs(), queueUrl, e -> worker.apply(e, null), flow.rig.admin, flow.rig.clock, 1);
        WorkerRig.Pass pass = rig.pass();
        rig.advance(Duration.ofSeconds(1));
        return pass;
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private int webhookStat(String name) {
        return flow.rig.admin.stats().findValues(name).stream().mapToInt(com.fasterxml.jackson.databind.JsonNode::asInt).sum();
    }
}
