package org.lrm.xero.app.connection;

import java.time.Instant;

/** Who may refresh an organisation's tokens now, until when. An expired lease is free to take. */
public record TokenLease(String holder, Instant expiresAt) {
}
