package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.lrm.xero.sandbox.Identity.Access;
import org.lrm.xero.sandbox.Identity.App;
import org.lrm.xero.sandbox.Model.Idem;
import org.lrm.xero.sandbox.Model.Resp;
import org.lrm.xero.sandbox.Model.SandboxClock;
import org.lrm.xero.sandbox.Model.Tenant;
import org.lrm.xero.sandbox.Model.Window;
import org.lrm.xero.sandbox.Model.XeroError;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stateful stand-in for Xero on loopback: identity (login.xero.com and identity.xero.com), connections
 * (api.xero.com/connections) and the Accounting API (api.xero.com/api.xro/2.0), plus a {@code /sandbox} admin surface.
 */
public final class XeroSandbox implements AutoCloseable {
    static final int MINUTE_LIMIT = 60, CONCURRENT_LIMIT = 5, APP_MINUTE_LIMIT = 10_000, DEFAULT_DAY_LIMIT = 5_000;

    private final HttpServer server;
    private final ExecutorService pool;
    private final ScheduledExecutorService background;
    private final CountDownLatch closed = new CountDownLatch(1);
    final SandboxClock clock = new SandboxClock();
    final Identity identity = new Identity(clock);
    final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Webhooks webhooks;
    private final Accounting accounting;
    private volatile FaultConfig faults = new FaultConfig(J.obj());
    private final Map<String, Long> lastItrTry = new ConcurrentHashMap<>();

    /** Fault injection settings (PUT /sandbox/faults). */
    static final class FaultConfig {
        final double errorRate, timeoutRate, dropWebhookRate, duplicateWebhookRate;
        final long latencyMs;
        /** Deterministic counterparts of the rates: every n-th API call (0: never), whatever the order of calls. */
        final long errorEvery, timeoutEvery;
        final AtomicLong calls = new AtomicLong();
        final boolean reorderWebhooks;
        final String rateLimitProblem;
        final AtomicLong rateLimitCount;
        final Random random;
        final ObjectNode raw;

        FaultConfig(JsonNode n) {
            raw = n.deepCopy() instanceof ObjectNode o ? o : J.obj();
            errorRate = n.path("errorRate").asDouble(0);
            timeoutRate = n.path("timeoutRate").asDouble(0);
            dropWebhookRate = n.path("dropWebhookRate").asDouble(0);
            duplicateWebhookRate = n.path("duplicateWebhookRate").asDouble(0);
            latencyMs = n.path("latencyMs").asLong(0);
            errorEvery = n.path("errorEvery").asLong(0);
            timeoutEvery = n.path("timeoutEvery").asLong(0);
            reorderWebhooks = n.path("reorderWebhooks").asBoolean(false);
            rateLimitProblem = n.hasNonNull("rateLimitProblem") ? n.get("rateLimitProblem").asText() : null;
            rateLimitCount = new AtomicLong(n.hasNonNull("rateLimitCount") ? n.get("rateLimitCount").asLong() : Long.MAX_VALUE);
            random = n.hasNonNull("seed") ? new Random(n.get("seed").asLong()) : new Random();
        }

        synchronized double next() { return random.nextDouble(); }

        /** Whether this API call is one an every-n-th knob picks. */
        static boolean nth(long every, long call) { return every > 0 && call % every == 0; }
    }

    private XeroSandbox(int port) throws IOException {
        webhooks = new Webhooks(clock, () -> {
            FaultConfig f = faults;
            return new Webhooks.Faults(f.dropWebhookRate, f.duplicateWebhookRate, f.reorderWebhooks, f.random);
        });
        accounting = new Accounting(clock, this::emit);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        pool = Executors.newFixedThreadPool(64, r -> { Thread t = new Thread(r, "xero-sandbox-http"); t.setDaemon(true); return t; });
        server.setExecutor(pool);
        server.createContext("/", this::exchange);
        background = Executors.newSingleThreadScheduledExecutor(r -> { Thread t = new Thread(r, "xero-sandbox-webhooks"); t.setDaemon(true); return t; });
    }

    /** Starts a sandbox on 127.0.0.1 ({@code port} 0 = any free port). */
    public static XeroSandbox start(int port) {
        try {
            XeroSandbox s = new XeroSandbox(port);
            s.server.start();
            s.background.scheduleWithFixedDelay(s::deliverInBackground, 500, 500, TimeUnit.MILLISECONDS);
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the Xero sandbox on port " + port, e);
        }
    }

    /** e.g. http://127.0.0.1:54321 */
    public URI baseUri() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    @Override
    public void close() {
        closed.countDown();
        background.shutdownNow();
        server.stop(0);
        pool.shutdownNow();
    }

    public static void main(String[] args) throws Exception {
        int port = 3001;
        String env = System.getenv("XERO_SANDBOX_PORT");
        if (env != null && !env.isBlank()) port = Integer.parseInt(env.trim());
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals("--port")) port = Integer.parseInt(args[i + 1]);
        XeroSandbox s = start(port);
        System.out.println("Xero sandbox listening on " + s.baseUri() + " (admin: " + s.baseUri() + "/sandbox)");
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        s.closed.await();
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private record In(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {}

    private void exchange(HttpExchange ex) throws IOException {
        Resp resp;
        try {
            byte[] body;
            try (InputStream is = ex.getRequestBody()) { body = is.readAllBytes(); }
            Map<String, String> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> { if (!v.isEmpty()) headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)); });
            In in = new In(ex.getRequestMethod().toUpperCase(Locale.ROOT), ex.getRequestURI().getRawPath(), parseForm(ex.getRequestURI().getRawQuery()), headers, body);
            resp = route(in);
        } catch (XeroError e) {
            resp = e.resp;
        } catch (J.BadRequest e) {
            resp = XeroError.badRequest(e.getMessage()).resp;
        } catch (Exception e) {
            ObjectNode b = J.obj();
            b.put("Title", "An error occurred");
            b.put("Detail", "Sandbox internal error: " + e);
            b.put("Status", 500);
            resp = Resp.json(500, b);
        }
        try {
            resp.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            if (resp.contentType != null) ex.getResponseHeaders().set("Content-Type", resp.contentType);
            if (resp.body.length == 0) {
                ex.sendResponseHeaders(resp.status, -1);
            } else {
                ex.sendResponseHeaders(resp.status, resp.body.length);
                ex.getResponseBody().write(resp.body);
            }
        } finally {
            ex.close();
        }
    }

    static Map<String, String> parseForm(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return m;
        for (String part : raw.split("&")) {
            if (part.isEmpty()) continue;
            int i = part.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? part : part.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(part.substring(i + 1), StandardCharsets.UTF_8);
            m.merge(k, v, (a, b) -> k.equals("tenant") ? a + "," + b : b);
        }
        return m;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty()) out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        return out;
    }

    private Resp route(In in) throws Exception {
        List<String> seg = segments(in.path());
        String p = in.path().toLowerCase(Locale.ROOT);
        if (p.startsWith("/sandbox")) return admin(in, seg.subList(1, seg.size()));
        if (p.equals("/identity/connect/authorize")) {
            if (in.method().equals("GET")) return identity.authorize(in.query(), tenants, false, null);
            if (in.method().equals("POST")) {
                Map<String, String> form = parseForm(new String(in.body(), StandardCharsets.UTF_8));
                List<String> chosen = form.containsKey("tenant") ? Model.splitCsv(form.remove("tenant")) : List.of();
                form.remove("consent");
                return identity.authorize(form, tenants, true, chosen);
            }
        }
        if (p.equals("/connect/token") && in.method().equals("POST")) {
            String[] basic = basic(in.headers().get("authorization"));
            return identity.token(parseForm(new String(in.body(), StandardCharsets.UTF_8)), basic[0], basic[1]);
        }
        if (p.equals("/connect/revocation") && in.method().equals("POST")) {
            String[] basic = basic(in.headers().get("authorization"));
            return identity.revoke(parseForm(new String(in.body(), StandardCharsets.UTF_8)), basic[0], basic[1]);
        }
        if (p.equals("/connections") || p.startsWith("/connections/")) return connections(in, seg);
        if (p.startsWith("/api.xro/2.0/")) return api(in, seg.subList(2, seg.size()));
        throw XeroError.notFound();
    }

    private static String[] basic(String h) {
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) return new String[2];
        String dec = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        int i = dec.indexOf(':');
        return i < 0 ? new String[2] : new String[] {URLDecoder.decode(dec.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(dec.substring(i + 1), StandardCharsets.UTF_8)};
    }

    // ---- auth ----------------------------------------------------------------------------------

    private static final DateTimeFormatter EXPIRED_AT = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");

    private Access authenticate(In in) {
        String h = in.headers().get("authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) throw XeroError.problem(401, "Unauthorized", "AuthenticationUnsuccessful");
        Access a = identity.accessTokens.get(h.substring(7).trim());
        if (a == null || (a.grant() != null && a.grant().revoked)) throw XeroError.problem(401, "Unauthorized", "AuthenticationUnsuccessful");
        Instant now = clock.now();
        Instant expires = a.issued().isBefore(identity.expiredBefore) ? identity.expiredBefore : a.expires();
        if (!now.isBefore(expires))
            throw XeroError.problem(401, "Unauthorized", "TokenExpired: token expired at " + LocalDateTime.ofInstant(expires, ZoneOffset.UTC).format(EXPIRED_AT));
        return a;
    }

    /** Which scope families an endpoint needs: broad and granular scopes both pass. */
    private static boolean scopeOk(Access a, String resource, boolean read) {
        if (a.user() || a.scopes().contains("*")) return true;
        Set<String> s = a.scopes();
        if (s.stream().noneMatch(x -> x.startsWith("accounting."))) return false;
        List<String> need = switch (resource) {
            case "contacts" -> List.of("accounting.contacts");
            case "invoices", "creditnotes" -> List.of("accounting.transactions", "accounting.invoices");
            case "payments", "prepayments", "overpayments" -> List.of("accounting.transactions", "accounting.payments");
            case "banktransactions" -> List.of("accounting.transactions", "accounting.banktransactions", "accounting.payments");
            case "accounts", "organisation" -> List.of("accounting.settings");
            default -> List.of("accounting.transactions");
        };
        for (String n : need) if (s.contains(n) || (read && s.contains(n + ".read"))) return true;
        return false;
    }

    // ---- rate limits ---------------------------------------------------------------------------

    private Window window(String clientId, String tenantId) { return windows.computeIfAbsent(clientId + "|" + tenantId, k -> new Window()); }

    private Resp tooMany(Tenant t, String problem, Long retryAfter) {
        t.stats.rateLimited.computeIfAbsent(problem, k -> new AtomicLong()).incrementAndGet();
        ObjectNode b = J.obj();
        b.putNull("Type");
        b.put("Title", "Too Many Requests");
        b.put("Status", 429);
        b.put("Detail", "You've exceeded the " + problem + " rate limit");
        Resp r = Resp.json(429, b).header("X-Rate-Limit-Problem", problem);
        if (retryAfter != null) r.header("Retry-After", String.valueOf(Math.max(1, retryAfter)));
        return r;
    }

    private static long secondsUntil(Instant oldest, long windowSeconds, Instant now) {
        return Math.max(1, (long) Math.ceil(Duration.between(now, oldest.plusSeconds(windowSeconds)).toMillis() / 1000.0));
    }

    // ---- connections ---------------------------------------------------------------------------

    private Resp connections(In in, List<String> seg) {
        Access a = authenticate(in);
        if (a.user()) throw XeroError.problem(403, "Forbidden", "AuthenticationUnsuccessful");
        App app = identity.apps.get(a.clientId());
        Resp r;
        if (seg.size() == 1 && in.method().equals("GET")) {
            r = Resp.json(200, identity.connections(app, in.query().get("authEventId"), tenants));
        } else if (seg.size() == 2 && in.method().equals("DELETE")) {
            boolean removed;
            synchronized (app) { removed = app.connections.values().removeIf(c -> c.id.equalsIgnoreCase(seg.get(1))); }
            r = removed ? Resp.empty(204) : Resp.empty(404);
        } else {
            throw XeroError.notFound();
        }
        Instant now = clock.now();
        synchronized (app.appMinute) {
            app.appMinute.prune(now);
            app.appMinute.minute.addLast(now);
            r.header("X-AppMinLimit-Remaining", String.valueOf(Math.max(0, APP_MINUTE_LIMIT - app.appMinute.minute.size())));
        }
        return r;
    }

    // ---- accounting API ------------------------------------------------------------------------

    private Resp api(In in, List<String> path) throws InterruptedException {
        Access a = authenticate(in);
        String tenantId = in.headers().get("xero-tenant-id");
        Tenant t = tenantId == null ? null : tenants.get(tenantId.trim().toLowerCase(Locale.ROOT));
        if (t == null || !identity.tenantsOf(a).contains(t.id)) throw XeroError.problem(403, "Forbidden", "AuthenticationUnsuccessful");
        String resource = path.isEmpty() ? "" : path.get(0).toLowerCase(Locale.ROOT);
        if (!scopeOk(a, resource, in.method().equals("GET"))) throw XeroError.problem(403, "Forbidden", "AuthorizationUnsuccessful");
        String endpoint = in.method() + " /" + (path.isEmpty() ? "" : canonical(path.get(0))) + (path.size() > 1 ? "/{id}" : "") + (path.size() > 2 ? "/" + path.get(2) : "");

        if (a.user()) {
            t.stats.userCalls.incrementAndGet();
            return execute(in, path, t, "user", null);
        }
        App app = identity.apps.get(a.clientId());
        Window w = window(app.clientId, t.id);
        Instant now = clock.now();
        // Forced 429s first (fault injection), then the real limits. A 429 does not count as a call.
        FaultConfig f = faults;
        if (f.rateLimitProblem != null && f.rateLimitCount.getAndDecrement() > 0) {
            String prob = f.rateLimitProblem;
            return withHeaders(tooMany(t, prob, prob.equals("minute") ? Long.valueOf(60) : prob.equals("day") ? Long.valueOf(3600) : null), app, w, t, now);
        }
        int inFlight = w.inFlight.incrementAndGet();
        t.stats.maxConcurrency.accumulateAndGet(inFlight, Math::max);
        try {
            if (inFlight > CONCURRENT_LIMIT) return withHeaders(tooMany(t, "concurrent", null), app, w, t, now);
            synchronized (app.appMinute) {
                app.appMinute.prune(now);
                if (app.appMinute.minute.size() >= APP_MINUTE_LIMIT)
                    return withHeaders(tooMany(t, "appminute", secondsUntil(app.appMinute.minute.peekFirst(), 60, now)), app, w, t, now);
            }
            synchronized (w) {
                w.prune(now);
                if (w.minute.size() >= MINUTE_LIMIT) return withHeaders(tooMany(t, "minute", secondsUntil(w.minute.peekFirst(), 60, now)), app, w, t, now);
                if (w.day.size() >= t.dayLimit) return withHeaders(tooMany(t, "day", secondsUntil(w.day.peekFirst(), 86400, now)), app, w, t, now);
                w.minute.addLast(now);
                w.day.addLast(now);
            }
            synchronized (app.appMinute) { app.appMinute.minute.addLast(now); }
            t.stats.appCalls.incrementAndGet();
            t.stats.appCallsByEndpoint.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
            t.stats.callsPerMinute.computeIfAbsent(now.getEpochSecond() / 60 * 60, k -> new AtomicLong()).incrementAndGet();
            Resp r = execute(in, path, t, app.clientId, f);
            return withHeaders(r, app, w, t, now);
        } finally {
            w.inFlight.decrementAndGet();
        }
    }

    private static String canonical(String resource) {
        for (String r : List.of("Contacts", "Invoices", "Payments", "CreditNotes", "BankTransactions", "Prepayments", "Overpayments", "Accounts", "Organisation"))
            if (r.equalsIgnoreCase(resource)) return r;
        return resource;
    }

    private Resp withHeaders(Resp r, App app, Window w, Tenant t, Instant now) {
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

    private Resp execute(In in, List<String> path, Tenant t, String caller, FaultConfig f) throws InterruptedException {
        String idemKey = in.headers().get("idempotency-key");
        boolean writes = !in.method().equals("GET");
        if (idemKey != null && idemKey.length() > 128) throw XeroError.badRequest("The Idempotency-Key header must be 128 characters or fewer.");
        String idemScope = idemKey == null || !writes ? null : caller + " " + in.method() + " " + in.path().toLowerCase(Locale.ROOT) + " " + idemKey;
        if (idemScope != null) {
            synchronized (t) {
                Idem prior = t.idempotency.get(idemScope);
                if (prior != null && clock.now().isBefore(prior.at().plus(Duration.ofHours(24)))) return copy(prior.resp());
            }
        }
        if (f != null) {
            long call = f.calls.incrementAndGet();
            if (FaultConfig.nth(f.errorEvery, call) || f.errorRate > 0 && f.next() < f.errorRate) {
                t.stats.faultsInjected.computeIfAbsent("error", k -> new AtomicLong()).incrementAndGet();
                boolean unavailable = f.next() < 0.5;
                ObjectNode b = J.obj();
                b.put("Title", unavailable ? "Service Unavailable" : "An error occurred");
                b.put("Detail", unavailable ? "The Xero API is temporarily unavailable." : "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.");
                b.put("Status", unavailable ? 503 : 500);
                b.put("Instance", java.util.UUID.randomUUID().toString());
                return Resp.json(unavailable ? 503 : 500, b);
            }
            if (FaultConfig.nth(f.timeoutEvery, call) || f.timeoutRate > 0 && f.next() < f.timeoutRate) {
                t.stats.faultsInjected.computeIfAbsent("timeout", k -> new AtomicLong()).incrementAndGet();
                closed.await(30, TimeUnit.SECONDS);
                return Resp.text(504, "text/html", "<html><body><h1>504 Gateway Time-out</h1></body></html>");
            }
            if (f.latencyMs > 0) Thread.sleep(f.latencyMs);
        }
        Resp r;
        try {
            synchronized (t) {
                r = accounting.handle(t, new Accounting.Req(in.method(), path, in.query(), in.headers(), in.body()));
            }
        } catch (XeroError e) {
            r = e.resp;
        }
        if (idemScope != null && r.status < 500) {
            synchronized (t) { t.idempotency.put(idemScope, new Idem(clock.now(), copy(r))); }
        }
        return r;
    }

    private static Resp copy(Resp r) {
        Resp c = new Resp(r.status, r.contentType, r.body);
        c.headers.putAll(r.headers);
        return c;
    }

    // ---- webhooks ------------------------------------------------------------------------------

    private void emit(Tenant t, String category, String type, String resource, String id, ObjectNode data) {
        for (App app : identity.apps.values()) {
            boolean connected;
            synchronized (app) { connected = app.connections.containsKey(t.id); }
            if (!connected || app.webhookUrl == null) continue;
            ObjectNode e = J.obj();
            e.put("resourceUrl", "https://api.xero.com/api.xro/2.0/" + resource + "/" + id);
            e.put("resourceId", id);
            e.put("tenantId", t.id);
            e.put("tenantType", "ORGANISATION");
            e.put("eventCategory", category);
            e.put("eventType", type);
            e.put("eventDateUtc", J.eventDate(clock.now()));
            if (data != null) e.set("data", data);
            synchronized (app.webhooks) { e.put("_seq", ++app.webhooks.sequence); }
            webhooks.enqueue(app, e);
            t.stats.webhookEventsQueued.incrementAndGet();
        }
    }

    private void deliverInBackground() {
        try {
            long nowNanos = System.nanoTime();
            for (App app : identity.apps.values()) {
                Long last = lastItrTry.get(app.clientId);
                boolean retryItr = last == null || nowNanos - last > TimeUnit.SECONDS.toNanos(10);
                if (retryItr) lastItrTry.put(app.clientId, nowNanos);
                webhooks.deliver(app, retryItr);
            }
        } catch (Throwable ignored) {
            // keep the deliverer alive
        }
    }

    // ---- admin ---------------------------------------------------------------------------------

    private Resp admin(In in, List<String> seg) {
        String m = in.method();
        JsonNode body = m.equals("GET") ? J.obj() : J.read(in.body());
        String first = seg.isEmpty() ? "" : seg.get(0);
        if (first.equals("tenants") && seg.size() == 1 && m.equals("POST")) {
            String name = J.text(body, "name");
            if (name == null) name = "Sandbox Organisation " + (tenants.size() + 1);
            int dayLimit = body.hasNonNull("dayLimit") ? body.get("dayLimit").asInt() : DEFAULT_DAY_LIMIT;
            Tenant t = new Tenant(name, dayLimit, clock.now());
            tenants.put(t.id, t);
            return Resp.json(201, J.obj().put("tenantId", t.id).put("name", t.name).put("dayLimit", dayLimit));
        }
        if (first.equals("tenants") && seg.size() == 1 && m.equals("GET")) {
            ArrayNode a = J.arr();
            tenants.values().forEach(t -> a.addObject().put("tenantId", t.id).put("name", t.name).put("dayLimit", t.dayLimit));
            return Resp.json(200, a);
        }
        if (first.equals("tenants") && seg.size() >= 3) {
            Tenant t = tenants.get(seg.get(1).toLowerCase(Locale.ROOT));
            if (t == null) return adminError(404, "unknown tenant");
            String action = String.join("/", seg.subList(2, seg.size()));
            switch (action) {
                case "user-token":
                    if (m.equals("POST")) return Resp.json(200, J.obj().put("access_token", identity.userToken(t.id)).put("expires_in", 1800).put("token_type", "Bearer"));
                    break;
                case "contacts/merge":
                    if (m.equals("POST")) {
                        synchronized (t) { accounting.merge(t, J.text(body, "fromContactId"), J.text(body, "intoContactId")); }
                        return Resp.json(200, J.obj().put("merged", true));
                    }
                    break;
                case "state":
                    if (m.equals("GET")) { synchronized (t) { return Resp.json(200, accounting.state(t)); } }
                    break;
                case "revoke":
                    if (m.equals("POST")) {
                        String only = J.text(body, "clientId");
                        int removed = 0;
                        for (App app : identity.apps.values()) {
                            if (only != null && !only.equals(app.clientId)) continue;
                            synchronized (app) { if (app.connections.remove(t.id) != null) removed++; }
                        }
                        return Resp.json(200, J.obj().put("connectionsRemoved", removed));
                    }
                    break;
                default:
            }
        }
        if (first.equals("apps") && m.equals("POST")) {
            String clientId = J.text(body, "clientId");
            if (clientId == null || J.text(body, "clientSecret") == null) return adminError(400, "clientId and clientSecret are required");
            App app = identity.apps.computeIfAbsent(clientId, App::new);
            app.clientSecret = J.text(body, "clientSecret");
            List<String> uris = new ArrayList<>();
            body.path("redirectUris").forEach(u -> uris.add(u.asText()));
            app.redirectUris = uris;
            String oldUrl = app.webhookUrl;
            app.webhookUrl = J.text(body, "webhookUrl");
            app.webhookKey = J.text(body, "webhookKey");
            if (app.webhookUrl != null && app.webhookKey == null) return adminError(400, "webhookKey is required with webhookUrl");
            synchronized (app.webhooks) {
                app.webhooks.itr = app.webhookUrl == null ? Webhooks.Itr.NOT_CONFIGURED : Webhooks.Itr.PENDING;
                if (oldUrl == null || !oldUrl.equals(app.webhookUrl)) { app.webhooks.disabled = false; }
            }
            if (app.webhookUrl != null) synchronized (app.deliveryLock) { webhooks.intentToReceive(app); }
            return Resp.json(200, appJson(app));
        }
        if (first.equals("consent") && m.equals("POST")) {
            List<String> ids = new ArrayList<>();
            body.path("tenantIds").forEach(i -> ids.add(i.asText().toLowerCase(Locale.ROOT)));
            for (String id : ids) if (!tenants.containsKey(id)) return adminError(404, "unknown tenant " + id);
            identity.autoConsent = body.has("tenantIds") && !body.get("tenantIds").isNull() ? List.copyOf(ids) : null;
            return Resp.json(200, J.obj().set("tenantIds", body.path("tenantIds")));
        }
        if (first.equals("clock")) {
            if (m.equals("POST")) {
                if (body.hasNonNull("advanceSeconds")) clock.advance(body.get("advanceSeconds").asLong());
                if (body.hasNonNull("set")) clock.set(Instant.parse(body.get("set").asText()));
            }
            return Resp.json(200, J.obj().put("now", clock.now().toString()));
        }
        if (first.equals("faults")) {
            if (m.equals("PUT") || m.equals("POST")) {
                if (body.path("expireTokensNow").asBoolean(false)) identity.expiredBefore = clock.now().plusMillis(1);
                faults = new FaultConfig(body);
            } else if (m.equals("DELETE")) {
                faults = new FaultConfig(J.obj());
            }
            return Resp.json(200, faults.raw);
        }
        if (first.equals("stats") && m.equals("GET")) return Resp.json(200, stats());
        if (first.equals("webhooks") && seg.size() == 2 && seg.get(1).equals("flush") && m.equals("POST")) {
            for (App app : identity.apps.values()) webhooks.deliver(app, true);
            ObjectNode out = J.obj();
            for (App app : identity.apps.values()) out.set(app.clientId, appJson(app));
            return Resp.json(200, out);
        }
        return adminError(404, "no such sandbox route: " + m + " " + in.path());
    }

    private static Resp adminError(int status, String message) { return Resp.json(status, J.obj().put("error", message)); }

    private ObjectNode appJson(App app) {
        ObjectNode o = J.obj();
        o.put("clientId", app.clientId);
        o.set("redirectUris", J.M.valueToTree(app.redirectUris));
        o.put("webhookUrl", app.webhookUrl);
        synchronized (app.webhooks) {
            Webhooks.State s = app.webhooks;
            o.put("intentToReceive", s.itr.name());
            o.put("intentToReceiveDetail", s.itrDetail);
            o.put("webhookDisabled", s.disabled);
            o.put("deliveriesSent", s.deliveriesSent);
            o.put("deliveriesFailed", s.deliveriesFailed);
            o.put("deliveriesAwaitingRetry", s.retrying.size());
            o.put("eventsPending", s.pending.size());
            o.put("eventsDelivered", s.eventsDelivered);
            o.put("eventsDropped", s.eventsDropped);
            o.put("eventsDuplicated", s.eventsDuplicated);
        }
        ArrayNode conns = o.putArray("connectedTenants");
        synchronized (app) { app.connections.keySet().forEach(conns::add); }
        return o;
    }

    ObjectNode stats() {
        ObjectNode out = J.obj();
        out.put("now", clock.now().toString());
        ObjectNode ts = out.putObject("tenants");
        for (Tenant t : tenants.values()) {
            ObjectNode o = ts.putObject(t.id);
            o.put("name", t.name);
            o.put("dayLimit", t.dayLimit);
            o.put("appCalls", t.stats.appCalls.get());
            o.put("userCalls", t.stats.userCalls.get());
            ObjectNode by = o.putObject("appCallsByEndpoint");
            new java.util.TreeMap<>(t.stats.appCallsByEndpoint).forEach((k, v) -> by.put(k, v.get()));
            ObjectNode rl = o.putObject("rateLimited");
            t.stats.rateLimited.forEach((k, v) -> rl.put(k, v.get()));
            ObjectNode fi = o.putObject("faultsInjected");
            t.stats.faultsInjected.forEach((k, v) -> fi.put(k, v.get()));
            o.put("highestConcurrency", t.stats.maxConcurrency.get());
            ObjectNode pm = o.putObject("callsPerMinute");
            long max = 0;
            for (var e : new java.util.TreeMap<>(t.stats.callsPerMinute).entrySet()) {
                pm.put(Instant.ofEpochSecond(e.getKey()).toString(), e.getValue().get());
                max = Math.max(max, e.getValue().get());
            }
            o.put("maxCallsInAMinute", max);
            o.put("webhookEventsQueued", t.stats.webhookEventsQueued.get());
        }
        ObjectNode as = out.putObject("apps");
        for (App app : identity.apps.values()) as.set(app.clientId, appJson(app));
        out.set("faults", faults.raw);
        return out;
    }

    static String[] noArgs() { return new String[0]; }
    static List<String> list(String... s) { return Arrays.asList(s); }
}
