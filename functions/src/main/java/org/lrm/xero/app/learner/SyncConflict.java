package org.lrm.xero.app.learner;

/** Manual Sync asked for when it cannot run: the organisation is not connected, or the learner's sync is off. */
public final class SyncConflict extends RuntimeException {

    public enum Reason { NOT_CONNECTED, SYNC_OFF, MERGED }

    private final Reason reason;

    public SyncConflict(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
