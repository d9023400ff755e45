package org.lrm.xero.app.connection;

import java.time.Instant;
import java.util.Optional;

/** Connects in progress, keyed by the hash of their state; each can be used once. */
public interface PendingAuthorizations {

    /** Keeps it until {@code keepUntil} (well past its expiry, so a late or repeated callback still finds where to go back). */
    void save(PendingAuthorization pending, Instant keepUntil);

    /**
     * Marks the state used, atomically. Empty when no such state is known; {@code firstUse} false when
     * it had been used before.
     */
    Optional<Use> use(String stateHash, Instant at);

    record Use(PendingAuthorization pending, boolean firstUse) {
    }
}
