package org.lrm.xero.app.learner;

import java.util.List;
import java.util.function.Predicate;
import org.lrm.xero.app.NotFound;
import org.lrm.xero.domain.rate.Priority;

/**
 * The Manual Sync button: push the contact again (even if unchanged) and pull the learner's
 * invoices, ahead of bulk work. The LRM shows the button only when the organisation is connected
 * and the learner's Sync to Xero is on; otherwise this says which does not hold.
 */
public final class ManualSync {

    private final LearnerStore learners;
    private final LearnerSyncQueue queue;
    private final Predicate<String> orgConnected;

    public ManualSync(LearnerStore learners, LearnerSyncQueue queue, Predicate<String> orgConnected) {
        this.learners = learners;
        this.queue = queue;
        this.orgConnected = orgConnected;
    }

    public void request(String orgId, String learnerId) {
        LearnerRecord record = learners.find(orgId, learnerId)
                .orElseThrow(() -> NotFound.learner(learnerId));
        if (!orgConnected.test(orgId)) {
            throw new SyncConflict(SyncConflict.Reason.NOT_CONNECTED,
                    "The organisation is not connected to Xero: an admin must connect it first.");
        }
        if (record.mergedInto() != null) {
            throw new SyncConflict(SyncConflict.Reason.MERGED,
                    "This learner was merged into " + record.mergedInto() + "; sync that learner instead.");
        }
        if (!record.learner().syncToXero()) {
            throw new SyncConflict(SyncConflict.Reason.SYNC_OFF,
                    "Sync to Xero is off for this learner: tick it and save first.");
        }
        queue.enqueue(orgId, List.of(learnerId), Priority.INTERACTIVE, true, null);
    }
}
