package org.lrm.xero.app.learner;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncRules;
import org.lrm.xero.domain.learner.SyncState;

/**
 * Staff saved a learner in the LRM (PUT): keep the snapshot and, when Sync to Xero is ticked and
 * Xero does not hold these details yet, queue a sync. Answers at once; the worker calls Xero. When the
 * organisation is not connected, the sync is queued all the same and waits for a connect (at most
 * {@link org.lrm.xero.app.work.WorkOutcome#PARKED_AT_MOST}); the answer says so.
 */
public final class SaveLearner {

    /** @param waitingForConnection queued, but the organisation is not connected: the sync waits for a connect */
    public record Saved(LearnerRecord before, boolean queued, boolean changed, boolean waitingForConnection) {
    }

    private final LearnerStore learners;
    private final LearnerSyncQueue queue;
    private final Logbook logbook;
    private final Predicate<String> orgConnected;
    private final Clock clock;

    public SaveLearner(LearnerStore learners, LearnerSyncQueue queue, Logbook logbook, Predicate<String> orgConnected,
            Clock clock) {
        this.learners = learners;
        this.queue = queue;
        this.logbook = logbook;
        this.orgConnected = orgConnected;
        this.clock = clock;
    }

    public Saved save(String orgId, Learner learner) {
        Optional<LearnerRecord> before = learners.find(orgId, learner.learnerId());
        SyncState previous = before.map(LearnerRecord::state).orElse(null);
        String contactId = before.map(LearnerRecord::contactId).orElse(null);
        boolean owed = SyncRules.syncOwed(learner, before.map(LearnerRecord::syncedFingerprint).orElse(null), previous);
        boolean changed = before.map(r -> !r.learner().equals(learner)).orElse(true);
        if (!changed && !owed) {
            return new Saved(before.orElse(null), false, false, false);
        }
        SyncState state = owed ? SyncState.PENDING : SyncRules.stateWithoutSync(contactId);
        // Stored before it is queued: the worker reads the snapshot, so the message only names the learner.
        // Should queueing fail, the learner stays PENDING and saving it again queues it again.
        learners.save(orgId, learner, before.orElse(null), state, clock.instant());
        if (owed) {
            queue.enqueue(orgId, List.of(learner.learnerId()), Priority.INTERACTIVE, false, null);
        }
        if (before.isPresent() && before.get().learner().syncToXero() && !learner.syncToXero()) {
            logbook.append(orgId, learner.learnerId(), new LogEntry(clock.instant(), "SYNC_TURNED_OFF",
                    "Sync to Xero turned off: future changes stay in the LRM; the Xero contact is kept.",
                    contactId == null ? Map.of() : Map.of("contactId", contactId)));
        }
        return new Saved(before.orElse(null), owed, true, owed && !orgConnected.test(orgId));
    }
}
