package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.CrashingLearnerStore;

/**
 * Issue 21's fault runs through the learner, invoice and PDF paths: Xero down for hours, a worker
 * dying after Xero's create with the learners edited before the retry, and an organisation
 * disconnected with its learners queued. Each ends with {@link EndToEndFlow#check()}: no learner or
 * invoice lost, one contact per learner (the sandbox, as Xero, does not refuse a second contact with
 * the same ContactNumber), the integration's state equal to Xero's. Each prints an {@code OUTAGE-RUN}
 * line for docs/reliability.md.
 */
@ExtendWith(AwsEmulator.class)
class OutagesIT {

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

    @Test
    void xeroAnswers503ToEveryCallForThreeHoursThenRecovers() throws Exception {
        flow.connect();
        flow.bulkSync(0, 20);
        flow.settle();
        flow.financeRaisesInvoices(10);
        flow.rig.admin.deliverWebhooksNow();
        flow.invoiceEventsPass(); // the invoices are stored; their PDFs wait in their queue
        long callsBefore = flow.appCalls();
        Instant recovery = flow.rig.admin.now().plus(Duration.ofHours(3));
        flow.faults(Map.of("outageUntil", recovery.toString()));

        flow.bulkSync(20, 40); // the learner path during the outage
        flow.financeRaisesInvoices(6); // finance works in Xero between two failures; the webhooks reach us
        JsonNode failing = null;
        int rounds = 0;
        while (flow.rig.admin.now().isBefore(recovery)) {
            flow.roundOfWork();
            if (failing == null) {
                JsonNode status = flow.connectionStatus();
                failing = status.hasNonNull("xeroFailingSince") ? status : null;
            }
            assertThat(flow.deadLetters()).as("dead letters during the outage").isEmpty();
            flow.advance(Duration.ofMinutes(10));
            rounds++;
        }
        int outageAnswers = flow.rig.admin.stats().path("tenants").path(flow.tenantId).path("faultsInjected").path("outage").asInt();
        Duration longest = flow.longestWait(Set.of("xero"));
        long backOffs = flow.xeroBackOffs();

        flow.settle();
        EndToEndFlow.Outcome outcome = flow.check();
        JsonNode after = flow.connectionStatus();

        System.out.println("OUTAGE-RUN " + run + " " + outcome + " outageAnswers=" + outageAnswers + " backOffs=" + backOffs
                + " longestWait=" + longest + " rounds=" + rounds + " callsAfterRecovery=" + (flow.appCalls() - callsBefore));
        assertThat(failing).as("the connection showed Xero failing during the outage").isNotNull();
        assertThat(failing.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(failing.get("lastXeroError").asText()).contains("503");
        assertThat(outageAnswers).as("503s Xero answered").isPositive();
        assertThat(backOffs).as("work backed off").isPositive();
        assertThat(longest).as("no single wait longer than the back-off's cap (plus jitter)")
                .isLessThanOrEqualTo(Duration.ofMinutes(31)).isGreaterThan(Duration.ofMinutes(10));
        assertThat(outcome.deadLetters()).isZero();
        assertThat(outcome.contacts()).isEqualTo(40);
        assertThat(outcome.invoices()).isEqualTo(16);
        assertThat(after.get("xeroFailingSince").isNull()).as("cleared once Xero answered").isTrue();
        assertThat(after.get("lastXeroError").isNull()).isTrue();
    }

    @Test
    void aWorkerDiesAfterXerosCreateTheLearnersAreEditedThenTheRetryLeavesOneContactEach() throws Exception {
        flow.connect();
        AtomicInteger crashes = new AtomicInteger(1);
        flow.learnerSyncThrough(learners -> new CrashingLearnerStore(learners, crashes));
        flow.bulkSync(0, 30);
        flow.learnerSyncPass(); // Xero creates 30 contacts; the function dies before our write
        assertThat(crashes.get()).as("the crash happened").isZero();
        assertThat(flow.rig.admin.state(flow.tenantId).get("Contacts")).as("Xero holds the contacts").hasSize(30);

        // Staff edit every learner before the retry: another body, another Idempotency-Key, another Name.
        flow.editLearners(0, 30, "Edited");
        flow.settle();
        flow.financeRaisesInvoices(10);
        flow.settle();
        EndToEndFlow.Outcome outcome = flow.check();

        JsonNode contacts = flow.rig.admin.state(flow.tenantId).get("Contacts");
        System.out.println("OUTAGE-RUN " + run + " " + outcome + " contactsInXero=" + contacts.size());
        assertThat(contacts).as("one contact per learner, whatever Xero allows").hasSize(30);
        for (JsonNode c : contacts) {
            assertThat(c.get("Name").asText()).as("the edit reached the contact created before the crash").startsWith("Edited ");
        }
        assertThat(outcome.contacts()).isEqualTo(30);
        assertThat(outcome.invoices()).isEqualTo(10);
        assertThat(outcome.deadLetters()).isZero();
    }

    @Test
    void anOrganisationDisconnectedWith200LearnersQueuedIsReconnectedAndTheyAllSync() throws Exception {
        flow.connect();
        flow.disconnect();
        long callsBefore = flow.appCalls();

        APIGatewayV2HTTPResponse queued = flow.bulkSync(0, 200);
        JsonNode answer = Json.MAPPER.readTree(queued.getBody());
        assertThat(answer.get("queued").asInt()).isEqualTo(200);
        assertThat(answer.get("waitingForConnection").asBoolean()).as("the API says the sync waits").isTrue();
        assertThat(answer.get("note").asText()).contains("not connected");
        for (int i = 0; i < 4; i++) { // an hour disconnected: the work waits, without a call to Xero
            flow.drainOnce();
            flow.advance(Duration.ofMinutes(16));
        }
        assertThat(flow.appCalls()).as("no Xero call while disconnected").isEqualTo(callsBefore);
        assertThat(flow.logged("work.deferred")).as("the work waited for the connection").isPositive();
        assertThat(flow.learnerState("L-0").get("state").asText()).isEqualTo("PENDING");

        flow.reconnect();
        flow.settle();
        flow.financeRaisesInvoices(10);
        flow.settle();
        EndToEndFlow.Outcome outcome = flow.check();

        System.out.println("OUTAGE-RUN " + run + " " + outcome);
        assertThat(outcome.contacts()).isEqualTo(200);
        assertThat(outcome.invoices()).isEqualTo(10);
        assertThat(outcome.deadLetters()).isZero();
        assertThat(flow.logged("work.dropped")).isZero();
    }
}
