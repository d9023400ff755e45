package org.lrm.xero.domain.learner;

/**
 * When a learner costs a Xero call. Only changes reach Xero: a learner whose Xero-relevant fields
 * are what Xero already holds costs nothing, whoever asks. The sync is one way, so unticking
 * "Sync to Xero" only stops future syncs; the contact stays in Xero.
 */
public final class SyncRules {

    private SyncRules() {
    }

    /**
     * Whether saving this learner owes Xero a sync.
     *
     * @param syncedFingerprint the fingerprint Xero holds (null: never synced)
     * @param state             the learner's state before this save (null: new learner)
     */
    public static boolean syncOwed(Learner learner, String syncedFingerprint, SyncState state) {
        if (!learner.syncToXero()) {
            return false;
        }
        // A failed or still-pending sync stays owed: saving again is how staff retry.
        if (state == SyncState.FAILED || state == SyncState.PENDING) {
            return true;
        }
        return !ContactDetails.of(learner).fingerprint().equals(syncedFingerprint);
    }

    /** Whether the worker must call Xero for a learner it was asked to sync. */
    public static boolean pushNeeded(Learner learner, String syncedFingerprint, String contactId, boolean forced) {
        if (!learner.syncToXero()) {
            return false;
        }
        if (forced || contactId == null) {
            return true;
        }
        return !ContactDetails.of(learner).fingerprint().equals(syncedFingerprint);
    }

    /** The state a learner shows after a save that owes no sync: linked or not. */
    public static SyncState stateWithoutSync(String contactId) {
        return contactId != null ? SyncState.SYNCED : SyncState.NOT_SYNCED;
    }
}
