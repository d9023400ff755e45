package org.lrm.xero.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.handler.Settings;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.MutableClock;
import org.lrm.xero.testing.SqsEvents;
import org.lrm.xero.testing.TemplateResources;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A message of many items that was partly done ({@link WorkOutcome.Partly}, a re-sync's PDFs): against SQS, the
 * original is deleted and only the rest goes on, as a copy of its own, with what stopped the work applied to it.
 * Nothing done is done again and nothing left is lost, whatever stopped the work.
 */
@ExtendWith(AwsEmulator.class)
class PartlyDoneWorkIT {

    private static final Instant NOW = Instant.parse("2026-12-06T05:00:00Z");

    private static Settings settings;
    private static SqsQueue sqs;

    @BeforeAll
    static void queues() {
        settings = Settings.from(TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1")
                .provision(AwsEmulator.clients()).environment("PdfWorkerFunction"));
        sqs = new SqsQueue(AwsEmulator.clients().sqs());
    }

    @Test
    void theRestOfWorkThatWaitsForBudgetGoesOnAsACopyCarryingTheWaitAndTheOriginalIsDeleted() {
        Message copy = handOn(new WorkOutcome.Defer(Duration.ofMinutes(30), "minute"));

        WorkMessage rest = WorkMessage.parse(copy.body());
        assertThat(ids(rest.payload())).containsExactly("i-3", "i-4");
        assertThat(rest.notBefore()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(rest.orgId()).isEqualTo("org-a");
        assertThat(sqs.receive(settings.pdfFetchQueueUrl(), 10, 30, 0)).as("the original is gone").isEmpty();
    }

    @Test
    void theRestOfWorkThatGaveUpItsTurnGoesOnAtOnceAndAnOutageStartsItsBackOffThere() {
        WorkMessage turn = WorkMessage.parse(handOn(WorkOutcome.DONE).body());
        assertThat(ids(turn.payload())).containsExactly("i-3", "i-4");
        assertThat(turn.notBefore()).isEqualTo(NOW);
        assertThat(turn.xeroFailures()).isZero();

        WorkMessage failing = WorkMessage.parse(handOn(new WorkOutcome.XeroFailing("503")).body());
        assertThat(ids(failing.payload())).containsExactly("i-3", "i-4");
        assertThat(failing.xeroFailures()).isEqualTo(1);
        assertThat(failing.xeroFailingSince()).isEqualTo(NOW);
    }

    @Test
    void theRestXeroRefusesForGoodIsDeadLetteredAloneWithItsReason() {
        send(payload("i-1", "i-2", "i-3", "i-4"));
        List<Message> received = sqs.receive(settings.pdfFetchQueueUrl(), 10, 30, 1);
        SqsWorker worker = worker(new WorkOutcome.Partly(payload("i-3"), new WorkOutcome.Fail("Xero refused: 400")));

        assertThat(worker.handle(SqsEvents.of(received)).getBatchItemFailures()).isEmpty();

        String dlq = sqs.redrive(settings.pdfFetchQueueUrl()).deadLetterQueueUrl();
        Message dead = AwsEmulator.clients().sqs().receiveMessage(b -> b.queueUrl(dlq)
                .waitTimeSeconds(1).messageAttributeNames("All")).messages().get(0);
        assertThat(ids(WorkMessage.parse(dead.body()).payload())).containsExactly("i-3");
        assertThat(dead.messageAttributes().get("reason").stringValue()).isEqualTo("Xero refused: 400");
        assertThat(sqs.receive(settings.pdfFetchQueueUrl(), 10, 30, 0)).as("nothing else goes on").isEmpty();
    }

    /** Sends four items, lets a worker do two and say {@code then} of the rest; the copy that goes on. */
    private Message handOn(WorkOutcome then) {
        send(payload("i-1", "i-2", "i-3", "i-4"));
        List<Message> received = sqs.receive(settings.pdfFetchQueueUrl(), 10, 30, 1);
        assertThat(received).hasSize(1);
        SqsWorker worker = worker(new WorkOutcome.Partly(payload("i-3", "i-4"), then));

        assertThat(worker.handle(SqsEvents.of(received)).getBatchItemFailures()).as("the original is deleted").isEmpty();
        List<Message> copies = sqs.receive(settings.pdfFetchQueueUrl(), 10, 30, 1);
        assertThat(copies).hasSize(1);
        sqs.delete(settings.pdfFetchQueueUrl(), copies.get(0).receiptHandle());
        return copies.get(0);
    }

    /** A worker whose every message ends {@code outcome}; its copies are not delayed, so the test can read them. */
    private SqsWorker worker(WorkOutcome outcome) {
        return new SqsWorker(sqs, settings.pdfFetchQueueUrl(), WorkProcessor.perMessage(w -> outcome),
                new DeferralPolicy(Duration.ZERO, Duration.ZERO, 3), new MutableClock(NOW), () -> 0.5);
    }

    private void send(JsonNode payload) {
        new SqsWorkQueue(sqs, settings.pdfFetchQueueUrl()).send(List.of(
                WorkMessage.of("invoice-pdf", "org-a", "tenant-a", Priority.PREFETCH, payload)));
    }

    private static JsonNode payload(String... invoiceIds) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        for (String id : invoiceIds) {
            payload.withArray("invoices").addObject().put("invoiceId", id).put("version", 1);
        }
        return payload;
    }

    private static List<String> ids(JsonNode payload) {
        return payload.path("invoices").findValuesAsText("invoiceId");
    }
}
