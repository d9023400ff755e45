package org.lrm.xero.app.operator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lrm.xero.app.learner.LearnerSyncRequest;
import org.lrm.xero.app.work.DeadLetter;
import org.lrm.xero.app.work.DeadLetterFilter;
import org.lrm.xero.app.work.DeadLetters;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.support.JsonLog;

/**
 * Dead letters as operators handle them: a look at what is in the dead-letter queues, grouped by
 * queue, organisation and reason, then a replay of a group (a dry run first). Every look and replay
 * is logged with the operator; a replay that moved messages is also kept in the {@link OperatorAudit}.
 */
public final class DeadLetterDesk {

    /** Examples shown of each group. */
    public static final int SAMPLES = 3;
    /** Dead letters read from one queue for a look. */
    public static final int READ_LIMIT = 1_000;
    /** Learner ids a replay's log line names at most (a line must stay well under CloudWatch's 256 KB). */
    private static final int LOGGED_LEARNERS = 100;

    private static final JsonLog LOG = JsonLog.forClass(DeadLetterDesk.class);

    /** A dead letter with the learners it concerns (a learner sync names up to 50; other kinds none). */
    public record Sample(DeadLetter letter, List<String> learnerIds) {
    }

    /**
     * Dead letters of one queue and organisation for one reason.
     * @param oldestAt when the group's oldest was sent
     * @param samples its oldest {@value #SAMPLES}
     */
    public record Group(String queue, String orgId, String reason, int count, Instant oldestAt, List<Sample> samples) {
    }

    /**
     * @param total the dead letters the look found
     * @param groups by queue (in {@link ReplayRequest#QUEUES} order), then the largest first
     * @param complete false when a queue held more than a look reads ({@link #READ_LIMIT}): replay, then look again
     */
    public record Review(int total, List<Group> groups, boolean complete) {
    }

    /** @param replayed sent back to their queue (0 in a dry run) */
    public record Replay(ReplayRequest request, int matched, int replayed) {
    }

    private final DeadLetters deadLetters;
    private final OperatorAudit audit;
    private final Clock clock;

    public DeadLetterDesk(DeadLetters deadLetters, OperatorAudit audit, Clock clock) {
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.clock = clock;
    }

    /** @param queue one of {@link ReplayRequest#QUEUES}, or null for all four */
    public Review review(String operator, String queue, DeadLetterFilter filter) {
        if (queue != null && !ReplayRequest.QUEUES.contains(queue)) {
            throw new IllegalArgumentException("queue must be one of " + ReplayRequest.QUEUES + ", was " + queue);
        }
        List<Group> groups = new ArrayList<>();
        int total = 0;
        boolean complete = true;
        for (String name : queue == null ? ReplayRequest.QUEUES : List.of(queue)) {
            DeadLetters.Listing listing = deadLetters.read(name, filter, READ_LIMIT);
            complete &= listing.complete();
            total += listing.letters().size();
            groups.addAll(grouped(name, listing.letters()));
        }
        LOG.info("operator.deadLettersRead", "operator", operator, "queue", queue, "orgId", filter.orgId(), "kind", filter.kind(),
                "reason", filter.reason(), "total", total, "groups", groups.size(), "complete", complete);
        return new Review(total, groups, complete);
    }

    /** Sends back what the request selects (counts it only, in a dry run), and keeps a replay that moved anything. */
    public Replay replay(String operator, ReplayRequest request) {
        DeadLetters.Replayed replayed = deadLetters.moveBack(request);
        Map<String, Integer> byOrganisation = new TreeMap<>();
        replayed.moved().forEach(letter -> byOrganisation.merge(letter.orgId(), 1, Integer::sum));
        List<String> learnerIds = replayed.moved().stream().flatMap(letter -> learnerIdsOf(letter).stream()).toList();
        LOG.info("operator.deadLettersReplayed", "operator", operator, "queue", request.queue(), "orgId", request.orgId(),
                "kind", request.kind(), "reason", request.reason(), "dryRun", request.dryRun(),
                "matched", replayed.counts().matched(), "replayed", replayed.counts().moved(),
                "organisations", byOrganisation, "learners", learnerIds.size(),
                "learnerIds", learnerIds.isEmpty() ? null : learnerIds.subList(0, Math.min(learnerIds.size(), LOGGED_LEARNERS)));
        if (!replayed.moved().isEmpty()) {
            audit.replayed(new OperatorAudit.Replay(operator, clock.instant(), request.queue(), request.orgId(), request.kind(),
                    request.reason(), replayed.counts().matched(), replayed.counts().moved(), byOrganisation));
        }
        return new Replay(request, replayed.counts().matched(), replayed.counts().moved());
    }

    private static List<Group> grouped(String queue, List<DeadLetter> letters) {
        Map<List<String>, List<DeadLetter>> byOrgAndReason = new LinkedHashMap<>();
        letters.forEach(letter -> byOrgAndReason.computeIfAbsent(List.of(letter.orgId(), letter.reason()), k -> new ArrayList<>())
                .add(letter));
        return byOrgAndReason.values().stream().map(group -> new Group(queue, group.get(0).orgId(), group.get(0).reason(),
                        group.size(), group.get(0).sentAt(),
                        group.stream().limit(SAMPLES).map(letter -> new Sample(letter, learnerIdsOf(letter))).toList()))
                .sorted(Comparator.comparingInt(Group::count).reversed()).toList();
    }

    /** The learners a dead letter concerns: those a learner sync names; none for other kinds or an unreadable message. */
    static List<String> learnerIdsOf(DeadLetter letter) {
        if (letter.message() == null || !LearnerSyncRequest.KIND.equals(letter.message().kind())) {
            return List.of();
        }
        try {
            return LearnerSyncRequest.from(letter.message().payload()).learnerIds();
        } catch (IllegalArgumentException namesNone) {
            return List.of();
        }
    }
}
