package org.lrm.xero.adapter.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.lrm.xero.app.work.DeadLetter;
import org.lrm.xero.app.work.DeadLetterFilter;
import org.lrm.xero.app.work.DeadLetters;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.support.Priming;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The dead-letter queues, read and sent back. Both go through a DLQ the same way ({@link #sweep}):
 * receive, hold each message while the sweep lasts, and make visible again at the end what was not
 * taken. A look takes nothing, so it leaves the DLQ as it was; a replay re-sends what the filter
 * selects to its work queue (attributes kept, deferral count reset) and deletes it from the DLQ, and
 * a dry run only counts. (AWS's StartMessageMoveTask cannot filter, and the emulators lack it.)
 */
public final class DlqReplay implements DeadLetters {

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
        this.priming = Priming.register("dead-letter queues", this::warmUp);
    }

    /** SnapStart priming of a replay's first call, which only reads: a dead-letter queue's message count. */
    private void warmUp() {
        queues.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getValue().deadLetterQueueUrl())
                .filter(java.util.Objects::nonNull).findFirst().ifPresent(sqs::visibleMessages);
    }

    public ReplayCounts replay(ReplayRequest request) {
        return moveBack(request).counts();
    }

    @Override
    public Replayed moveBack(ReplayRequest request) {
        Queues pair = pair(request.queue());
        DeadLetterFilter filter = request.filter();
        int[] matched = {0};
        int[] skipped = {0};
        List<DeadLetter> moved = new ArrayList<>();
        sweep(request.queue(), () -> matched[0] < request.max(), (letter, message) -> {
            if (matched[0] >= request.max()) {
                return false;
            }
            if (!filter.matches(letter)) {
                skipped[0]++;
                return false;
            }
            matched[0]++;
            if (request.dryRun()) {
                return false;
            }
            String body = letter.message() == null ? message.body() : letter.message().replayed().toJson();
            sqs.send(pair.queueUrl(), new SqsQueue.Outgoing(body, attributes(message), 0));
            moved.add(letter);
            return true;
        });
        ReplayCounts counts = new ReplayCounts(matched[0], moved.size(), skipped[0]);
        LOG.info("dlq.replayed", "queue", request.queue(), "orgId", request.orgId(), "kind", request.kind(),
                "reason", request.reason(), "dryRun", request.dryRun(), "matched", counts.matched(), "moved", counts.moved(),
                "skipped", counts.skipped());
        return new Replayed(counts, List.copyOf(moved));
    }

    @Override
    public Listing read(String queue, DeadLetterFilter filter, int max) {
        List<DeadLetter> letters = new ArrayList<>();
        int[] read = {0};
        boolean complete = sweep(queue, () -> read[0] < max, (letter, message) -> {
            if (read[0] < max) {
                read[0]++;
                if (filter.matches(letter)) {
                    letters.add(letter);
                }
            }
            return false;
        });
        letters.sort(Comparator.comparing(DeadLetter::sentAt, Comparator.nullsLast(Comparator.naturalOrder())));
        return new Listing(List.copyOf(letters), complete);
    }

    /** What a sweep does with each dead letter: true when it took it (it is then deleted from the DLQ). */
    private interface Visit {
        boolean took(DeadLetter letter, Message message);
    }

    /**
     * Goes once through {@code queue}'s DLQ while {@code more} says so, handing each message to
     * {@code visit}: each is held while the sweep lasts (so it is seen once), deleted when taken, and
     * otherwise made visible again when the sweep ends, whether it ends well or not.
     * @return true when the DLQ was gone through to its end, false when {@code more} stopped it first
     */
    private boolean sweep(String queue, BooleanSupplier more, Visit visit) {
        String deadLetterQueueUrl = pair(queue).deadLetterQueueUrl();
        List<String> held = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            // An empty DLQ is answered at once rather than after a second's long poll for nothing. SQS's
            // count can lag a message dead-lettered in the last minute; a look or replay run again finds it.
            if (sqs.visibleMessages(deadLetterQueueUrl) == 0) {
                return true;
            }
            while (more.getAsBoolean()) {
                List<Message> received = sqs.receive(deadLetterQueueUrl, 10, HOLD_SECONDS, 1);
                if (received.isEmpty()) {
                    return true;
                }
                for (Message message : received) {
                    if (!seen.add(message.messageId())) {
                        held.add(message.receiptHandle());
                        continue;
                    }
                    if (visit.took(letter(queue, message), message)) {
                        sqs.delete(deadLetterQueueUrl, message.receiptHandle());
                    } else {
                        held.add(message.receiptHandle());
                    }
                }
            }
            return false;
        } finally {
            sqs.release(deadLetterQueueUrl, held);
        }
    }

    private Queues pair(String queue) {
        Queues pair = queues.get(queue);
        if (pair == null || pair.queueUrl() == null || pair.deadLetterQueueUrl() == null) {
            throw new IllegalStateException("no queue URLs configured for " + queue);
        }
        return pair;
    }

    /** A dead letter as its attributes (the worker's) or else its body say. */
    private static DeadLetter letter(String queue, Message message) {
        Map<String, String> attributes = attributes(message);
        WorkMessage work = parsedOrNull(message.body());
        String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        String receives = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return new DeadLetter(queue, message.messageId(),
                attributes.getOrDefault("orgId", work == null ? "unknown" : work.orgId()),
                attributes.getOrDefault("kind", work == null ? "unknown" : work.kind()),
                attributes.get("reason"),
                sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)),
                receives == null ? 1 : Integer.parseInt(receives), work);
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
