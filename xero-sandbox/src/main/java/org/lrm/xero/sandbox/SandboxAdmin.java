package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lrm.xero.sandbox.Identity.App;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The {@code /sandbox} admin surface (no Xero auth), which {@link SandboxAdminClient} calls: tenants, apps, consent,
 * what a person does in Xero (user token, merge, disconnect), the clock, faults, stats, state and webhook flushing.
 * Its errors are {@code {"error": "..."}}, not Xero's.
 */
final class SandboxAdmin {

    /** An admin route: the request, and its JSON body ({@code {}} for a GET). */
    private interface Handler { Resp handle(Request r, JsonNode body); }

    private final SandboxClock clock;
    private final Identity identity;
    private final Tenants tenants;
    private final Accounting accounting;
    private final Faults faults;
    private final Webhooks webhooks;
    private final ContractChecks contract;
    private final Router<Handler> routes = new Router<>();

    SandboxAdmin(SandboxClock clock, Identity identity, Tenants tenants, Accounting accounting, Faults faults, Webhooks webhooks,
                 ContractChecks contract) {
        this.clock = clock;
        this.identity = identity;
        this.tenants = tenants;
        this.accounting = accounting;
        this.faults = faults;
        this.webhooks = webhooks;
        this.contract = contract;
        routes.on("POST", "/tenants", (r, body) -> createTenant(body))
              .on("GET", "/tenants", (r, body) -> listTenants())
              .on("POST", "/tenants/{id}/user-token", inTenant((t, body) ->
                      Resp.json(200, Json.obj().put("access_token", identity.userToken(t.id)).put("expires_in", 1800).put("token_type", "Bearer"))))
              .on("POST", "/tenants/{id}/contacts/merge", inTenant((t, body) -> {
                  synchronized (t) { accounting.merge(t, Json.text(body, "fromContactId"), Json.text(body, "intoContactId")); }
                  return Resp.json(200, Json.obj().put("merged", true));
              }))
              .on("GET", "/tenants/{id}/state", inTenant((t, body) -> { synchronized (t) { return Resp.json(200, accounting.state(t)); } }))
              .on("POST", "/tenants/{id}/revoke", inTenant((t, body) ->
                      Resp.json(200, Json.obj().put("connectionsRemoved", identity.disconnectTenant(t.id, Json.text(body, "clientId"))))))
              .on("POST", "/apps", (r, body) -> registerApp(body))
              .on("POST", "/consent", (r, body) -> consent(body))
              .on("*", "/clock", this::clock)
              .on("*", "/faults", this::faults)
              .on("GET", "/stats", (r, body) -> Resp.json(200, stats()))
              .on("GET", "/contract", (r, body) -> Resp.json(200, contract.report()))
              .on("DELETE", "/contract", (r, body) -> { contract.clear(); return Resp.json(200, contract.summary()); })
              .on("POST", "/webhooks/flush", (r, body) -> flushWebhooks());
    }

    /** @param r routed below /sandbox */
    Resp handle(Request r) {
        JsonNode body = r.isGet() || r.body().length == 0 ? Json.obj() : r.json();
        return routes.route(r)
                .map(routed -> routed.handler().handle(routed.request(), body))
                .orElseGet(() -> error(404, "no such sandbox route: " + r.method() + " " + r.rawPath()));
    }

    private static Resp error(int status, String message) { return Resp.json(status, Json.obj().put("error", message)); }

    /** A route under /tenants/{id}: 404 for an unknown tenant. */
    private Handler inTenant(BiFunction<Tenant, JsonNode, Resp> action) {
        return (r, body) -> {
            Tenant t = tenants.find(r.pathParam("id"));
            return t == null ? error(404, "unknown tenant") : action.apply(t, body);
        };
    }

    /** {@code {name?, tier?, dayLimit?}}: the tier sets the day limit ({@link RateLimits.Tier}); {@code dayLimit} overrides it. */
    private Resp createTenant(JsonNode body) {
        String name = Json.text(body, "name");
        if (name == null) name = "Sandbox Organisation " + (tenants.size() + 1);
        RateLimits.Tier tier;
        try {
            tier = body.hasNonNull("tier") ? RateLimits.Tier.valueOf(body.get("tier").asText().toUpperCase(Locale.ROOT)) : RateLimits.Tier.DEFAULT;
        } catch (IllegalArgumentException e) {
            return error(400, "tier must be one of " + Arrays.toString(RateLimits.Tier.values()));
        }
        int dayLimit = body.hasNonNull("dayLimit") ? body.get("dayLimit").asInt() : tier.dayLimit;
        Tenant t = tenants.create(name, tier, dayLimit, clock.now());
        return Resp.json(201, tenantJson(t));
    }

    private Resp listTenants() {
        ArrayNode a = Json.arr();
        tenants.all().forEach(t -> a.add(tenantJson(t)));
        return Resp.json(200, a);
    }

    private static ObjectNode tenantJson(Tenant t) {
        return Json.obj().put("tenantId", t.id).put("name", t.name).put("tier", t.tier.name()).put("dayLimit", t.dayLimit);
    }

    /**
     * Registers or re-registers an app; with a webhook URL, Intent to Receive runs at once. {@code createdAt} (an
     * instant or a date; default: now on the sandbox clock, i.e. a new app, granular scopes only) and
     * {@code webhookCategories} (default: none, so no events until the app subscribes, as a new Xero webhook).
     */
    private Resp registerApp(JsonNode body) {
        String clientId = Json.text(body, "clientId");
        if (clientId == null || Json.text(body, "clientSecret") == null) return error(400, "clientId and clientSecret are required");
        Instant createdAt = clock.now();
        if (body.hasNonNull("createdAt")) {
            String c = body.get("createdAt").asText();
            try {
                createdAt = c.contains("T") ? Instant.parse(c) : LocalDate.parse(c).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                return error(400, "createdAt must be an ISO date or instant, not " + c);
            }
        }
        Set<String> categories = new TreeSet<>();
        for (JsonNode c : body.path("webhookCategories")) categories.add(c.asText().toUpperCase(Locale.ROOT));
        if (!Webhooks.CATEGORIES.containsAll(categories)) return error(400, "webhookCategories must be among " + new TreeSet<>(Webhooks.CATEGORIES));
        App app = identity.apps.computeIfAbsent(clientId, App::new);
        app.createdAt = createdAt;
        app.webhookCategories = Set.copyOf(categories);
        app.clientSecret = Json.text(body, "clientSecret");
        List<String> uris = new ArrayList<>();
        body.path("redirectUris").forEach(u -> uris.add(u.asText()));
        app.redirectUris = uris;
        String previousUrl = app.webhookUrl;
        app.webhookUrl = Json.text(body, "webhookUrl");
        app.webhookKey = Json.text(body, "webhookKey");
        if (app.webhookUrl != null && app.webhookKey == null) return error(400, "webhookKey is required with webhookUrl");
        webhooks.reconfigured(app, previousUrl);
        return Resp.json(200, appJson(app));
    }

    /** From now on authorize consents at once to these tenants ({@code null}: back to the consent page). */
    private Resp consent(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.path("tenantIds").forEach(i -> ids.add(i.asText().toLowerCase(Locale.ROOT)));
        for (String id : ids) if (tenants.find(id) == null) return error(404, "unknown tenant " + id);
        identity.autoConsent = body.has("tenantIds") && !body.get("tenantIds").isNull() ? List.copyOf(ids) : null;
        return Resp.json(200, Json.obj().set("tenantIds", body.path("tenantIds")));
    }

    /** POST moves the clock ({@code advanceSeconds} or {@code set}); any method answers the time. */
    private Resp clock(Request r, JsonNode body) {
        if (r.method().equals("POST")) {
            if (body.hasNonNull("advanceSeconds")) clock.advance(body.get("advanceSeconds").asLong());
            if (body.hasNonNull("set")) clock.set(Instant.parse(body.get("set").asText()));
        }
        return Resp.json(200, Json.obj().put("now", clock.now().toString()));
    }

    /** PUT (or POST) replaces the settings, DELETE clears them; any method answers the settings in force. */
    private Resp faults(Request r, JsonNode body) {
        if (r.method().equals("PUT") || r.method().equals("POST")) {
            if (body.path("expireTokensNow").asBoolean(false)) identity.expiredBefore = clock.now().plusMillis(1);
            faults.replace(body);
        } else if (r.method().equals("DELETE")) {
            faults.replace(Json.obj());
        }
        return Resp.json(200, faults.current().raw);
    }

    private Resp flushWebhooks() {
        webhooks.deliverAllNow();
        ObjectNode out = Json.obj();
        for (App app : identity.apps.values()) out.set(app.clientId, appJson(app));
        return Resp.json(200, out);
    }

    private ObjectNode appJson(App app) {
        ObjectNode o = Json.obj();
        o.put("clientId", app.clientId);
        o.set("redirectUris", Json.MAPPER.valueToTree(app.redirectUris));
        o.put("createdAt", app.createdAt.toString());
        o.put("webhookUrl", app.webhookUrl);
        ArrayNode categories = o.putArray("webhookCategories");
        new TreeSet<>(app.webhookCategories).forEach(categories::add);
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

    private ObjectNode stats() {
        ObjectNode out = Json.obj();
        out.put("now", clock.now().toString());
        ObjectNode ts = out.putObject("tenants");
        for (Tenant t : tenants.all()) ts.set(t.id, tenantStats(t));
        ObjectNode as = out.putObject("apps");
        for (App app : identity.apps.values()) as.set(app.clientId, appJson(app));
        out.set("faults", faults.current().raw);
        out.set("contract", contract.summary());
        return out;
    }

    private static ObjectNode tenantStats(Tenant t) {
        Stats s = t.stats;
        ObjectNode o = Json.obj();
        o.put("name", t.name);
        o.put("tier", t.tier.name());
        o.put("dayLimit", t.dayLimit);
        o.put("appCalls", s.appCalls.get());
        o.put("userCalls", s.userCalls.get());
        ObjectNode by = o.putObject("appCallsByEndpoint");
        new TreeMap<>(s.appCallsByEndpoint).forEach((k, v) -> by.put(k, v.get()));
        ObjectNode rl = o.putObject("rateLimited");
        s.rateLimited.forEach((k, v) -> rl.put(k, v.get()));
        ObjectNode fi = o.putObject("faultsInjected");
        s.faultsInjected.forEach((k, v) -> fi.put(k, v.get()));
        o.put("highestConcurrency", s.maxConcurrency.get());
        ObjectNode pm = o.putObject("callsPerMinute");
        long max = 0;
        for (var e : new TreeMap<>(s.callsPerMinute).entrySet()) {
            pm.put(Instant.ofEpochSecond(e.getKey()).toString(), e.getValue().get());
            max = Math.max(max, e.getValue().get());
        }
        o.put("maxCallsInAMinute", max);
        o.put("webhookEventsQueued", s.webhookEventsQueued.get());
        return o;
    }
}
