package org.lrm.xero.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Xero's {@code Idempotency-Key} on PUT and POST: the same key from the same caller on the same method and path within
 * 24 hours replays the first answer without doing the work again. 5xx answers are not remembered. Callers hold no
 * lock; this class takes the tenant's.
 */
final class Idempotency {
    static final int MAX_KEY_LENGTH = 128;
    static final Duration WINDOW = Duration.ofHours(24);

    record Remembered(Instant at, Resp resp) {}

    private final SandboxClock clock;

    Idempotency(SandboxClock clock) { this.clock = clock; }

    /**
     * What a replay of this request is remembered by, or null (no key, or a GET). A key longer than Xero allows is a
     * 400 even on a GET.
     */
    static String scope(Request in, String caller) {
        String key = in.header("idempotency-key");
        if (key != null && key.length() > MAX_KEY_LENGTH) throw XeroError.badRequest("The Idempotency-Key header must be 128 characters or fewer.");
        if (key == null || in.isGet()) return null;
        return caller + " " + in.method() + " " + in.rawPath().toLowerCase(Locale.ROOT) + " " + key;
    }

    /** A copy of the answer remembered within the window, or null. */
    Resp replay(Tenant t, String scope) {
        synchronized (t) {
            Remembered prior = t.idempotency.get(scope);
            return prior != null && clock.now().isBefore(prior.at().plus(WINDOW)) ? prior.resp().copy() : null;
        }
    }

    void remember(Tenant t, String scope, Resp r) {
        if (r.status >= 500) return;
        synchronized (t) { t.idempotency.put(scope, new Remembered(clock.now(), r.copy())); }
    }
}
