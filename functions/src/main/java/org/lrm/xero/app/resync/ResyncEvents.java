package org.lrm.xero.app.resync;

/** Tells the LRM a re-sync ended (it notifies staff). */
public interface ResyncEvents {

    /** Publishes {@code ResyncCompleted} for the ended job; throws when it could not. */
    void completed(ResyncJob job);
}
