package org.lrm.xero.adapter.xero;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of one Xero call. Callers switch over the cases; nothing is thrown for anything Xero
 * can answer, and no case ever carries a token or secret.
 */
public sealed interface XeroResult<T> {

    /** Success, with the remaining-call counters of that response. */
    record Ok<T>(T value, RateHeaders rate) implements XeroResult<T> {
    }

    /**
     * 429. {@code problem} is Xero's {@code X-Rate-Limit-Problem}: minute, day, concurrent or appminute
     * (lower case; null if absent). {@code retryAfter} from {@code Retry-After}, null when absent.
     */
    record RateLimited<T>(String problem, Duration retryAfter, RateHeaders rate) implements XeroResult<T> {
    }

    /** 400 (ValidationException and other request errors) with Xero's messages as Xero wrote them. */
    record ValidationFailed<T>(List<String> messages, RateHeaders rate) implements XeroResult<T> {
        public ValidationFailed {
            messages = List.copyOf(messages);
        }
    }

    /** 401: the access token is expired or invalid. */
    record Unauthorized<T>(String detail) implements XeroResult<T> {
    }

    /**
     * 403: the connection is gone or the tenant is not connected ({@code AuthenticationUnsuccessful}), or the
     * grant lacks the scope of {@code endpoint} ({@code AuthorizationUnsuccessful}).
     */
    record Forbidden<T>(String endpoint, String detail) implements XeroResult<T> {

        /** Xero's answer when the grant lacks the scope of the resource asked for. */
        static final String SCOPE_MISSING = "AuthorizationUnsuccessful";

        /** The grant lacks a scope; the connection itself is fine. */
        public boolean scopeMissing() {
            return detail != null && detail.contains(SCOPE_MISSING);
        }
    }

    /** 404: {@code what} names the endpoint that had nothing there. */
    record NotFound<T>(String what) implements XeroResult<T> {
    }

    /** 5xx, timeouts and I/O errors: worth retrying later. */
    record Transient<T>(String detail) implements XeroResult<T> {
    }

    /** A response this client cannot make sense of (unparseable body, unexpected status). */
    record UnexpectedResponse<T>(String endpoint, int status, String detail) implements XeroResult<T> {
    }

    /** An OAuth error from Xero's identity service, e.g. {@code invalid_grant}. */
    record IdentityError<T>(String error, String description) implements XeroResult<T> {
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value of an {@link Ok}; otherwise an {@link IllegalStateException} naming this outcome. */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("Xero call did not succeed: " + this);
    }

    /** Maps the value of an {@link Ok}; every other outcome passes through unchanged. */
    @SuppressWarnings("unchecked")
    default <U> XeroResult<U> map(Function<? super T, ? extends U> f) {
        Objects.requireNonNull(f);
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()), ok.rate());
        }
        return (XeroResult<U>) this;
    }
}
