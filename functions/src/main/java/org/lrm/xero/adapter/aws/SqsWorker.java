package org.lrm.xero.adapter.aws;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.lrm.xero.app.work.DeferralPolicy;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.support.Metrics;

/**
 * Runs a {@link WorkProcessor} over one SQS batch and answers with partial batch failures: what
 * is done or handed on (re-sent to wait, dead-lettered) is reported as success so Lambda deletes
 * it; what waits invisibly or must be retried is reported as failed so SQS delivers it again.
 * No message is ever dropped: when a hand-over fails, the message is reported failed instead.
 */
public final class SqsWorker {

    private static final JsonLog LOG = JsonLog.forClass(SqsWorker.class);
    private static final String UNKNOWN = "unknown";

    private final SqsQueue sqs;
    private final String queueUrl;
    private final WorkProcessor processor;
    private final DeferralPolicy deferrals;
    private final Clock clock;
    private final DoubleSupplier jitter;
    private volatile SqsQueue.Redrive redrive;

    /** @param jitter uniform in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
    public SqsWorker(SqsQueue sqs, String queueUrl, WorkProcessor processor, DeferralPolicy deferrals, Clock clock,
            DoubleSupplier jitter) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.processor = processor;
        this.deferrals = deferrals;
        this.clock = clock;
        this.jitter = jitter;
    }

    public SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Map<String, List<Received>> byOrg = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (SQSEvent.SQSMessage raw : event.getRecords()) {
            Received received;
            try {
                received = new Received(raw, new Work(raw.getMessageId(), WorkMessage.parse(raw.getBody()), receiveCount(raw)));
            } catch (IllegalArgumentException malformed) {
                settle(new Received(raw, null), new WorkOutcome.Fail("malformed: " + malformed.getMessage()), failures);
                continue;
            }
            Instant notBefore = received.work().message().notBefore();
            if (notBefore != null && notBefore.isAfter(now)) {
                settle(received, new WorkOutcome.Defer(Duration.between(now, notBefore), "scheduled"), failures);
                continue;
            }
            byOrg.computeIfAbsent(received.work().message().orgId(), k -> new ArrayList<>()).add(received);
        }
        byOrg.forEach((orgId, group) -> {
            Map<String, WorkOutcome> outcomes = process(orgId, group);
            for (Received received : group) {
                WorkOutcome outcome = outcomes.get(received.raw().getMessageId());
                settle(received, outcome != null ? outcome : new WorkOutcome.Retry("the processor gave no outcome"), failures);
            }
        });
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private Map<String, WorkOutcome> process(String orgId, List<Received> group) {
        List<Work> work = group.stream().map(Received::work).toList();
        try {
            return processor.process(orgId, work);
        } catch (RuntimeException e) {
            WorkOutcome outcome = WorkOutcome.of(e);
            Map<String, WorkOutcome> all = new LinkedHashMap<>();
            work.forEach(w -> all.put(w.messageId(), outcome));
            return all;
        }
    }

    private void settle(Received received, WorkOutcome outcome, List<SQSBatchResponse.BatchItemFailure> failures) {
        boolean handedOn;
        try {
            handedOn = apply(received, outcome);
        } catch (RuntimeException e) {
            LOG.error("work.settle.failed", e, "messageId", received.raw().getMessageId(), "outcome", outcome.toString());
            handedOn = false;
        }
        if (!handedOn) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(received.raw().getMessageId()).build());
        }
    }

    /** Carries out an outcome; true when the message may be deleted. */
    private boolean apply(Received received, WorkOutcome outcome) {
        if (outcome instanceof WorkOutcome.Done) {
            return true;
        }
        if (outcome instanceof WorkOutcome.Defer defer) {
            return defer(received, defer);
        }
        if (outcome instanceof WorkOutcome.Retry retry) {
            int receives = received.work() == null ? receiveCount(received.raw()) : received.work().receiveCount();
            if (receives >= redrive().maxReceiveCount()) {
                return deadLetter(received, "retries exhausted: " + retry.reason());
            }
            LOG.warn("work.retry", "orgId", orgId(received), "kind", kind(received), "messageId", received.raw().getMessageId(),
                    "receiveCount", receives, "reason", retry.reason());
            return false;
        }
        return deadLetter(received, ((WorkOutcome.Fail) outcome).reason());
    }

    private boolean defer(Received received, WorkOutcome.Defer defer) {
        WorkMessage message = received.work().message();
        DeferralPolicy.Plan plan = deferrals.plan(defer.waitFor(), received.work().receiveCount(), redrive().maxReceiveCount(),
                jitter.getAsDouble());
        Metrics.emit(Map.of("TenantId", message.tenantId() == null ? UNKNOWN : message.tenantId(), "Reason", defer.reason()),
                Metrics.count("WorkDeferred", 1));
        LOG.info("work.deferred", "orgId", message.orgId(), "tenantId", message.tenantId(), "kind", message.kind(),
                "reason", defer.reason(), "waitSeconds", plan.waitFor().toSeconds(), "by", plan.getClass().getSimpleName());
        if (plan instanceof DeferralPolicy.ExtendVisibility extend) {
            sqs.changeVisibility(queueUrl, received.raw().getReceiptHandle(), extend.seconds());
            return false;
        }
        DeferralPolicy.Resend resend = (DeferralPolicy.Resend) plan;
        WorkMessage copy = message.deferredUntil(clock.instant().plus(resend.waitFor()));
        sqs.send(queueUrl, SqsQueue.Outgoing.work(copy, Map.of(), resend.delaySeconds()));
        return true;
    }

    private boolean deadLetter(Received received, String reason) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        attributes.put("orgId", orgId(received));
        attributes.put("kind", kind(received));
        sqs.send(redrive().deadLetterQueueUrl(), new SqsQueue.Outgoing(received.raw().getBody(), attributes, 0));
        LOG.warn("work.deadLettered", "orgId", orgId(received), "kind", kind(received),
                "messageId", received.raw().getMessageId(), "reason", reason);
        return true;
    }

    /** Read once per instance: the queue's DLQ and maxReceiveCount do not change while it runs. */
    private SqsQueue.Redrive redrive() {
        SqsQueue.Redrive known = redrive;
        if (known == null) {
            known = sqs.redrive(queueUrl);
            redrive = known;
        }
        return known;
    }

    private static int receiveCount(SQSEvent.SQSMessage raw) {
        String count = raw.getAttributes() == null ? null : raw.getAttributes().get("ApproximateReceiveCount");
        return count == null ? 1 : Integer.parseInt(count);
    }

    private static String orgId(Received received) {
        return received.work() == null ? UNKNOWN : received.work().message().orgId();
    }

    private static String kind(Received received) {
        return received.work() == null ? UNKNOWN : received.work().message().kind();
    }

    /** @param work null when the body is not a work message */
    private record Received(SQSEvent.SQSMessage raw, Work work) {
    }
}
