package org.lrm.xero.sandbox;

import org.lrm.xero.sandbox.Identity.App;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Xero's API limits: per app and tenant 5 calls in flight, 60 a minute and the tenant's day limit (rolling windows);
 * per app 10,000 a minute. A refused call answers 429 and does not count; every answer carries the remaining counts.
 */
final class RateLimits {
    static final int MINUTE_LIMIT = 60, CONCURRENT_LIMIT = 5, APP_MINUTE_LIMIT = 10_000;

    /**
     * Xero's pricing tiers since 2 March 2026 and their day limit per organisation: 1,000 on Starter, 5,000 on the
     * others (developer.xero.com/pricing and /faq/pricing-and-policy-updates, as reported by accountingtoday.com).
     * At Xero the tier is the app's; here a tenant has one, so that one sandbox holds organisations of both. The
     * default is CORE: Starter allows 5 connections, fewer than any deployment of the integration serves.
     */
    enum Tier {
        STARTER(1_000), CORE(5_000), PLUS(5_000), ADVANCED(5_000), ENTERPRISE(5_000);

        static final Tier DEFAULT = CORE;
        final int dayLimit;

        Tier(int dayLimit) { this.dayLimit = dayLimit; }
    }

    /** Rolling-window counters, per (app, tenant) and (minute only) per app. */
    static final class Window {
        final ArrayDeque<Instant> minute = new ArrayDeque<>();
        final ArrayDeque<Instant> day = new ArrayDeque<>();
        final AtomicInteger inFlight = new AtomicInteger();

        void prune(Instant now) {
            while (!minute.isEmpty() && !minute.peekFirst().isAfter(now.minusSeconds(60))) minute.pollFirst();
            while (!day.isEmpty() && !day.peekFirst().isAfter(now.minusSeconds(86400))) day.pollFirst();
        }
    }

    /** The work of an admitted call. */
    interface Call { Resp run() throws InterruptedException; }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * Runs an app's call to a tenant within the limits, or answers 429.
     *
     * @param forcedProblem a 429 that fault injection asks for (then nothing else is checked), or null
     */
    Resp admit(App app, Tenant t, Instant now, String forcedProblem, Call call) throws InterruptedException {
        Window w = windows.computeIfAbsent(app.clientId + "|" + t.id, k -> new Window());
        if (forcedProblem != null) {
            Long retryAfter = forcedProblem.equals("minute") ? Long.valueOf(60) : forcedProblem.equals("day") ? Long.valueOf(3600) : null;
            return withHeaders(tooMany(t, forcedProblem, retryAfter), app, w, t, now);
        }
        int inFlight = w.inFlight.incrementAndGet();
        t.stats.maxConcurrency.accumulateAndGet(inFlight, Math::max);
        try {
            Resp refused = countOrRefuse(app, w, t, now, inFlight);
            if (refused != null) return withHeaders(refused, app, w, t, now);
            return withHeaders(call.run(), app, w, t, now);
        } finally {
            w.inFlight.decrementAndGet();
        }
    }

    /** A /connections call names no tenant: it counts against the app's minute only, and is never refused. */
    Resp connectionsCall(App app, Instant now, Resp r) {
        synchronized (app.appMinute) {
            app.appMinute.prune(now);
            app.appMinute.minute.addLast(now);
            r.header("X-AppMinLimit-Remaining", String.valueOf(Math.max(0, APP_MINUTE_LIMIT - app.appMinute.minute.size())));
        }
        return r;
    }

    /** Counts the call in every window it belongs to, or answers the 429 of the first limit it would break. */
    private Resp countOrRefuse(App app, Window w, Tenant t, Instant now, int inFlight) {
        if (inFlight > CONCURRENT_LIMIT) return tooMany(t, "concurrent", null);
        synchronized (app.appMinute) {
            app.appMinute.prune(now);
            if (app.appMinute.minute.size() >= APP_MINUTE_LIMIT)
                return tooMany(t, "appminute", secondsUntil(app.appMinute.minute.peekFirst(), 60, now));
        }
        synchronized (w) {
            w.prune(now);
            if (w.minute.size() >= MINUTE_LIMIT) return tooMany(t, "minute", secondsUntil(w.minute.peekFirst(), 60, now));
            if (w.day.size() >= t.dayLimit) return tooMany(t, "day", secondsUntil(w.day.peekFirst(), 86400, now));
            w.minute.addLast(now);
            w.day.addLast(now);
        }
        synchronized (app.appMinute) { app.appMinute.minute.addLast(now); }
        return null;
    }

    /** 429 with {@code X-Rate-Limit-Problem}, and {@code Retry-After} for the windowed limits (not for {@code concurrent}). */
    private static Resp tooMany(Tenant t, String problem, Long retryAfter) {
        t.stats.rateLimited(problem);
        Resp r = XeroError.tooManyRequests(problem).header("X-Rate-Limit-Problem", problem);
        if (retryAfter != null) r.header("Retry-After", String.valueOf(Math.max(1, retryAfter)));
        return r;
    }

    private static long secondsUntil(Instant oldest, long windowSeconds, Instant now) {
        return Math.max(1, (long) Math.ceil(Duration.between(now, oldest.plusSeconds(windowSeconds)).toMillis() / 1000.0));
    }

    private static Resp withHeaders(Resp r, App app, Window w, Tenant t, Instant now) {
        synchronized (w) {
            w.prune(now);
            r.header("X-MinLimit-Remaining", String.valueOf(Math.max(0, MINUTE_LIMIT - w.minute.size())));
            r.header("X-DayLimit-Remaining", String.valueOf(Math.max(0, t.dayLimit - w.day.size())));
        }
        synchronized (app.appMinute) {
            app.appMinute.prune(now);
            r.header("X-AppMinLimit-Remaining", String.valueOf(Math.max(0, APP_MINUTE_LIMIT - app.appMinute.minute.size())));
        }
        return r;
    }
}
