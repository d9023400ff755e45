package org.lrm.xero.sandbox;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A tenant's counters for GET /sandbox/stats. */
final class Stats {
    final AtomicLong appCalls = new AtomicLong();
    /** e.g. {@code "GET /Invoices/{id}"}. */
    final Map<String, AtomicLong> appCallsByEndpoint = new ConcurrentHashMap<>();
    final AtomicLong userCalls = new AtomicLong();
    final Map<String, AtomicLong> rateLimited = new ConcurrentHashMap<>();
    /** 5xx answers and timeouts the fault knobs caused, by kind ("error", "timeout"). */
    final Map<String, AtomicLong> faultsInjected = new ConcurrentHashMap<>();
    final AtomicInteger maxConcurrency = new AtomicInteger();
    /** Epoch second of the minute's start -> app calls in it. */
    final Map<Long, AtomicLong> callsPerMinute = new ConcurrentHashMap<>();
    final AtomicLong webhookEventsQueued = new AtomicLong();

    /** An app call that passed the limits. */
    void appCall(String endpoint, Instant now) {
        appCalls.incrementAndGet();
        appCallsByEndpoint.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
        callsPerMinute.computeIfAbsent(now.getEpochSecond() / 60 * 60, k -> new AtomicLong()).incrementAndGet();
    }

    void rateLimited(String problem) { rateLimited.computeIfAbsent(problem, k -> new AtomicLong()).incrementAndGet(); }

    void faultInjected(String kind) { faultsInjected.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet(); }
}
