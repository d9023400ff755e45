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
import org.lrm.xero.app.work.OrganisationTurns;
import org.lrm.xero.app.work.OutageBackoff;
import org.lrm.xero.app.work.Work;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.work.WorkProcessor;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.support.Priming;
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
    /** How long the rest of partly done work waits when what stopped it is only retried. */
    private static final Duration RETRY_REST_AFTER = Duration.ofMinutes(1);

    private final SqsQueue sqs;
    private final String queueUrl;
    private final WorkProcessor processor;
    private final DeferralPolicy deferrals;
    private final Clock clock;
    private final DoubleSupplier jitter;
    private final OutageBackoff outageBackoff;
    private volatile SqsQueue.Redrive redrive;
    /** Kept as long as the worker lives: CRaC holds what registers with it weakly. */
    private final Priming priming;

    /** @param jitter uniform in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
    public SqsWorker(SqsQueue sqs, String queueUrl, WorkProcessor processor, DeferralPolicy deferrals, Clock clock,
            DoubleSupplier jitter) {
        this(sqs, queueUrl, processor, deferrals, clock, jitter, OutageBackoff.standard());
    }

    /** @param outageBackoff how work waits while Xero fails, and for how long at most */
    public SqsWorker(SqsQueue sqs, String queueUrl, WorkProcessor processor, DeferralPolicy deferrals, Clock clock,
            DoubleSupplier jitter, OutageBackoff outageBackoff) {
        this.outageBackoff = outageBackoff;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.processor = processor;
        this.deferrals = deferrals;
        this.clock = clock;
        this.jitter = jitter;
        // SnapStart priming of what a batch ends with: the queue's redrive policy read (not kept: a restore
        // reads it afresh), and the sends of deferrals and dead letters, which SQS refuses.
        this.priming = Priming.register("worker of " + SqsQueue.name(queueUrl), () -> {
            sqs.redrive(queueUrl);
            sqs.warmUpSends(queueUrl);
        });
    }

    public SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Settlement settlement = new Settlement();
        Map<String, List<Received>> byOrg = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (SQSEvent.SQSMessage raw : event.getRecords()) {
            Received received;
            try {
                received = new Received(raw, new Work(raw.getMessageId(), WorkMessage.parse(raw.getBody()), receiveCount(raw)));
            } catch (IllegalArgumentException malformed) {
                settle(new Received(raw, null), new WorkOutcome.Fail("malformed: " + malformed.getMessage()), failures, settlement);
                continue;
            }
            Instant notBefore = received.work().message().notBefore();
            if (notBefore != null && notBefore.isAfter(now)) {
                settle(received, new WorkOutcome.Defer(Duration.between(now, notBefore), "scheduled"), failures, settlement);
                continue;
            }
            byOrg.computeIfAbsent(received.work().message().orgId(), k -> new ArrayList<>()).add(received);
        }
        // One organisation's backlog in the batch does not hold up another's few messages (OrganisationTurns).
        for (String orgId : OrganisationTurns.fewestFirst(byOrg)) {
            List<Received> group = byOrg.get(orgId);
            Map<String, WorkOutcome> outcomes = process(orgId, group);
            for (Received received : group) {
                WorkOutcome outcome = outcomes.get(received.raw().getMessageId());
                settle(received, outcome != null ? outcome : new WorkOutcome.Retry("the processor gave no outcome"), failures,
                        settlement);
            }
        }
        settlement.carryOut(failures);
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * The waits a batch ends with, made ten to an SQS call (its batch APIs' most) instead of one call a message: a
     * backlog waiting for the day comes back every quarter of an hour, and each of its messages would otherwise cost
     * a request of its own each time. A copy SQS did not take leaves its original undeleted (reported failed), so
     * it is delivered again: never lost, at worst done twice, as SQS's at-least-once delivery already allows.
     */
    private final class Settlement {
        private final List<String> hiddenReceipts = new ArrayList<>();
        private final List<Integer> hiddenSeconds = new ArrayList<>();
        private final List<String> copiedIds = new ArrayList<>();
        private final List<SqsQueue.Outgoing> copies = new ArrayList<>();

        void hide(String receiptHandle, int seconds) {
            hiddenReceipts.add(receiptHandle);
            hiddenSeconds.add(seconds);
        }

        void copy(String messageId, SqsQueue.Outgoing copy) {
            copiedIds.add(messageId);
            copies.add(copy);
        }

        void carryOut(List<SQSBatchResponse.BatchItemFailure> failures) {
            for (int from = 0; from < copies.size(); from += 10) {
                int to = Math.min(from + 10, copies.size());
                try {
                    sqs.sendBatch(queueUrl, copies.subList(from, to));
                } catch (RuntimeException e) {
                    LOG.error("work.settle.failed", e, "messages", to - from, "outcome", "re-send to wait");
                    copiedIds.subList(from, to).forEach(id -> failures.add(
                            SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build()));
                }
            }
            try {
                sqs.changeVisibilities(queueUrl, hiddenReceipts, hiddenSeconds);
            } catch (RuntimeException e) {
                // Reported failed already: delivered again when the visibility they were received with ends.
                LOG.error("work.settle.failed", e, "messages", hiddenReceipts.size(), "outcome", "hide to wait");
            }
        }
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

    private void settle(Received received, WorkOutcome outcome, List<SQSBatchResponse.BatchItemFailure> failures,
            Settlement settlement) {
        boolean handedOn;
        try {
            handedOn = apply(received, outcome, settlement);
        } catch (RuntimeException e) {
            LOG.error("work.settle.failed", e, "messageId", received.raw().getMessageId(), "outcome", outcome.toString());
            handedOn = false;
        }
        if (!handedOn) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(received.raw().getMessageId()).build());
        }
    }

    /** Carries out an outcome; true when the message may be deleted. */
    private boolean apply(Received received, WorkOutcome outcome, Settlement settlement) {
        if (outcome instanceof WorkOutcome.Done) {
            return true;
        }
        if (outcome instanceof WorkOutcome.Partly partly) {
            return goOn(received, partly, settlement);
        }
        if (outcome instanceof WorkOutcome.XeroFailing failing) {
            return backOff(received, received.work().message(), failing, settlement);
        }
        if (outcome instanceof WorkOutcome.Defer defer && WorkOutcome.CONNECTION.equals(defer.reason())) {
            return park(received, received.work().message(), defer, settlement);
        }
        if (outcome instanceof WorkOutcome.Defer defer) {
            return defer(received, received.work().message(), defer, settlement);
        }
        if (outcome instanceof WorkOutcome.Retry retry) {
            int receives = received.work() == null ? receiveCount(received.raw()) : received.work().receiveCount();
            if (receives >= redrive().maxReceiveCount()) {
                return deadLetter(received, received.raw().getBody(), "retries exhausted: " + retry.reason());
            }
            LOG.warn("work.retry", "orgId", orgId(received), "kind", kind(received), "messageId", received.raw().getMessageId(),
                    "receiveCount", receives, "reason", retry.reason());
            return false;
        }
        return deadLetter(received, received.raw().getBody(), ((WorkOutcome.Fail) outcome).reason());
    }

    /**
     * Part of the work was done: the rest is sent as a copy of its own (the original is deleted), and what stopped
     * the work becomes of that copy. It cannot wait hidden, as a whole message waits, because its content changed.
     * A rest that is only retried goes on after a minute with its receives counted afresh: each pass is shorter.
     */
    private boolean goOn(Received received, WorkOutcome.Partly partly, Settlement settlement) {
        WorkMessage rest = received.work().message().continuedWith(partly.rest());
        WorkOutcome then = partly.then();
        LOG.info("work.partlyDone", "orgId", rest.orgId(), "tenantId", rest.tenantId(), "kind", rest.kind(),
                "messageId", received.raw().getMessageId(), "then", then.toString());
        if (then instanceof WorkOutcome.XeroFailing failing) {
            return backOff(received, rest, failing, settlement);
        }
        if (then instanceof WorkOutcome.Defer defer && WorkOutcome.CONNECTION.equals(defer.reason())) {
            return park(received, rest, defer, settlement);
        }
        if (then instanceof WorkOutcome.Defer defer) {
            return defer(received, rest, defer, settlement);
        }
        if (then instanceof WorkOutcome.Fail fail) {
            return deadLetter(received, rest.toJson(), fail.reason());
        }
        Duration wait = then instanceof WorkOutcome.Retry ? RETRY_REST_AFTER : Duration.ZERO;
        return resendAfter(received, rest, deferrals.resend(wait), settlement);
    }

    /** {@code message}: the received one, which may wait hidden, or what was left of it, which must go as a copy. */
    private boolean defer(Received received, WorkMessage message, WorkOutcome.Defer defer, Settlement settlement) {
        DeferralPolicy.Plan plan = message == received.work().message()
                ? deferrals.plan(defer.waitFor(), received.work().receiveCount(), redrive().maxReceiveCount(), jitter.getAsDouble())
                : deferrals.resend(defer.waitFor());
        Metrics.emit(Map.of("TenantId", message.tenantId() == null ? UNKNOWN : message.tenantId(), "Reason", defer.reason()),
                Metrics.count("WorkDeferred", 1));
        LOG.info("work.deferred", "orgId", message.orgId(), "tenantId", message.tenantId(), "kind", message.kind(),
                "reason", defer.reason(), "waitSeconds", plan.waitFor().toSeconds(), "by", plan.getClass().getSimpleName());
        if (plan instanceof DeferralPolicy.ExtendVisibility extend) {
            settlement.hide(received.raw().getReceiptHandle(), extend.seconds());
            return false;
        }
        return resendAfter(received, message, (DeferralPolicy.Resend) plan, settlement);
    }

    /**
     * Xero failed the work: a copy carrying one more failure waits exponentially longer (never spending a
     * receive), until Xero has failed it for the back-off's limit; then it is dead-lettered with the reason.
     */
    private boolean backOff(Received received, WorkMessage message, WorkOutcome.XeroFailing failing, Settlement settlement) {
        Instant now = clock.instant();
        WorkMessage failed = message.xeroFailedAt(now);
        Map<String, String> dimensions = Map.of("TenantId", failed.tenantId() == null ? UNKNOWN : failed.tenantId());
        Metrics.emit(dimensions, Metrics.count("WorkXeroFailing", 1));
        if (outageBackoff.givesUp(failed.xeroFailingSince(), now)) {
            return deadLetter(received, bodyOf(received, message), "Xero failing since " + failed.xeroFailingSince()
                    + " (" + failed.xeroFailures() + " attempts over " + outageBackoff.giveUpAfter().toHours() + " h): "
                    + failing.reason());
        }
        DeferralPolicy.Resend resend = deferrals.resend(outageBackoff.waitAfter(failed.xeroFailures(), jitter.getAsDouble()));
        LOG.warn("work.deferred", "orgId", failed.orgId(), "tenantId", failed.tenantId(), "kind", failed.kind(),
                "reason", "xero", "waitSeconds", resend.waitFor().toSeconds(), "by", "Resend",
                "xeroFailures", failed.xeroFailures(), "xeroFailingSince", failed.xeroFailingSince().toString(),
                "error", failing.reason());
        return resendAfter(received, failed, resend, settlement);
    }

    /**
     * The organisation is not connected: the work waits for it, as a copy that remembers since when, and is
     * dropped (the processor records it) once it has waited {@link WorkOutcome#PARKED_AT_MOST}.
     */
    private boolean park(Received received, WorkMessage message, WorkOutcome.Defer defer, Settlement settlement) {
        Instant now = clock.instant();
        WorkMessage parked = message.parkedAt(now);
        if (!now.isBefore(parked.parkedSince().plus(WorkOutcome.PARKED_AT_MOST))) {
            String reason = "the organisation was not connected to Xero for " + WorkOutcome.PARKED_AT_MOST.toDays()
                    + " days (since " + parked.parkedSince() + ")";
            processor.dropped(parked.orgId(), new Work(received.work().messageId(), message, received.work().receiveCount()),
                    reason);
            Metrics.emit(Map.of("TenantId", parked.tenantId() == null ? UNKNOWN : parked.tenantId()),
                    Metrics.count("WorkDropped", 1));
            LOG.warn("work.dropped", "orgId", parked.orgId(), "tenantId", parked.tenantId(), "kind", parked.kind(),
                    "messageId", received.raw().getMessageId(), "reason", reason);
            return true;
        }
        DeferralPolicy.Resend resend = deferrals.resend(defer.waitFor().plusMillis((long) (60_000 * jitter.getAsDouble())));
        Metrics.emit(Map.of("TenantId", parked.tenantId() == null ? UNKNOWN : parked.tenantId(), "Reason", defer.reason()),
                Metrics.count("WorkDeferred", 1));
        LOG.info("work.deferred", "orgId", parked.orgId(), "tenantId", parked.tenantId(), "kind", parked.kind(),
                "reason", defer.reason(), "waitSeconds", resend.waitFor().toSeconds(), "by", "Resend",
                "parkedSince", parked.parkedSince().toString());
        return resendAfter(received, parked, resend, settlement);
    }

    /** The copy is sent with the batch's others ({@link Settlement}); the original is deleted unless SQS refuses it. */
    private boolean resendAfter(Received received, WorkMessage message, DeferralPolicy.Resend resend, Settlement settlement) {
        WorkMessage copy = message.deferredUntil(clock.instant().plus(resend.waitFor()));
        settlement.copy(received.raw().getMessageId(), SqsQueue.Outgoing.work(copy, Map.of(), resend.delaySeconds()));
        return true;
    }

    /** The body to dead-letter for {@code message}: as received, unless it is what was left of partly done work. */
    private static String bodyOf(Received received, WorkMessage message) {
        return message == received.work().message() ? received.raw().getBody() : message.toJson();
    }

    /** {@code body}: the message as it failed (the received one, or what was left of it). */
    private boolean deadLetter(Received received, String body, String reason) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        attributes.put("orgId", orgId(received));
        attributes.put("kind", kind(received));
        sqs.send(redrive().deadLetterQueueUrl(), new SqsQueue.Outgoing(body, attributes, 0));
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
