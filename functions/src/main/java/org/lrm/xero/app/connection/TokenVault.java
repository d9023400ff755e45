package org.lrm.xero.app.connection;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where organisations' Xero tokens live: one secret per organisation, never DynamoDB. Refresh tokens
 * Xero has not yet confirmed revoked are kept apart from the organisation's tokens (a new connect may
 * replace those meanwhile) until it does.
 */
public interface TokenVault {

    /** A new version id, chosen before the write so that the connection item can name it first. */
    static String newVersion() {
        return UUID.randomUUID().toString();
    }

    /** The organisation's tokens; empty when it never connected or was disconnected. */
    Optional<VaultEntry> read(String orgId);

    /** Stores the tokens as {@code version} (from {@link #newVersion()}), creating the secret on first use. */
    void write(String orgId, String version, StoredTokens tokens);

    /**
     * Removes the token values so that no version of the secret still reachable by a label holds them
     * (the secret stays, empty, so that connecting again can reuse its name).
     */
    void erase(String orgId);

    /** Keeps a refresh token for revocation until {@link #revoked} says Xero confirmed it. */
    void awaitRevocation(String orgId, String refreshToken);

    /** The organisation's refresh tokens waiting for Xero to confirm their revocation. */
    List<String> awaitingRevocation(String orgId);

    /** Xero confirmed these revoked: they are forgotten (as {@link #erase} forgets tokens). */
    void revoked(String orgId, Collection<String> refreshTokens);
}
