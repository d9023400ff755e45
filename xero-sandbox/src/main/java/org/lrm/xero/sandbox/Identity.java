package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Xero's identity service: apps, consent, authorization codes, tokens (with rotation and grace) and connections, and
 * the check of a bearer token that every API call starts with.
 */
final class Identity {
    static final Duration ACCESS_TTL = Duration.ofMinutes(30);
    static final Duration CODE_TTL = Duration.ofMinutes(5);
    static final Duration REFRESH_GRACE = Duration.ofMinutes(30);
    static final Duration REFRESH_IDLE = Duration.ofDays(60);

    /** A registered integration (a Xero app). */
    static final class App {
        final String clientId;
        volatile String clientSecret;
        volatile List<String> redirectUris;
        /** When the app was created at developer.xero.com: from 2 March 2026 on, only granular scopes. */
        volatile Instant createdAt;
        volatile String webhookUrl;
        volatile String webhookKey;
        /** The event categories the app's webhook is subscribed to (CONTACT, INVOICE, CREDITNOTE, SUBSCRIPTION). */
        volatile Set<String> webhookCategories = Set.of();
        /** tenantId -> connection. */
        final Map<String, Connection> connections = new LinkedHashMap<>();
        final RateLimits.Window appMinute = new RateLimits.Window();
        final Webhooks.State webhooks = new Webhooks.State();
        /** Serialises webhook deliveries of this app without blocking API calls (which lock the app briefly). */
        final Object deliveryLock = new Object();
        App(String clientId) { this.clientId = clientId; }
    }

    static final class Connection {
        final String id = UUID.randomUUID().toString();
        final String tenantId;
        volatile String authEventId;
        final Instant created;
        volatile Instant updated;
        volatile String grantId;
        Connection(String tenantId, String authEventId, Instant created, String grantId) {
            this.tenantId = tenantId; this.authEventId = authEventId; this.created = created; this.updated = created; this.grantId = grantId;
        }
    }

    /** One user authorisation of an app (what a refresh-token chain belongs to); its tokens carry its authentication event. */
    static final class Grant {
        final String id = UUID.randomUUID().toString();
        final String clientId;
        final Set<String> scopes;
        final String authEventId;
        final Instant authTime;
        volatile boolean revoked;
        Grant(String clientId, Set<String> scopes, String authEventId, Instant authTime) {
            this.clientId = clientId; this.scopes = scopes; this.authEventId = authEventId; this.authTime = authTime;
        }
    }

    record Code(String clientId, String redirectUri, Set<String> scopes, List<String> tenantIds, String challenge, String method,
                Instant expires, String authEventId) {}

    static final class Refresh {
        final Grant grant;
        final Instant issued;
        Instant firstUsed;
        String successor;
        Refresh(Grant grant, Instant issued) { this.grant = grant; this.issued = issued; }
    }

    /** An access token; app tokens reach the tenants their grant's connections cover, user tokens one tenant. */
    record Access(String clientId, Grant grant, String userTenantId, Set<String> scopes, Instant issued, Instant expires) {
        boolean user() { return userTenantId != null; }
    }

    final SandboxClock clock;
    private final Tenants tenants;
    final Map<String, App> apps = new ConcurrentHashMap<>();
    final Map<String, Code> codes = new ConcurrentHashMap<>();
    final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
    final Map<String, Access> accessTokens = new ConcurrentHashMap<>();
    volatile List<String> autoConsent = null;
    volatile Instant expiredBefore = Instant.EPOCH;
    private final SecureRandom random = new SecureRandom();
    private final Jwt jwt = new Jwt(random);
    /** The one Xero user of the sandbox (see README, simplifications): who consents, whose tokens these are. */
    private final String xeroUserId = UUID.randomUUID().toString();
    private final String globalSessionId = token(16);

    Identity(SandboxClock clock, Tenants tenants) { this.clock = clock; this.tenants = tenants; }

    String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ---- authorize -----------------------------------------------------------------------------

    /** GET /identity/connect/authorize: the consent page, or (with /sandbox/consent set) a redirect with a code at once. */
    Resp authorize(Request r) { return authorize(r.query(), false, null); }

    /** POST /identity/connect/authorize: the consent page's form, with the organisations ticked. */
    Resp consent(Request r) {
        Map<String, String> form = r.form();
        List<String> chosen = form.containsKey("tenant") ? Request.splitCsv(form.remove("tenant")) : List.of();
        form.remove("consent");
        return authorize(form, true, chosen);
    }

    private Resp authorize(Map<String, String> q, boolean consentClicked, List<String> clickedTenants) {
        App app = q.get("client_id") == null ? null : apps.get(q.get("client_id"));
        if (app == null) return errorPage("unauthorized_client", "Unknown client or client not enabled");
        String redirect = q.get("redirect_uri");
        if (redirect == null || !app.redirectUris.contains(redirect)) return errorPage("invalid_request", "Invalid redirect_uri");
        if (!"code".equals(q.get("response_type"))) return redirectError(redirect, "unsupported_response_type", null, q.get("state"));
        String scope = q.getOrDefault("scope", "");
        String method = q.get("code_challenge_method");
        if (q.get("code_challenge") != null && method != null && !method.equals("S256") && !method.equals("plain"))
            return redirectError(redirect, "invalid_request", null, q.get("state"));
        Set<String> scopes = new LinkedHashSet<>(List.of(scope.trim().split("\\s+")));
        scopes.remove("");
        String refused = Scopes.refusal(scopes, app.createdAt);
        if (refused != null) return redirectError(redirect, refused, refused.equals("invalid_scope") ? "Invalid scope" : "Invalid scope for client", q.get("state"));
        List<String> tenantIds = consentClicked ? clickedTenants : autoConsent;
        if (tenantIds == null) return consentPage(q);
        String code = token(32);
        codes.put(code, new Code(app.clientId, redirect, scopes, List.copyOf(tenantIds), q.get("code_challenge"), method,
                clock.now().plus(CODE_TTL), UUID.randomUUID().toString()));
        String loc = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code)
                + "&scope=" + enc(String.join(" ", scopes)) + (q.get("state") != null ? "&state=" + enc(q.get("state")) : "");
        return Resp.empty(302).header("Location", loc);
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    /** An authorize error sent back to the app's redirect URI (RFC 6749 4.1.2.1), as Xero's identity service sends it. */
    private static Resp redirectError(String redirect, String error, String description, String state) {
        return Resp.empty(302).header("Location", redirect + (redirect.contains("?") ? "&" : "?") + "error=" + error
                + (description != null ? "&error_description=" + enc(description) : "") + (state != null ? "&state=" + enc(state) : ""));
    }

    private static Resp errorPage(String error, String description) {
        return Resp.text(400, "text/html; charset=utf-8", "<!doctype html><html><head><title>Xero | Error</title></head><body><h1>Sorry, something went wrong</h1>"
                + "<p>Error: " + html(error) + "</p><p>" + html(description) + "</p></body></html>");
    }

    private static String html(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private Resp consentPage(Map<String, String> q) {
        StringBuilder b = new StringBuilder("<!doctype html><html><head><title>Xero | Authorise</title></head><body>");
        b.append("<h1>").append(html(q.get("client_id"))).append(" wants to connect to your Xero organisation</h1>");
        b.append("<p>It asks for: ").append(html(q.getOrDefault("scope", ""))).append("</p>");
        b.append("<form method=\"post\" action=\"/identity/connect/authorize\">");
        for (var e : q.entrySet()) b.append("<input type=\"hidden\" name=\"").append(html(e.getKey())).append("\" value=\"").append(html(e.getValue())).append("\">");
        b.append("<p>Organisations:</p>");
        for (Tenant t : tenants.all()) {
            b.append("<label><input type=\"checkbox\" name=\"tenant\" value=\"").append(t.id).append("\" checked> ").append(html(t.name)).append("</label><br>");
        }
        b.append("<button type=\"submit\" name=\"consent\" value=\"allow\">Allow access</button></form></body></html>");
        return Resp.text(200, "text/html; charset=utf-8", b.toString());
    }

    // ---- token ---------------------------------------------------------------------------------

    static Resp oauthError(String error) {
        ObjectNode b = Json.obj();
        b.put("error", error);
        return Resp.json(400, b);
    }

    /** POST /connect/token. */
    Resp token(Request r) {
        String[] basic = basicCredentials(r.header("authorization"));
        return token(r.form(), basic[0], basic[1]);
    }

    /** POST /connect/revocation. */
    Resp revoke(Request r) {
        String[] basic = basicCredentials(r.header("authorization"));
        return revoke(r.form(), basic[0], basic[1]);
    }

    /** {@code Authorization: Basic} as [client id, secret], or [null, null]. */
    private static String[] basicCredentials(String h) {
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) return new String[2];
        String dec = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        int i = dec.indexOf(':');
        return i < 0 ? new String[2] : new String[] {URLDecoder.decode(dec.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(dec.substring(i + 1), StandardCharsets.UTF_8)};
    }

    private Resp token(Map<String, String> form, String basicUser, String basicPass) {
        String clientId = basicUser != null ? basicUser : form.get("client_id");
        String secret = basicUser != null ? basicPass : form.get("client_secret");
        App app = clientId == null ? null : apps.get(clientId);
        if (app == null) return Resp.json(400, Json.obj().put("error", "invalid_client"));
        String grantType = form.get("grant_type");
        boolean secretOk = secret != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), app.clientSecret.getBytes(StandardCharsets.UTF_8));
        if (secret != null && !secretOk) return Resp.json(400, Json.obj().put("error", "invalid_client"));
        Instant now = clock.now();
        if ("authorization_code".equals(grantType)) {
            Code c = form.get("code") == null ? null : codes.remove(form.get("code")); // single use
            if (c == null || !c.clientId().equals(clientId) || now.isAfter(c.expires())) return oauthError("invalid_grant");
            if (!c.redirectUri().equals(form.get("redirect_uri"))) return oauthError("invalid_grant");
            if (c.challenge() != null) {
                String verifier = form.get("code_verifier");
                if (verifier == null) return oauthError("invalid_grant");
                String computed = "plain".equals(c.method()) ? verifier : s256(verifier);
                if (!computed.equals(c.challenge())) return oauthError("invalid_grant");
            } else if (!secretOk) {
                return Resp.json(400, Json.obj().put("error", "invalid_client"));
            }
            Grant g = new Grant(clientId, c.scopes(), c.authEventId(), now);
            synchronized (app) {
                for (String tid : c.tenantIds()) {
                    Connection existing = app.connections.get(tid);
                    if (existing != null) { existing.authEventId = c.authEventId(); existing.updated = now; existing.grantId = g.id; }
                    else app.connections.put(tid, new Connection(tid, c.authEventId(), now, g.id));
                }
            }
            return issue(app, g, now, null);
        }
        if ("refresh_token".equals(grantType)) {
            String rt = form.get("refresh_token");
            Refresh r = rt == null ? null : refreshTokens.get(rt);
            if (r == null || r.grant.revoked || !r.grant.clientId.equals(clientId)) return oauthError("invalid_grant");
            // PKCE clients refresh without a secret.
            synchronized (r) {
                if (r.firstUsed == null) {
                    if (now.isAfter(r.issued.plus(REFRESH_IDLE))) return oauthError("invalid_grant");
                    r.firstUsed = now;
                    Resp resp = issue(app, r.grant, now, null);
                    r.successor = Json.text(Json.read(resp.body), "refresh_token");
                    return resp;
                }
                if (now.isAfter(r.firstUsed.plus(REFRESH_GRACE))) return oauthError("invalid_grant");
                // Within the grace period the old token still works: it answers with the same successor refresh token.
                return issue(app, r.grant, now, r.successor);
            }
        }
        return oauthError("unsupported_grant_type");
    }

    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (Exception e) { throw new IllegalStateException(e); }
    }

    private Resp issue(App app, Grant g, Instant now, String reuseRefresh) {
        String access = accessToken(app, g, now);
        accessTokens.put(access, new Access(app.clientId, g, null, g.scopes, now, now.plus(ACCESS_TTL)));
        String refresh = reuseRefresh;
        if (refresh == null && g.scopes.contains("offline_access")) {
            refresh = token(32);
            refreshTokens.put(refresh, new Refresh(g, now));
        }
        ObjectNode b = Json.obj();
        if (g.scopes.contains("openid")) b.put("id_token", idToken(app, g, now));
        b.put("access_token", access);
        b.put("expires_in", ACCESS_TTL.toSeconds());
        b.put("token_type", "Bearer");
        if (refresh != null) b.put("refresh_token", refresh);
        b.put("scope", String.join(" ", g.scopes));
        return Resp.json(200, b).header("Cache-Control", "no-store");
    }

    /**
     * A JWT with the claims Xero's access tokens carry (as a decoded one shows them): nbf, exp, iss, aud, client_id,
     * sub, auth_time, xero_userid, global_session_id, jti, authentication_event_id and scope (an array). The
     * authentication event is the authorisation's, also after refreshes.
     */
    private String accessToken(App app, Grant g, Instant now) {
        ObjectNode c = Json.obj();
        c.put("nbf", now.getEpochSecond());
        c.put("exp", now.plus(ACCESS_TTL).getEpochSecond());
        c.put("iss", "https://identity.xero.com");
        c.put("aud", "https://identity.xero.com/resources");
        c.put("client_id", app.clientId);
        c.put("sub", xeroUserId.replace("-", ""));
        c.put("auth_time", g.authTime.getEpochSecond());
        c.put("xero_userid", xeroUserId);
        c.put("global_session_id", globalSessionId);
        c.put("jti", token(16));
        c.put("authentication_event_id", g.authEventId);
        ArrayNode scope = c.putArray("scope");
        g.scopes.forEach(scope::add);
        return jwt.sign(c);
    }

    /** OpenID Connect's id token (with {@code openid}): who the user is. */
    private String idToken(App app, Grant g, Instant now) {
        ObjectNode c = Json.obj();
        c.put("nbf", now.getEpochSecond());
        c.put("exp", now.plus(Duration.ofMinutes(5)).getEpochSecond());
        c.put("iss", "https://identity.xero.com");
        c.put("aud", app.clientId);
        c.put("iat", now.getEpochSecond());
        c.put("sub", xeroUserId.replace("-", ""));
        c.put("auth_time", g.authTime.getEpochSecond());
        c.put("xero_userid", xeroUserId);
        c.put("global_session_id", globalSessionId);
        if (g.scopes.contains("email")) c.put("email", "sandbox.user@example.org");
        if (g.scopes.contains("profile")) { c.put("given_name", "Sandbox"); c.put("family_name", "User"); }
        return jwt.sign(c);
    }

    String userToken(String tenantId) {
        String access = token(48);
        Instant now = clock.now();
        accessTokens.put(access, new Access(null, null, tenantId, Set.of("*"), now, now.plus(ACCESS_TTL)));
        return access;
    }

    /** Revokes the refresh token's grant, its access tokens and its connections. */
    private Resp revoke(Map<String, String> form, String basicUser, String basicPass) {
        String clientId = basicUser != null ? basicUser : form.get("client_id");
        App app = clientId == null ? null : apps.get(clientId);
        if (app == null) return Resp.json(400, Json.obj().put("error", "invalid_client"));
        String tok = form.get("token");
        Refresh r = tok == null ? null : refreshTokens.get(tok);
        if (r != null && r.grant.clientId.equals(clientId)) {
            r.grant.revoked = true;
            synchronized (app) { app.connections.values().removeIf(c -> c.grantId.equals(r.grant.id)); }
        }
        return Resp.empty(200);
    }

    // ---- bearer tokens and connections ---------------------------------------------------------

    /** The access token of an {@code Authorization: Bearer} header; 401 as Xero answers a missing, unknown, revoked or expired one. */
    Access authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7))
            throw XeroError.problem(401, "Unauthorized", "AuthenticationUnsuccessful");
        Access a = accessTokens.get(authorization.substring(7).trim());
        if (a == null || (a.grant() != null && a.grant().revoked)) throw XeroError.problem(401, "Unauthorized", "AuthenticationUnsuccessful");
        Instant expires = a.issued().isBefore(expiredBefore) ? expiredBefore : a.expires();
        if (!clock.now().isBefore(expires))
            throw XeroError.problem(401, "Unauthorized", "TokenExpired: token expired at " + XeroDates.expiredAt(expires));
        return a;
    }

    /** The tenants an app access token may reach now. */
    List<String> tenantsOf(Access a) {
        if (a.user()) return List.of(a.userTenantId());
        App app = apps.get(a.clientId());
        if (app == null || a.grant().revoked) return List.of();
        List<String> out = new ArrayList<>();
        synchronized (app) { for (Connection c : app.connections.values()) out.add(c.tenantId); }
        return out;
    }

    /** GET /connections: the app's connections (of one authorisation event if {@code authEventId} is given). */
    ArrayNode connections(App app, String authEventId) {
        ArrayNode a = Json.arr();
        synchronized (app) {
            for (Connection c : app.connections.values()) {
                if (authEventId != null && !authEventId.equalsIgnoreCase(c.authEventId)) continue;
                ObjectNode o = a.addObject();
                o.put("id", c.id);
                o.put("authEventId", c.authEventId);
                o.put("tenantId", c.tenantId);
                o.put("tenantType", "ORGANISATION");
                Tenant t = tenants.find(c.tenantId);
                o.put("tenantName", t == null ? null : t.name);
                o.put("createdDateUtc", XeroDates.isoNoZone(c.created));
                o.put("updatedDateUtc", XeroDates.isoNoZone(c.updated));
            }
        }
        return a;
    }

    /** DELETE /connections/{id}: whether the app had that connection. */
    boolean disconnect(App app, String connectionId) {
        synchronized (app) { return app.connections.values().removeIf(c -> c.id.equalsIgnoreCase(connectionId)); }
    }

    /** The user disconnects an app (or every app, {@code onlyClientId} null) from a tenant in Xero; how many connections went. */
    int disconnectTenant(String tenantId, String onlyClientId) {
        int removed = 0;
        for (App app : apps.values()) {
            if (onlyClientId != null && !onlyClientId.equals(app.clientId)) continue;
            synchronized (app) { if (app.connections.remove(tenantId) != null) removed++; }
        }
        return removed;
    }
}
