package org.lrm.xero.app.connection;

import java.time.Instant;

/**
 * Who may change an organisation's tokens now (refresh, connect, disconnect), until when: {@code holder}
 * is the random token of the acquisition that holds it. An expired lease is free to take.
 */
public record TokenLease(String holder, Instant expiresAt) {
}
