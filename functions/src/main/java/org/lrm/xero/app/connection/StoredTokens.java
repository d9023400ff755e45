package org.lrm.xero.app.connection;

import java.time.Instant;

/**
 * An organisation's Xero token set as the vault keeps it. {@code previousRefreshToken} is the refresh
 * token the current one replaced, kept while Xero's grace lets it be used again (if the current one
 * turns out not to be the one Xero holds, e.g. two answers to one rotation). Never printed.
 */
public record StoredTokens(String accessToken, String refreshToken, Instant accessExpiresAt,
        String previousRefreshToken, Instant previousUsedAt) {

    @Override
    public String toString() {
        return "StoredTokens[accessToken=***, refreshToken=***, accessExpiresAt=" + accessExpiresAt
                + ", previousRefreshToken=" + (previousRefreshToken == null ? "none" : "***") + ", previousUsedAt="
                + previousUsedAt + "]";
    }
}
