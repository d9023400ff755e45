package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lrm.xero.openapi.XeroContract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every exchange on Xero's surface (Accounting API, connections, OAuth) held to Xero's OpenAPI documents by
 * {@link XeroContract}, whoever made it (the integration, a person's token, a test): what does not conform is recorded
 * for {@code GET /sandbox/contract}, with the exchange and the validator's message. The check runs on its own thread
 * after the answer has gone, so it delays no call; a reader of the record waits for the checks still queued.
 */
final class ContractChecks implements AutoCloseable {
    /** Violations kept in full; more are counted. */
    static final int KEPT = 500;

    private final ThreadPoolExecutor checker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
            r -> { Thread t = new Thread(r, "xero-sandbox-contract"); t.setDaemon(true); return t; },
            new ThreadPoolExecutor.CallerRunsPolicy()); // a full queue slows the callers rather than growing without bound
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong violationCount = new AtomicLong();
    private final List<XeroContract.Violation> violations = new ArrayList<>();
    /** Exchanges recorded and not checked yet; readers wait on it. */
    private long unchecked;

    /** Queues the check of one answered exchange (paths that are not Xero's, e.g. /sandbox, are not checked). */
    void record(Request in, Resp out) {
        if (!XeroContract.isXeroPath(in.rawPath())) return;
        Map<String, List<String>> requestHeaders = new HashMap<>();
        in.headers().forEach((k, v) -> requestHeaders.put(k, List.of(v)));
        Map<String, List<String>> responseHeaders = new HashMap<>();
        out.headers.forEach((k, v) -> responseHeaders.put(k, List.of(v)));
        if (out.contentType != null) responseHeaders.put("content-type", List.of(out.contentType));
        XeroContract.Exchange ex = new XeroContract.Exchange(in.method(), in.rawPath(), in.rawQuery(), requestHeaders, in.body(),
                out.status, responseHeaders, out.body);
        synchronized (this) { unchecked++; }
        try {
            checker.execute(() -> check(ex));
        } catch (RejectedExecutionException closed) {
            done(); // the sandbox is closing
        }
    }

    private synchronized void done() {
        unchecked--;
        notifyAll();
    }

    private void check(XeroContract.Exchange ex) {
        try {
            List<XeroContract.Violation> found;
            try {
                found = XeroContract.load().check(ex);
            } catch (RuntimeException e) {
                found = List.of(new XeroContract.Violation(ex.toString(), "sandbox.contract.error", "the check itself failed: " + e));
            }
            checked.incrementAndGet();
            if (found.isEmpty()) return;
            violationCount.addAndGet(found.size());
            synchronized (violations) {
                for (XeroContract.Violation v : found) if (violations.size() < KEPT) violations.add(v);
            }
        } finally {
            done();
        }
    }

    /** GET /sandbox/contract: once the queued checks are done, how many exchanges were checked and what did not conform. */
    ObjectNode report() {
        awaitQueued();
        ObjectNode o = summary();
        ArrayNode list = o.putArray("violations");
        synchronized (violations) {
            for (XeroContract.Violation v : violations) list.addObject().put("exchange", v.exchange()).put("key", v.key()).put("message", v.message());
        }
        return o;
    }

    /** The counts so far, for /sandbox/stats (without waiting for queued checks). */
    ObjectNode summary() {
        long pending;
        synchronized (this) { pending = unchecked; }
        return Json.obj().put("checked", checked.get()).put("violationCount", violationCount.get()).put("pending", pending);
    }

    /** DELETE /sandbox/contract: forget what was found (e.g. after a test that sends a wrong request on purpose). */
    void clear() {
        awaitQueued();
        synchronized (violations) { violations.clear(); }
        violationCount.set(0);
    }

    private synchronized void awaitQueued() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try {
            while (unchecked > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) throw new IllegalStateException(unchecked + " contract checks did not finish in 5 minutes");
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() { checker.shutdownNow(); }
}
