package org.lrm.xero.app.fakes;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lrm.xero.app.connection.PendingAuthorization;
import org.lrm.xero.app.connection.PendingAuthorizations;

/** {@link PendingAuthorizations} in memory: each state usable once. */
public final class InMemoryPendingAuthorizations implements PendingAuthorizations {

    private final Map<String, PendingAuthorization> pending = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    @Override
    public void save(PendingAuthorization authorization, Instant keepUntil) {
        pending.put(authorization.stateHash(), authorization);
    }

    @Override
    public Optional<Use> use(String stateHash, Instant at) {
        PendingAuthorization p = pending.get(stateHash);
        return p == null ? Optional.empty() : Optional.of(new Use(p, used.add(stateHash)));
    }

    public Map<String, PendingAuthorization> pending() {
        return Map.copyOf(pending);
    }
}
