package org.lrm.xero.app.xero;

import org.lrm.xero.domain.rate.Remaining;

/**
 * What Xero's identity service (tokens, connections) answered. No case ever carries a token or a
 * secret in its text: each may be logged.
 */
public sealed interface IdentityAnswer<T> {

    /** Done; {@code remaining} are Xero's call counters when it sent them. */
    record Ok<T>(T value, Remaining remaining) implements IdentityAnswer<T> {
    }

    /** An OAuth error, e.g. {@code invalid_grant} for a refresh token Xero no longer honours. */
    record Refused<T>(String error, String description) implements IdentityAnswer<T> {
    }

    /** No answer (timeout, I/O error) or Xero's own failure (5xx): asking again later may work. */
    record Unanswered<T>(String detail) implements IdentityAnswer<T> {
    }

    /** Any other answer. */
    record Failed<T>(String detail) implements IdentityAnswer<T> {
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** Xero no longer honours the refresh token (revoked, rotated away, or unused for 60 days). */
    default boolean invalidGrant() {
        return this instanceof Refused<T> refused && "invalid_grant".equals(refused.error());
    }
}
