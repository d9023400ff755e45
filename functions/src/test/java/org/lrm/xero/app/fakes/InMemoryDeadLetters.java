package org.lrm.xero.app.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.lrm.xero.app.work.DeadLetter;
import org.lrm.xero.app.work.DeadLetterFilter;
import org.lrm.xero.app.work.DeadLetters;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.app.work.WorkMessage;

/**
 * {@link DeadLetters} in memory, with DlqReplay's rules: a look reads a queue in the order SQS
 * hands it out, up to its limit, and moves nothing; a replay goes through it once, moving what the
 * request's filter selects (up to its max) back to the work queue with a fresh start.
 */
public final class InMemoryDeadLetters implements DeadLetters {

    private final Map<String, List<DeadLetter>> dlqs = new LinkedHashMap<>();
    private final Map<String, List<WorkMessage>> workQueues = new LinkedHashMap<>();

    /** A message the worker dead-lettered for {@code reason} (null: one SQS moved itself), at {@code sentAt}. */
    public DeadLetter deadLetter(String queue, WorkMessage message, String reason, Instant sentAt) {
        DeadLetter letter = new DeadLetter(queue, UUID.randomUUID().toString(), message.orgId(), message.kind(), reason,
                sentAt, 1, message);
        dlq(queue).add(letter);
        return letter;
    }

    /** What is in a dead-letter queue now. */
    public List<DeadLetter> in(String queue) {
        return List.copyOf(dlq(queue));
    }

    /** What replays sent back to a work queue. */
    public List<WorkMessage> replayedTo(String queue) {
        return List.copyOf(workQueues.getOrDefault(queue, List.of()));
    }

    @Override
    public Listing read(String queue, DeadLetterFilter filter, int max) {
        List<DeadLetter> all = dlq(queue);
        List<DeadLetter> letters = new ArrayList<>(all.subList(0, Math.min(max, all.size())).stream().filter(filter::matches)
                .toList());
        letters.sort(Comparator.comparing(DeadLetter::sentAt));
        return new Listing(letters, all.size() <= max);
    }

    @Override
    public Replayed moveBack(ReplayRequest request) {
        DeadLetterFilter filter = request.filter();
        int matched = 0;
        int skipped = 0;
        List<DeadLetter> moved = new ArrayList<>();
        for (DeadLetter letter : List.copyOf(dlq(request.queue()))) {
            if (matched >= request.max()) {
                break;
            }
            if (!filter.matches(letter)) {
                skipped++;
                continue;
            }
            matched++;
            if (!request.dryRun()) {
                dlq(request.queue()).remove(letter);
                workQueues.computeIfAbsent(request.queue(), q -> new ArrayList<>()).add(letter.message().replayed());
                moved.add(letter);
            }
        }
        return new Replayed(new ReplayCounts(matched, moved.size(), skipped), moved);
    }

    private List<DeadLetter> dlq(String queue) {
        return dlqs.computeIfAbsent(queue, q -> new ArrayList<>());
    }
}
