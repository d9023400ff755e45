package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Fault injection (PUT /sandbox/faults): the settings in force, and what they do to an app's API call and to webhooks. */
final class Faults {
    /** One set of fault knobs, as PUT /sandbox/faults sent them; replaced whole by the next PUT. */
    static final class Settings {
        final double errorRate, timeoutRate, dropWebhookRate, duplicateWebhookRate;
        final long latencyMs;
        /** Deterministic counterparts of the rates: every n-th API call (0: never), whatever the order of calls. */
        final long errorEvery, timeoutEvery;
        /** Every n-th API call refused with a 400 ValidationException: a refusal that asking again does not change. */
        final long validationErrorEvery;
        final AtomicLong calls = new AtomicLong();
        /**
         * The resources ({@code Invoices}, {@code Contacts}, as the path names them) whose calls the every-n-th knobs and
         * the rates pick from; empty: every resource's. A test can so refuse one kind of work whatever else runs.
         */
        final java.util.Set<String> faultsOn;
        final boolean reorderWebhooks;
        final String rateLimitProblem;
        final AtomicLong rateLimitCount;
        final Random random;
        final ObjectNode raw;
        /** Until then (sandbox clock) Xero is down: every call on Xero's surface answers 503, the token endpoint too. */
        final java.time.Instant outageUntil;

        Settings(JsonNode n) {
            raw = n.deepCopy() instanceof ObjectNode o ? o : Json.obj();
            errorRate = n.path("errorRate").asDouble(0);
            timeoutRate = n.path("timeoutRate").asDouble(0);
            dropWebhookRate = n.path("dropWebhookRate").asDouble(0);
            duplicateWebhookRate = n.path("duplicateWebhookRate").asDouble(0);
            latencyMs = n.path("latencyMs").asLong(0);
            errorEvery = n.path("errorEvery").asLong(0);
            timeoutEvery = n.path("timeoutEvery").asLong(0);
            validationErrorEvery = n.path("validationErrorEvery").asLong(0);
            reorderWebhooks = n.path("reorderWebhooks").asBoolean(false);
            rateLimitProblem = n.hasNonNull("rateLimitProblem") ? n.get("rateLimitProblem").asText() : null;
            rateLimitCount = new AtomicLong(n.hasNonNull("rateLimitCount") ? n.get("rateLimitCount").asLong() : Long.MAX_VALUE);
            random = n.hasNonNull("seed") ? new Random(n.get("seed").asLong()) : new Random();
            outageUntil = n.hasNonNull("outageUntil") ? java.time.Instant.parse(n.get("outageUntil").asText()) : null;
            java.util.Set<String> on = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            n.path("faultsOn").forEach(r -> on.add(r.asText()));
            faultsOn = on;
        }

        /** Whether the knobs pick from calls on {@code resource}. */
        boolean appliesTo(String resource) { return faultsOn.isEmpty() || faultsOn.contains(resource); }

        /** Whether Xero is down at {@code now} ({@code outageUntil}). */
        boolean outageAt(java.time.Instant now) { return outageUntil != null && now.isBefore(outageUntil); }

        synchronized double next() { return random.nextDouble(); }

        /** The 429 problem this call is to get ({@code rateLimitProblem}, while {@code rateLimitCount} lasts), or null. */
        String takeForcedRateLimit() {
            return rateLimitProblem != null && rateLimitCount.getAndDecrement() > 0 ? rateLimitProblem : null;
        }

        /** Whether this API call is one an every-n-th knob picks. */
        private static boolean nth(long every, long call) { return every > 0 && call % every == 0; }
    }

    private volatile Settings settings = new Settings(Json.obj());
    /** A held ("timeout") call ends early when the sandbox closes. */
    private final CountDownLatch closed;

    Faults(CountDownLatch closed) { this.closed = closed; }

    Settings current() { return settings; }

    void replace(JsonNode n) { settings = new Settings(n); }

    /** The knobs webhook delivery reads, from the settings in force. */
    Webhooks.Faults forWebhooks() {
        Settings f = settings;
        return new Webhooks.Faults(f.dropWebhookRate, f.duplicateWebhookRate, f.reorderWebhooks, f.random);
    }

    /**
     * What the settings do to an app's call that passed the limits: a 400 or a 500/503 before any work, a 504 after
     * holding the call up to 30 s, or (null) go on after the configured latency. {@code resource}: the path's first
     * segment, as {@code faultsOn} names it.
     */
    Resp inject(Settings f, Tenant t, String resource) throws InterruptedException {
        if (!f.appliesTo(resource)) {
            if (f.latencyMs > 0) Thread.sleep(f.latencyMs);
            return null;
        }
        long call = f.calls.incrementAndGet();
        if (Settings.nth(f.validationErrorEvery, call)) {
            t.stats.faultInjected("validation");
            return XeroError.validation(null, "Refused by the sandbox's validationErrorEvery fault.").resp;
        }
        if (Settings.nth(f.errorEvery, call) || f.errorRate > 0 && f.next() < f.errorRate) {
            t.stats.faultInjected("error");
            return XeroError.outage(f.next() < 0.5);
        }
        if (Settings.nth(f.timeoutEvery, call) || f.timeoutRate > 0 && f.next() < f.timeoutRate) {
            t.stats.faultInjected("timeout");
            closed.await(30, TimeUnit.SECONDS);
            return XeroError.gatewayTimeout();
        }
        if (f.latencyMs > 0) Thread.sleep(f.latencyMs);
        return null;
    }
}
