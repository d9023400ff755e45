package org.lrm.xero.domain.learner;

/** Where a learner stands with Xero, as the LRM shows it. */
public enum SyncState {
    /** A sync is owed and queued. */
    PENDING,
    /** Xero holds the learner's current details. */
    SYNCED,
    /** Xero refused the learner; the error says why and what to do. */
    FAILED,
    /** Never synced: Sync to Xero is off. */
    NOT_SYNCED
}
