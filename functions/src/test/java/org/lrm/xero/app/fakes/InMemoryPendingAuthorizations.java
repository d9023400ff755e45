package org.lrm.xero.app.fakes;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lrm.xero.app.connection.PendingAuthorization;
import org.lrm.xero.app.connection.PendingAuthorizations;

/** {@link PendingAuthorizations} in memory: each state usable once, gone (verifier and all) at its removal time. */
public final class InMemoryPendingAuthorizations implements PendingAuthorizations {

    private final Map<String, PendingAuthorization> pending = new HashMap<>();
    private final Map<String, Instant> removeAt = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    @Override
    public void save(PendingAuthorization authorization, Instant removeAt) {
        pending.put(authorization.stateHash(), authorization);
        this.removeAt.put(authorization.stateHash(), removeAt);
    }

    @Override
    public Optional<Use> use(String stateHash, Instant at) {
        PendingAuthorization p = pending.get(stateHash);
        if (p == null || !at.isBefore(removeAt.get(stateHash))) {
            return Optional.empty();
        }
        return Optional.of(new Use(p, used.add(stateHash)));
    }

    public Map<String, PendingAuthorization> pending() {
        return Map.copyOf(pending);
    }

    /** When a state is removed (with its PKCE verifier). */
    public Instant removeAt(String stateHash) {
        return removeAt.get(stateHash);
    }
}
