package org.lrm.xero.app.learner;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncRules;
import org.lrm.xero.domain.learner.SyncState;

/**
 * Bulk sync (admin): up to 10,000 already-validated learners at once. Their snapshots are stored
 * and those whose details Xero does not hold yet are queued at bulk priority, 50 to a message
 * (one Xero call each); unchanged learners cost nothing. When the organisation is not connected they are
 * queued all the same and wait for a connect (at most {@link org.lrm.xero.app.work.WorkOutcome#PARKED_AT_MOST});
 * the answer says so.
 */
public final class BulkSync {

    public static final int MAX_LEARNERS = 10_000;

    /** @param waitingForConnection learners were queued, but the organisation is not connected: they wait for a connect */
    public record Started(String jobId, int received, int queued, boolean waitingForConnection) {
    }

    private final LearnerStore learners;
    private final LearnerSyncQueue queue;
    private final Predicate<String> orgConnected;
    private final Clock clock;

    public BulkSync(LearnerStore learners, LearnerSyncQueue queue, Predicate<String> orgConnected, Clock clock) {
        this.learners = learners;
        this.queue = queue;
        this.orgConnected = orgConnected;
        this.clock = clock;
    }

    public Started start(String orgId, List<Learner> batch) {
        Map<String, LearnerRecord> before = learners.findAll(orgId, batch.stream().map(Learner::learnerId).toList());
        List<Learner> toSave = new ArrayList<>();
        Map<String, SyncState> states = new HashMap<>();
        List<String> toQueue = new ArrayList<>();
        for (Learner learner : batch) {
            Optional<LearnerRecord> existing = Optional.ofNullable(before.get(learner.learnerId()));
            boolean owed = SyncRules.syncOwed(learner, existing.map(LearnerRecord::syncedFingerprint).orElse(null),
                    existing.map(LearnerRecord::state).orElse(null));
            boolean changed = existing.map(r -> !r.learner().equals(learner)).orElse(true);
            if (owed) {
                toQueue.add(learner.learnerId());
            }
            if (owed || changed) {
                toSave.add(learner);
                states.put(learner.learnerId(), owed ? SyncState.PENDING
                        : SyncRules.stateWithoutSync(existing.map(LearnerRecord::contactId).orElse(null)));
            }
        }
        learners.save(orgId, toSave, states, clock.instant());
        String jobId = "bulk-" + UUID.randomUUID();
        if (!toQueue.isEmpty()) {
            queue.enqueue(orgId, toQueue, Priority.BULK, false, jobId);
        }
        return new Started(jobId, batch.size(), toQueue.size(), !toQueue.isEmpty() && !orgConnected.test(orgId));
    }
}
