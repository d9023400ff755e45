package org.lrm.xero.domain.connection;

import java.time.Duration;
import java.time.Instant;

/**
 * When a token set must be refreshed, by Xero's published lifetimes: access tokens live 30 minutes;
 * a refresh token is single use but the one just used still works for 30 minutes (the grace that
 * lets a refresh whose answer was lost be retried); an unused refresh token dies after 60 days.
 */
public final class TokenTiming {

    /** Refresh this long before the access token expires, so a call never starts with a dying token. */
    public static final Duration REFRESH_MARGIN = Duration.ofMinutes(2);
    /** Xero keeps a used refresh token working this long. */
    public static final Duration REFRESH_GRACE = Duration.ofMinutes(30);
    /** A safety margin inside the grace: a retry this close to its end is not worth the risk. */
    public static final Duration GRACE_MARGIN = Duration.ofMinutes(1);
    /** Connections unused this long are refreshed, half way to Xero's 60-day refresh-token expiry. */
    public static final Duration IDLE_REFRESH_AFTER = Duration.ofDays(30);

    private TokenTiming() {
    }

    /** True when the access token must not be handed out any more. */
    public static boolean needsRefresh(Instant accessExpiresAt, Instant now) {
        return accessExpiresAt == null || !now.isBefore(accessExpiresAt.minus(REFRESH_MARGIN));
    }

    /** True when a refresh token used at {@code usedAt} may still be used again (Xero's grace period). */
    public static boolean withinGrace(Instant usedAt, Instant now) {
        return usedAt != null && now.isBefore(usedAt.plus(REFRESH_GRACE).minus(GRACE_MARGIN));
    }

    /** True when a connection last refreshed at {@code lastRefreshAt} should be refreshed to stay alive. */
    public static boolean idle(Instant lastRefreshAt, Instant now) {
        return lastRefreshAt == null || !now.isBefore(lastRefreshAt.plus(IDLE_REFRESH_AFTER));
    }
}
