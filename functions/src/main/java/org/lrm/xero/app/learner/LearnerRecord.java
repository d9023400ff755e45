package org.lrm.xero.app.learner;

import java.time.Instant;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;

/**
 * A learner as the integration keeps it: the LRM's latest snapshot and where it stands with Xero.
 *
 * @param syncedFingerprint fingerprint of the contact details Xero holds (null until first synced)
 * @param mergedInto        set when the LRM merged this learner into another
 */
public record LearnerRecord(
        String orgId,
        Learner learner,
        SyncState state,
        String contactId,
        String contactName,
        String contactNumber,
        Instant lastSyncedAt,
        String error,
        String syncedFingerprint,
        Instant updatedAt,
        String mergedInto) {

    public String learnerId() {
        return learner.learnerId();
    }
}
