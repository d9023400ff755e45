package org.lrm.xero.app.learner;

import java.time.Instant;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.SyncState;

/**
 * A learner as the integration keeps it: the LRM's latest snapshot and where it stands with Xero.
 *
 * @param syncedFingerprint fingerprint of the contact details Xero holds (null until first synced)
 * @param mergedInto        set when the LRM merged this learner into another
 * @param creatingAs        the ContactNumber of a create sent to Xero for this learner whose answer was not
 *                          recorded (null once linked or refused): Xero may hold the contact, so it is looked for
 *                          before another create
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
        String mergedInto,
        String creatingAs) {

    /** A learner no create is outstanding for. */
    public LearnerRecord(String orgId, Learner learner, SyncState state, String contactId, String contactName,
            String contactNumber, Instant lastSyncedAt, String error, String syncedFingerprint, Instant updatedAt,
            String mergedInto) {
        this(orgId, learner, state, contactId, contactName, contactNumber, lastSyncedAt, error, syncedFingerprint,
                updatedAt, mergedInto, null);
    }

    public String learnerId() {
        return learner.learnerId();
    }
}
