package org.lrm.xero.app.connection;

import java.time.Instant;
import java.util.Optional;

/** Connects in progress, keyed by the hash of their state; each can be used once. */
public interface PendingAuthorizations {

    /**
     * Keeps it until {@code removeAt}, a few minutes past its expiry: then it is gone with its PKCE
     * verifier, and reads refuse it even while the store has not removed it yet.
     */
    void save(PendingAuthorization pending, Instant removeAt);

    /**
     * Marks the state used, atomically, and drops its PKCE verifier for good. Empty when no such state
     * is known or it is past its removal time; {@code firstUse} false when it had been used before.
     */
    Optional<Use> use(String stateHash, Instant at);

    record Use(PendingAuthorization pending, boolean firstUse) {
    }
}
