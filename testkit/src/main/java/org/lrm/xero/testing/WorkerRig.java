package org.lrm.xero.testing;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.sandbox.SandboxAdminClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Plays Lambda's SQS event source for tests: {@code workers} threads receive batches from the
 * real queue, hand each to the worker (a handler's {@code handleRequest}) as an {@link SQSEvent} and delete what it did
 * not report as failed. It runs in passes (until the queue shows nothing visible); between
 * passes the sandbox clock and the {@link MutableClock} move on together and messages the worker
 * left invisible to wait are made visible again, so minutes of waiting take no real time. A message
 * left waiting stays hidden for the rest of its pass, however long the pass takes in real time.
 */
public final class WorkerRig {

    private final SqsQueue sqs;
    private final software.amazon.awssdk.services.sqs.SqsClient client;
    private final String queueUrl;
    private final Function<SQSEvent, SQSBatchResponse> worker;
    private final SandboxAdminClient admin;
    private final MutableClock clock;
    private final int workers;
    private final Map<String, String> waiting = new ConcurrentHashMap<>();

    public WorkerRig(software.amazon.awssdk.services.sqs.SqsClient client, String queueUrl, Function<SQSEvent, SQSBatchResponse> worker,
            SandboxAdminClient admin, MutableClock clock, int workers) {
        this.client = client;
        this.sqs = new SqsQueue(client);
        this.queueUrl = queueUrl;
        this.worker = worker;
        this.admin = admin;
        this.clock = clock;
        this.workers = workers;
    }

    /** What one pass did. */
    public record Pass(int received, int settled) {
    }

    /** All workers receive and work until the queue shows nothing visible. */
    public Pass pass() throws Exception {
        AtomicInteger received = new AtomicInteger();
        AtomicInteger settled = new AtomicInteger();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                running.add(pool.submit(() -> {
                    while (true) {
                        List<Message> batch;
                        // moto's ReceiveMessage is not atomic: concurrent receives can hand out the same
                        // message. SQS does that only rarely; one receive at a time keeps the count exact.
                        synchronized (this) {
                            batch = sqs.receive(queueUrl, 10, 600, 0);
                        }
                        if (batch.isEmpty()) {
                            return null;
                        }
                        batch = withoutCopiesStillDelayed(batch, handled);
                        if (batch.isEmpty()) {
                            continue;
                        }
                        received.addAndGet(batch.size());
                        SQSBatchResponse response = worker.apply(SqsEvents.of(batch));
                        Set<String> failed = response.getBatchItemFailures().stream()
                                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
                        List<String> hidden = new ArrayList<>();
                        List<String> done = new ArrayList<>();
                        for (Message m : batch) {
                            if (failed.contains(m.messageId())) {
                                // Its wait is on the sandbox clock, which only the rig moves: hidden until then,
                                // however long this pass takes in real time.
                                hidden.add(m.receiptHandle());
                                waiting.put(m.messageId(), m.receiptHandle());
                            } else {
                                done.add(m.receiptHandle());
                                waiting.remove(m.messageId());
                                settled.incrementAndGet();
                            }
                        }
                        // As Lambda's event source does: the batch's deletes in batches of ten. A receipt SQS no
                        // longer knows (dead-lettered meanwhile) is passed over.
                        sqs.changeVisibilities(queueUrl, hidden, java.util.Collections.nCopies(hidden.size(), 600));
                        sqs.deleteAll(queueUrl, done);
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Pass(received.get(), settled.get());
    }

    /**
     * The worker's deferral policy here sends waiting copies without SQS delay (SQS delays are
     * real time); a copy of work already handled in this pass that is not yet due stays hidden
     * until the clocks move on, as its delay would have kept it.
     */
    private List<Message> withoutCopiesStillDelayed(List<Message> batch, Set<String> handled) {
        List<Message> deliver = new ArrayList<>();
        List<String> stillDelayed = new ArrayList<>();
        for (Message m : batch) {
            WorkMessage work;
            try {
                work = WorkMessage.parse(m.body());
            } catch (IllegalArgumentException malformed) {
                deliver.add(m);
                continue;
            }
            String key = work.kind() + "|" + work.orgId() + "|" + work.payload();
            boolean due = work.notBefore() == null || !work.notBefore().isAfter(clock.instant());
            if (!due && !handled.add(key)) {
                stillDelayed.add(m.receiptHandle());
                waiting.put(m.messageId(), m.receiptHandle());
            } else {
                handled.add(key);
                deliver.add(m);
            }
        }
        sqs.changeVisibilities(queueUrl, stillDelayed, java.util.Collections.nCopies(stillDelayed.size(), 600));
        return deliver;
    }

    /** Moves both clocks on and ends the waits the worker left invisible (as their visibility timeouts would). */
    public void advance(Duration by) {
        clock.advance(by);
        admin.advanceClock(by.toSeconds());
        // Receipts deleted or delivered again since are passed over: nothing left to end.
        sqs.release(queueUrl, new ArrayList<>(waiting.values()));
        waiting.clear();
    }

    /** Messages in the queue, visible, in flight or delayed. */
    public int inQueue(String url) {
        return inQueue(client, url);
    }

    /** Messages in the queue, visible, in flight or delayed. */
    public static int inQueue(software.amazon.awssdk.services.sqs.SqsClient client, String url) {
        Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /**
     * How many invoice versions the PDF messages visible on {@code url} name in all ({@code InvoicePdfs.Wanted}): each
     * is received once, read, and made visible again, so the queue is as it was. Only for a queue nobody else reads.
     */
    public static int pdfsNamed(software.amazon.awssdk.services.sqs.SqsClient client, String url) {
        int named = 0;
        java.util.List<String> receipts = new java.util.ArrayList<>();
        while (true) {
            var batch = client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(300)).messages();
            if (batch.isEmpty()) {
                break;
            }
            for (var m : batch) {
                named += org.lrm.xero.app.invoice.InvoicePdfs.Wanted.of(
                        org.lrm.xero.app.work.WorkMessage.parse(m.body()).payload()).size();
                receipts.add(m.receiptHandle());
            }
        }
        receipts.forEach(r -> client.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(r).visibilityTimeout(0)));
        return named;
    }
}
