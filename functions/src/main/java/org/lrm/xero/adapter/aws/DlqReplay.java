package org.lrm.xero.adapter.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.support.Priming;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Sends dead letters back to their queue: receive from the DLQ, keep what the filter selects,
 * re-send it (attributes kept, deferral count reset) and delete it from the DLQ. What is not
 * moved is made visible again at the end, so a dry run leaves the DLQ as it was. (AWS's
 * StartMessageMoveTask cannot filter, and the emulators lack it.)
 */
public final class DlqReplay {

    private static final JsonLog LOG = JsonLog.forClass(DlqReplay.class);
    /** Long enough to go through the DLQ once without seeing a message twice. */
    private static final int HOLD_SECONDS = 300;

    /** A work queue and its dead-letter queue. */
    public record Queues(String queueUrl, String deadLetterQueueUrl) {
    }

    private final SqsQueue sqs;
    private final Map<String, Queues> queues;
    /** Kept as long as the replay lives: CRaC holds what registers with it weakly. */
    private final Priming priming;

    /** @param queues by the names of {@link ReplayRequest#QUEUES} */
    public DlqReplay(SqsQueue sqs, Map<String, Queues> queues) {
        this.sqs = sqs;
        this.queues = Map.copyOf(queues);
        this.priming = Priming.register("replay", this::warmUp);
    }

    /** SnapStart priming of a replay's first call, which only reads: a dead-letter queue's message count. */
    private void warmUp() {
        queues.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getValue().deadLetterQueueUrl())
                .filter(java.util.Objects::nonNull).findFirst().ifPresent(sqs::visibleMessages);
    }

    public ReplayCounts replay(ReplayRequest request) {
        Queues pair = queues.get(request.queue());
        if (pair == null || pair.queueUrl() == null || pair.deadLetterQueueUrl() == null) {
            throw new IllegalStateException("no queue URLs configured for " + request.queue());
        }
        int matched = 0;
        int moved = 0;
        int skipped = 0;
        List<String> held = new ArrayList<>();
        // An empty DLQ is answered at once rather than after a second's long poll for nothing. SQS's
        // count can lag a message dead-lettered in the last minute; a replay run again finds it.
        boolean empty = sqs.visibleMessages(pair.deadLetterQueueUrl()) == 0;
        try {
            while (!empty && matched < request.max()) {
                List<Message> received = sqs.receive(pair.deadLetterQueueUrl(), 10, HOLD_SECONDS, 1);
                if (received.isEmpty()) {
                    break;
                }
                for (Message message : received) {
                    Map<String, String> attributes = attributes(message);
                    WorkMessage work = parsedOrNull(message.body());
                    String orgId = attributes.getOrDefault("orgId", work == null ? null : work.orgId());
                    String kind = attributes.getOrDefault("kind", work == null ? null : work.kind());
                    if (matched >= request.max()) {
                        held.add(message.receiptHandle());
                        continue;
                    }
                    if (!request.matches(orgId, kind)) {
                        skipped++;
                        held.add(message.receiptHandle());
                        continue;
                    }
                    matched++;
                    if (request.dryRun()) {
                        held.add(message.receiptHandle());
                        continue;
                    }
                    String body = work == null ? message.body() : work.replayed().toJson();
                    sqs.send(pair.queueUrl(), new SqsQueue.Outgoing(body, attributes, 0));
                    sqs.delete(pair.deadLetterQueueUrl(), message.receiptHandle());
                    moved++;
                }
            }
        } finally {
            held.forEach(receipt -> sqs.changeVisibility(pair.deadLetterQueueUrl(), receipt, 0));
        }
        ReplayCounts counts = new ReplayCounts(matched, moved, skipped);
        LOG.info("dlq.replayed", "queue", request.queue(), "orgId", request.orgId(), "kind", request.kind(),
                "dryRun", request.dryRun(), "matched", matched, "moved", moved, "skipped", skipped);
        return counts;
    }

    private static Map<String, String> attributes(Message message) {
        Map<String, String> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> {
            if (value.stringValue() != null) {
                attributes.put(name, value.stringValue());
            }
        });
        return attributes;
    }

    private static WorkMessage parsedOrNull(String body) {
        try {
            return WorkMessage.parse(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
