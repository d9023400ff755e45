package org.lrm.xero.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Fairness between organisations on the shared work queues: every work message goes to its standard queue
 * with its organisation as {@code MessageGroupId}, which SQS fair queues use to keep one organisation's
 * backlog from delaying the others' messages. What is tested here is what the emulator can show: SQS takes
 * the group on a standard queue and gives it back on receipt, for first sends, learner syncs and the copies
 * a worker re-sends to wait for budget. moto 5.2.1 stores the group but delivers standard queues without
 * fairness, so the reordering itself is SQS's, not tested here.
 */
@ExtendWith(AwsEmulator.class)
class FairQueuesIT {

    @Test
    void everyWorkMessageCarriesItsOrganisationAsTheMessageGroupOnTheStandardQueues() {
        Settings settings = Settings.from(TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1")
                .provision(AwsEmulator.clients()).environment("InvoiceWorkerFunction"));
        SqsClient client = AwsEmulator.clients().sqs();
        SqsQueue sqs = new SqsQueue(client);
        assertThat(settings.pdfFetchQueueUrl()).doesNotEndWith(".fifo");

        new SqsWorkQueue(sqs, settings.pdfFetchQueueUrl()).send(List.of(
                work("org-big", 1), work("org-big", 2), work("org-small", 3)));
        new SqsLearnerSyncQueue(sqs, settings.learnerSyncQueueUrl()).enqueue("org-small", List.of("l-1"), Priority.INTERACTIVE, false, null);

        assertThat(groups(client, settings.pdfFetchQueueUrl(), 3)).containsExactlyInAnyOrder("org-big", "org-big", "org-small");
        assertThat(groups(client, settings.learnerSyncQueueUrl(), 1)).containsExactly("org-small");

        // A worker's copy sent back to wait for the budget stays in its organisation's group.
        new SqsWorkQueue(sqs, settings.pdfFetchQueueUrl()).send(List.of(work("org-waiting", 4)));
        SqsWorker waiting = new SqsWorker(sqs, settings.pdfFetchQueueUrl(),
                WorkProcessor.perMessage(w -> new WorkOutcome.Defer(Duration.ofMinutes(30), "minute")),
                new DeferralPolicy(Duration.ZERO, Duration.ZERO, 3), new MutableClock(Instant.parse("2026-12-06T05:00:00Z")),
                () -> 0.5);
        List<Message> received = sqs.receive(settings.pdfFetchQueueUrl(), 10, 30, 1);
        assertThat(received).hasSize(1);
        assertThat(waiting.handle(SqsEvents.of(received)).getBatchItemFailures()).isEmpty();
        assertThat(groups(client, settings.pdfFetchQueueUrl(), 1)).containsExactly("org-waiting");
    }

    private static WorkMessage work(String orgId, int n) {
        return WorkMessage.of("invoice-pdf", orgId, "tenant-" + orgId, Priority.BULK, Json.MAPPER.createObjectNode().put("n", n));
    }

    /** The groups of the next {@code expected} messages, each deleted once read. */
    private static List<String> groups(SqsClient client, String queueUrl, int expected) {
        List<String> groups = new ArrayList<>();
        for (int receive = 0; receive < 10 && groups.size() < expected; receive++) {
            for (Message m : client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages()) {
                groups.add(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
                client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return groups;
    }
}
