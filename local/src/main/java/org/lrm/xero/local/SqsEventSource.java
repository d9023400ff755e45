package org.lrm.xero.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.testing.SqsEvents;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Lambda's SQS event source for one function, as the template configures it: batches of up to
 * BatchSize gathered for up to MaximumBatchingWindowInSeconds, at most MaximumConcurrency
 * invocations at once, messages hidden for the queue's VisibilityTimeout while a batch runs, and
 * afterwards every message deleted except those the function reported in batchItemFailures (all
 * kept when it throws). Kept messages come back after their visibility timeout and go to the
 * dead-letter queue after the redrive policy's maxReceiveCount, as in AWS.
 */
final class SqsEventSource implements AutoCloseable {

    /** Long polls stay short so that stopping takes at most about a second. */
    private static final int WAIT_SECONDS = 1;

    private final TemplateFunctions.SqsSource source;
    private final SqsQueue sqs;
    private final String queueUrl;
    private final int visibilityTimeoutSeconds;
    private final RequestHandler<SQSEvent, ?> function;
    private final PrintStream out;
    private final Semaphore concurrency;
    private final ExecutorService invocations;
    private final Thread poller;
    private volatile boolean running = true;

    SqsEventSource(TemplateFunctions.SqsSource source, SqsQueue sqs, String queueUrl, int visibilityTimeoutSeconds,
            RequestHandler<SQSEvent, ?> function, PrintStream out) {
        this.source = source;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.visibilityTimeoutSeconds = visibilityTimeoutSeconds;
        this.function = function;
        this.out = out;
        this.concurrency = new Semaphore(source.maximumConcurrency());
        this.invocations = Executors.newFixedThreadPool(source.maximumConcurrency(),
                r -> daemon(r, source.functionId() + "-invocation"));
        this.poller = daemon(this::poll, source.eventName() + "-poller");
    }

    /** E.g. {@code lrm-xero-dev-learner-sync -> LearnerSyncWorkerFunction (batch 50, window 2 s, ...)}. */
    String describe() {
        return queueUrl + " -> " + source.functionId() + " (batch " + source.batchSize() + ", window "
                + source.batchingWindowSeconds() + " s, visibility " + visibilityTimeoutSeconds + " s, "
                + (source.reportsBatchItemFailures() ? "partial batch responses, " : "") + "concurrency "
                + source.maximumConcurrency() + ")";
    }

    SqsEventSource start() {
        poller.start();
        return this;
    }

    private void poll() {
        while (running) {
            try {
                concurrency.acquire();
                List<Message> batch = gather();
                if (batch.isEmpty()) {
                    concurrency.release();
                    continue;
                }
                invocations.submit(() -> {
                    try {
                        invoke(batch);
                    } finally {
                        concurrency.release();
                    }
                });
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                concurrency.release();
                if (running) {
                    out.println("[" + source.eventName() + "] receive failed: " + e.getMessage());
                    sleepQuietly();
                }
            }
        }
    }

    /** One batch as Lambda gathers it: until full, or the batching window closes (no window: what is there now). */
    private List<Message> gather() {
        List<Message> batch = new ArrayList<>();
        Instant windowEnds = null;
        while (running && batch.size() < source.batchSize()) {
            int want = Math.min(10, source.batchSize() - batch.size());
            List<Message> received = sqs.receive(queueUrl, want, visibilityTimeoutSeconds, WAIT_SECONDS);
            batch.addAll(received);
            if (batch.isEmpty()) {
                return batch;
            }
            if (windowEnds == null) {
                windowEnds = Instant.now().plusSeconds(source.batchingWindowSeconds());
            }
            boolean drained = received.size() < want;
            if (!Instant.now().isBefore(windowEnds) || (drained && source.batchingWindowSeconds() == 0)) {
                break;
            }
        }
        return batch;
    }

    private void invoke(List<Message> batch) {
        Set<String> kept;
        try {
            Object response = function.handleRequest(SqsEvents.of(batch), null);
            kept = source.reportsBatchItemFailures() && response instanceof SQSBatchResponse r && r.getBatchItemFailures() != null
                    ? r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                            .collect(Collectors.toSet())
                    : Set.of();
        } catch (RuntimeException e) {
            out.println("[" + source.eventName() + "] " + source.functionId() + " failed a batch of " + batch.size()
                    + " (retried after the visibility timeout): " + e);
            return;
        }
        for (Message m : batch) {
            if (!kept.contains(m.messageId())) {
                sqs.delete(queueUrl, m.receiptHandle());
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(Duration.ofSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
        invocations.shutdown();
        try {
            invocations.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
