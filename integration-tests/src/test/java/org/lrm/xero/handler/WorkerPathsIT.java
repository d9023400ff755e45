package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.adapter.aws.DlqReplay;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.app.invoice.InvoiceEvents;
import org.lrm.xero.app.invoice.InvoiceUpdates;
import org.lrm.xero.app.invoice.PollTransactions;
import org.lrm.xero.app.learner.LearnerSyncRequest;
import org.lrm.xero.app.resync.ResyncStep;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.IntegrationRig;
import org.lrm.xero.testing.WorkerRig;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Every way a worker settles a message without Xero, for each of the five queue workers, under its
 * role: work due in minutes waits invisible in its queue (ChangeMessageVisibility), work due in days
 * is sent to its queue again with its new time (SendMessage), and a message that is no work at all
 * is dead-lettered at once (SendMessage to the DLQ) with its reason, organisation and kind. Then the
 * operator's DLQ replay function, under its role, moves each dead letter back to its queue. In AWS a
 * role without one of these grants turns the wait into a redelivery that spends the message's
 * receives, and the dead letter into five more deliveries with no reason given.
 */
@ExtendWith(AwsEmulator.class)
class WorkerPathsIT {

    private static final String ORG = "org-paths";

    /** A queue worker: its function, its queue, its kind of work, and the handler as its composition root builds it. */
    private record Worker(String functionId, String queue, String queueUrl, String kind,
            Function<SQSEvent, SQSBatchResponse> handler) {
    }

    private IntegrationRig rig;

    private static WorkMessage work(Worker worker, String which) {
        return WorkMessage.of(worker.kind(), ORG, "tenant-of-" + ORG, Priority.BULK, Json.MAPPER.createObjectNode().put("which", which));
    }

    @BeforeEach
    void start() {
        rig = IntegrationRig.start();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void eachWorkerWaitsSendsAgainAndDeadLettersUnderItsRoleAndTheReplayBringsEachDeadLetterBack() throws Exception {
        Settings settings = rig.settings("DlqReplayFunction");
        LearnerSyncWorker learnerSync = new LearnerSyncWorker(rig.root("LearnerSyncWorkerFunction", LearnerRoot::of), EndToEndFlow.TEST_TIME);
        InvoiceWorker invoices = new InvoiceWorker(rig.root("InvoiceWorkerFunction", InvoiceRoot::of), EndToEndFlow.TEST_TIME);
        ResyncPageWorker pages = new ResyncPageWorker(rig.root("ResyncPageWorkerFunction", ResyncRoot::of), EndToEndFlow.TEST_TIME);
        PdfWorker pdfs = new PdfWorker(rig.root("PdfWorkerFunction", InvoiceRoot::of), EndToEndFlow.TEST_TIME);
        ScheduledWorker scheduled = new ScheduledWorker(rig.root("ScheduledWorkFunction", ResyncRoot::of), EndToEndFlow.TEST_TIME);
        List<Worker> workers = List.of(
                new Worker("LearnerSyncWorkerFunction", "learner-sync", settings.learnerSyncQueueUrl(), LearnerSyncRequest.KIND,
                        e -> learnerSync.handleRequest(e, null)),
                new Worker("InvoiceWorkerFunction", "invoice-events", settings.invoiceEventsQueueUrl(), InvoiceEvents.INVOICE_IDS_KIND,
                        e -> invoices.handleRequest(e, null)),
                new Worker("ResyncPageWorkerFunction", "resync-pages", settings.resyncPagesQueueUrl(), ResyncStep.KIND,
                        e -> pages.handleRequest(e, null)),
                new Worker("PdfWorkerFunction", "pdf-fetch", settings.pdfFetchQueueUrl(), InvoiceUpdates.PDF_KIND,
                        e -> pdfs.handleRequest(e, null)),
                new Worker("ScheduledWorkFunction", "scheduled-work", settings.scheduledWorkQueueUrl(), PollTransactions.POLL_KIND,
                        e -> scheduled.handleRequest(e, null)));
        SqsQueue lrm = new SqsQueue(rig.aws.sqs());

        for (Worker worker : workers) {
            lrm.send(worker.queueUrl(), new SqsQueue.Outgoing(work(worker, "soon").deferredUntil(rig.clock.instant()
                    .plus(Duration.ofMinutes(5))).toJson(), Map.of(), 0));
            lrm.send(worker.queueUrl(), new SqsQueue.Outgoing(work(worker, "later").deferredUntil(rig.clock.instant()
                    .plus(Duration.ofDays(2))).toJson(), Map.of(), 0));
            lrm.send(worker.queueUrl(), new SqsQueue.Outgoing("{not a work message", Map.of(), 0));

            WorkerRig.Pass pass = new WorkerRig(rig.aws.sqs(), worker.queueUrl(), worker.handler(), rig.admin, rig.clock, 1).pass();

            assertThat(pass.received()).as(worker.queue()).isEqualTo(3);
            assertThat(pass.settled()).as("%s: the copy sent again and the dead letter are settled", worker.queue()).isEqualTo(2);
            assertThat(WorkerRig.inQueue(rig.aws.sqs(), worker.queueUrl())).as("%s: the one waiting, the one sent again", worker.queue())
                    .isEqualTo(2);
            String dlq = lrm.redrive(worker.queueUrl()).deadLetterQueueUrl();
            List<Message> dead = lrm.receive(dlq, 10, 0, 0);
            assertThat(dead).as("%s's dead letters", worker.queue()).hasSize(1);
            assertThat(dead.get(0).messageAttributes()).containsKeys("reason", "orgId", "kind");
            assertThat(dead.get(0).messageAttributes().get("reason").stringValue()).startsWith("malformed");
        }

        DlqReplayHandler replay = new DlqReplayHandler(DlqReplayRoot.of(settings, rig.clientsOf("DlqReplayFunction")));
        for (Worker worker : workers) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            replay.handleRequest(new ByteArrayInputStream(("{\"queue\":\"" + worker.queue() + "\",\"dryRun\":false}")
                    .getBytes(StandardCharsets.UTF_8)), out, null);
            assertThat(Json.MAPPER.readValue(out.toByteArray(), ReplayCounts.class)).as(worker.queue())
                    .isEqualTo(new ReplayCounts(1, 1, 0));
            assertThat(WorkerRig.inQueue(rig.aws.sqs(), lrm.redrive(worker.queueUrl()).deadLetterQueueUrl())).as(worker.queue()).isZero();
            assertThat(WorkerRig.inQueue(rig.aws.sqs(), worker.queueUrl())).as("%s: the dead letter back", worker.queue()).isEqualTo(3);
        }
    }
}
