package org.lrm.xero.app.connection;

/** Tokens read from the vault with the version they were stored as (changes on every write). */
public record VaultEntry(StoredTokens tokens, String version) {
}
