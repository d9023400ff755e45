package org.lrm.xero.app.fakes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.app.connection.StoredTokens;
import org.lrm.xero.app.connection.TokenVault;
import org.lrm.xero.app.connection.VaultEntry;

/**
 * {@link TokenVault} in memory: each write a new version, an erased organisation has no tokens, refresh
 * tokens waiting for revocation kept apart.
 */
public final class InMemoryTokenVault implements TokenVault {

    private final Map<String, VaultEntry> entries = new HashMap<>();
    private final Map<String, List<String>> awaitingRevocation = new HashMap<>();

    /** Writes under a new version and returns it (for a test that stores tokens by hand). */
    public synchronized String write(String orgId, StoredTokens tokens) {
        String version = TokenVault.newVersion();
        write(orgId, version, tokens);
        return version;
    }

    @Override
    public synchronized Optional<VaultEntry> read(String orgId) {
        return Optional.ofNullable(entries.get(orgId));
    }

    @Override
    public synchronized void write(String orgId, String version, StoredTokens tokens) {
        entries.put(orgId, new VaultEntry(tokens, version));
    }

    @Override
    public synchronized void erase(String orgId) {
        entries.remove(orgId);
    }

    @Override
    public synchronized void awaitRevocation(String orgId, String refreshToken) {
        List<String> waiting = awaitingRevocation.computeIfAbsent(orgId, o -> new ArrayList<>());
        if (!waiting.contains(refreshToken)) {
            waiting.add(refreshToken);
        }
    }

    @Override
    public synchronized List<String> awaitingRevocation(String orgId) {
        return List.copyOf(awaitingRevocation.getOrDefault(orgId, List.of()));
    }

    @Override
    public synchronized void revoked(String orgId, Collection<String> refreshTokens) {
        List<String> waiting = awaitingRevocation.get(orgId);
        if (waiting != null) {
            waiting.removeAll(refreshTokens);
        }
    }
}
