package org.lrm.xero.app.connection;

import java.util.Optional;

/** Where organisations' Xero tokens live: one secret per organisation, never DynamoDB. */
public interface TokenVault {

    /** The organisation's tokens; empty when it never connected or was disconnected. */
    Optional<VaultEntry> read(String orgId);

    /** Stores the tokens (creating the secret on first use); returns the new version. */
    String write(String orgId, StoredTokens tokens);

    /** Removes the token values (the secret stays, empty, so that connecting again can reuse its name). */
    void erase(String orgId);
}
