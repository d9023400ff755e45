package org.lrm.xero.app.connection;


/**
 * How a Lambda waits between two looks at something another instance is doing (a token refresh).
 * Injected so that tests poll without sleeping.
 */
@FunctionalInterface
public interface Waiter {

    /** Waits before poll number {@code attempt} (0, 1, 2, ...). */
    void pause(int attempt);

    /** Exponential back-off from 25 ms up to 500 ms. */
    static Waiter backoff() {
        return attempt -> {
            long millis = Math.min(500, 25L << Math.min(attempt, 5));
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TokenRefreshFailed(null, "interrupted while waiting for a token refresh");
            }
        };
    }
}
