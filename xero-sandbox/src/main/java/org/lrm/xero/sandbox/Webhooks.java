package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lrm.xero.sandbox.Identity.App;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Webhook delivery as Xero runs it: Intent to Receive, signed batched deliveries, retries with back-off, 24 h disable. */
final class Webhooks {
    static final Duration GIVE_UP = Duration.ofHours(24);

    enum Itr { NOT_CONFIGURED, PENDING, PASSED, FAILED }

    static final class Delivery {
        final List<ObjectNode> events;
        final Instant firstAttempt;
        Instant nextAttempt;
        int attempts;
        Delivery(List<ObjectNode> events, Instant first) { this.events = events; this.firstAttempt = first; this.nextAttempt = first; }
    }

    static final class State {
        Itr itr = Itr.NOT_CONFIGURED;
        String itrDetail;
        int sequence;
        final List<ObjectNode> pending = new ArrayList<>();
        final List<Delivery> retrying = new ArrayList<>();
        boolean disabled;
        long deliveriesSent, deliveriesFailed, eventsDelivered, eventsDropped, eventsDuplicated;
    }

    private final SandboxClock clock;
    private final Identity identity;
    private final Supplier<Faults> faults;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random entropy = new Random();
    /** When the background deliverer last retried each app's failed Intent to Receive (System.nanoTime). */
    private final Map<String, Long> lastItrTry = new ConcurrentHashMap<>();

    Webhooks(SandboxClock clock, Identity identity, Supplier<Faults> faults) { this.clock = clock; this.identity = identity; this.faults = faults; }

    /** The per-delivery fault knobs. */
    record Faults(double dropRate, double duplicateRate, boolean reorder, Random random) {}

    static String sign(byte[] body, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) { throw new IllegalStateException(e); }
    }

    /** The event categories an app can subscribe its webhook to, as {@code xero-webhooks.yaml} lists them. */
    static final Set<String> CATEGORIES = Set.of("CONTACT", "INVOICE", "CREDITNOTE", "SUBSCRIPTION");

    /**
     * A change in a tenant: one event queued for every app connected to it whose webhook is subscribed to the
     * category ("You will only retrieve events from categories that your webhook is subscribed to",
     * {@code xero-webhooks.yaml}).
     */
    void emit(Tenant t, String category, String type, String resource, String id, ObjectNode data) {
        for (App app : identity.apps.values()) {
            boolean connected;
            synchronized (app) { connected = app.connections.containsKey(t.id); }
            if (!connected || app.webhookUrl == null || !app.webhookCategories.contains(category)) continue;
            ObjectNode e = Json.obj();
            e.put("resourceUrl", "https://api.xero.com/api.xro/2.0/" + resource + "/" + id);
            e.put("resourceId", id);
            e.put("tenantId", t.id);
            e.put("tenantType", "ORGANISATION");
            e.put("eventCategory", category);
            e.put("eventType", type);
            e.put("eventDateUtc", XeroDates.eventDate(clock.now()));
            if (data != null) e.set("data", data);
            synchronized (app.webhooks) { e.put("_seq", ++app.webhooks.sequence); }
            enqueue(app, e);
            t.stats.webhookEventsQueued.incrementAndGet();
        }
    }

    private void enqueue(App app, ObjectNode event) {
        synchronized (app.webhooks) {
            if (app.webhookUrl == null || app.webhooks.disabled) return;
            app.webhooks.pending.add(event);
        }
    }

    /** Intent to Receive: one correctly and one incorrectly signed empty delivery, expecting 200 and 401. */
    private void intentToReceive(App app) {
        String url = app.webhookUrl, key = app.webhookKey;
        if (url == null) { synchronized (app.webhooks) { app.webhooks.itr = Itr.NOT_CONFIGURED; } return; }
        ObjectNode p = Json.obj();
        p.putArray("events");
        p.put("firstEventSequence", 0);
        p.put("lastEventSequence", 0);
        p.put("entropy", entropy());
        byte[] body = Json.write(p).getBytes(StandardCharsets.UTF_8);
        int good = post(url, body, sign(body, key));
        String wrong = sign(body, key + "-not-the-key");
        int bad = post(url, body, wrong);
        synchronized (app.webhooks) {
            app.webhooks.itr = good == 200 && bad == 401 ? Itr.PASSED : Itr.FAILED;
            app.webhooks.itrDetail = "correctly signed -> " + good + ", incorrectly signed -> " + bad;
            if (app.webhooks.itr == Itr.PASSED) app.webhooks.disabled = false;
        }
    }

    private String entropy() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) b.append((char) ('A' + entropy.nextInt(26)));
        return b.toString();
    }

    private int post(String url, byte[] body, String signature) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("x-xero-signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Every half second: each app's due deliveries; a failed Intent to Receive is retried every 10 s. */
    void deliverInBackground() {
        try {
            long nowNanos = System.nanoTime();
            for (App app : identity.apps.values()) {
                Long last = lastItrTry.get(app.clientId);
                boolean retryItr = last == null || nowNanos - last > TimeUnit.SECONDS.toNanos(10);
                if (retryItr) lastItrTry.put(app.clientId, nowNanos);
                deliver(app, retryItr);
            }
        } catch (Throwable ignored) {
            // keep the deliverer alive
        }
    }

    /** POST /sandbox/webhooks/flush: every app's pending and due deliveries now (re-running a failed Intent to Receive first). */
    void deliverAllNow() {
        for (App app : identity.apps.values()) deliver(app, true);
    }

    /** An app's webhook was (re-)registered: Intent to Receive runs again at once; a new URL lifts a disablement. */
    void reconfigured(App app, String previousUrl) {
        synchronized (app.webhooks) {
            app.webhooks.itr = app.webhookUrl == null ? Itr.NOT_CONFIGURED : Itr.PENDING;
            if (previousUrl == null || !previousUrl.equals(app.webhookUrl)) app.webhooks.disabled = false;
        }
        if (app.webhookUrl != null) synchronized (app.deliveryLock) { intentToReceive(app); }
    }

    /** Delivers what is pending and what is due for retry (by the sandbox clock). One caller at a time per app. */
    private void deliver(App app, boolean retryItr) {
        synchronized (app.deliveryLock) { // serialises deliverers for this app (background thread and flush)
            Itr itr;
            synchronized (app.webhooks) { itr = app.webhooks.itr; }
            if (app.webhookUrl == null) return;
            if (itr != Itr.PASSED) {
                if (!retryItr) return;
                intentToReceive(app);
                synchronized (app.webhooks) { if (app.webhooks.itr != Itr.PASSED) return; }
            }
            Instant now = clock.now();
            List<Delivery> due = new ArrayList<>();
            Faults f = faults.get();
            synchronized (app.webhooks) {
                State s = app.webhooks;
                if (s.disabled) return;
                for (var it = s.retrying.iterator(); it.hasNext(); ) {
                    Delivery d = it.next();
                    if (!d.nextAttempt.isAfter(now)) { due.add(d); it.remove(); }
                }
                if (!s.pending.isEmpty()) {
                    List<ObjectNode> batch = new ArrayList<>();
                    for (ObjectNode e : s.pending) {
                        if (f.random().nextDouble() < f.dropRate()) { s.eventsDropped++; continue; }
                        batch.add(e);
                        if (f.random().nextDouble() < f.duplicateRate()) { batch.add(e.deepCopy()); s.eventsDuplicated++; }
                    }
                    s.pending.clear();
                    if (f.reorder()) Collections.shuffle(batch, f.random());
                    if (!batch.isEmpty()) due.add(new Delivery(batch, now));
                }
            }
            for (Delivery d : due) send(app, d, now);
        }
    }

    private void send(App app, Delivery d, Instant now) {
        ObjectNode p = Json.obj();
        ArrayNode events = p.putArray("events");
        int first = Integer.MAX_VALUE, last = 0;
        for (ObjectNode e : d.events) {
            int seq = e.path("_seq").asInt();
            ObjectNode copy = e.deepCopy();
            copy.remove("_seq");
            events.add(copy);
            first = Math.min(first, seq);
            last = Math.max(last, seq);
        }
        p.put("firstEventSequence", first);
        p.put("lastEventSequence", last);
        p.put("entropy", entropy());
        byte[] body = Json.write(p).getBytes(StandardCharsets.UTF_8);
        int status = post(app.webhookUrl, body, sign(body, app.webhookKey));
        synchronized (app.webhooks) {
            State s = app.webhooks;
            d.attempts++;
            if (status == 200) {
                s.deliveriesSent++;
                s.eventsDelivered += d.events.size();
            } else {
                s.deliveriesFailed++;
                if (!now.isBefore(d.firstAttempt.plus(GIVE_UP))) {
                    s.disabled = true; // Xero disables a webhook after 24 hours of failed deliveries
                    s.itr = Itr.FAILED;
                    s.itrDetail = "disabled after 24 hours of failed deliveries";
                } else {
                    long backoff = Math.min(3600, 60L << Math.min(6, d.attempts - 1)); // 1, 2, 4 ... minutes, at most an hour
                    d.nextAttempt = now.plusSeconds(backoff);
                    s.retrying.add(d);
                }
            }
        }
    }
}
