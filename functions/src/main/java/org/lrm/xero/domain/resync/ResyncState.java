package org.lrm.xero.domain.resync;

/** Where a re-sync job is. */
public enum ResyncState {
    QUEUED, RUNNING, WAITING_FOR_XERO_LIMIT, DONE, FAILED;

    public boolean finished() {
        return this == DONE || this == FAILED;
    }
}
