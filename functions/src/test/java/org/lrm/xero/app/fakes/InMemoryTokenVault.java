package org.lrm.xero.app.fakes;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.lrm.xero.app.connection.StoredTokens;
import org.lrm.xero.app.connection.TokenVault;
import org.lrm.xero.app.connection.VaultEntry;

/** {@link TokenVault} in memory: each write a new version, an erased organisation has no tokens. */
public final class InMemoryTokenVault implements TokenVault {

    private final Map<String, VaultEntry> entries = new HashMap<>();
    private int versions;

    @Override
    public Optional<VaultEntry> read(String orgId) {
        return Optional.ofNullable(entries.get(orgId));
    }

    @Override
    public String write(String orgId, StoredTokens tokens) {
        String version = "v" + (++versions);
        entries.put(orgId, new VaultEntry(tokens, version));
        return version;
    }

    @Override
    public void erase(String orgId) {
        entries.remove(orgId);
    }
}
