package org.lrm.xero.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.lrm.xero.adapter.xero.XeroClient;
import org.lrm.xero.adapter.xero.XeroEndpoints;
import org.lrm.xero.adapter.xero.XeroResult;
import org.lrm.xero.app.xero.AccessTokens;
import org.lrm.xero.app.xero.AppCredentials;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.TokenSet;
import org.lrm.xero.domain.connection.XeroScopes;
import org.lrm.xero.sandbox.SandboxAdminClient;

/**
 * An organisation connected to the Xero sandbox as the integration connects one: the app is
 * registered, consent given, then authorize, code and token exchange with the real
 * {@link XeroClient}. It keeps the token set in memory and serves it as {@link AccessTokens},
 * refreshing once per rejected token (the real vault stores tokens in Secrets Manager).
 */
public final class SandboxConnection implements AccessTokens {

    private static final URI REDIRECT = URI.create("http://127.0.0.1/oauth/callback");
    /** What the integration asks for (granular: the app is new). */
    private static final List<String> SCOPES = XeroScopes.GRANULAR.requested();

    private final XeroClient client;
    private final AppCredentials app;
    private TokenSet tokens;
    private int refreshes;
    private String lostReason;
    private final java.util.Set<XeroScopes.Need> missing = java.util.EnumSet.noneOf(XeroScopes.Need.class);

    private SandboxConnection(XeroClient client, AppCredentials app, TokenSet tokens) {
        this.client = client;
        this.app = app;
        this.tokens = tokens;
    }

    /** A Xero client for the sandbox at {@code base}. */
    public static XeroClient client(URI base) {
        return new XeroClient(HttpClient.newHttpClient(), XeroEndpoints.single(base), new ObjectMapper(), Duration.ofSeconds(30));
    }

    /** Registers a fresh app in the sandbox (a new one, without a webhook) and connects it to {@code tenantIds}. */
    public static SandboxConnection connect(URI base, SandboxAdminClient admin, List<String> tenantIds) {
        AppCredentials app = new AppCredentials("app-" + UUID.randomUUID(), "secret-" + UUID.randomUUID());
        new XeroApp(app.clientId(), app.clientSecret(), null).registerIn(admin, List.of(REDIRECT.toString()), null);
        admin.consent(tenantIds);
        XeroClient client = client(base);
        String verifier = XeroClient.newCodeVerifier();
        URI authorize = client.authorizeUrl(app.clientId(), REDIRECT, SCOPES, "state", XeroClient.codeChallengeS256(verifier));
        try {
            HttpResponse<Void> response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                    .send(HttpRequest.newBuilder(authorize).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 302) {
                throw new IllegalStateException("authorize answered " + response.statusCode());
            }
            Map<String, String> back = query(URI.create(response.headers().firstValue("Location").orElseThrow()));
            String code = back.get("code");
            if (code == null) {
                throw new IllegalStateException("authorize refused: " + back);
            }
            return new SandboxConnection(client, app, client.exchangeCode(app, code, REDIRECT, verifier).orElseThrow());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized String accessToken(String orgId) {
        return tokens.accessToken();
    }

    @Override
    public synchronized String renewAfterUnauthorized(String orgId, String rejectedAccessToken) {
        if (!tokens.accessToken().equals(rejectedAccessToken)) {
            return tokens.accessToken();
        }
        XeroResult<TokenSet> refreshed = client.refresh(app, tokens.refreshToken());
        if (!(refreshed instanceof XeroResult.Ok<TokenSet> ok)) {
            throw new ConnectionUnavailable(orgId, "NEEDS_RECONNECT", "refresh failed: " + refreshed);
        }
        tokens = ok.value();
        refreshes++;
        return tokens.accessToken();
    }

    @Override
    public synchronized void connectionLost(String orgId, String reason) {
        lostReason = reason;
    }

    @Override
    public synchronized void scopeMissing(String orgId, XeroScopes.Need need, String reason) {
        missing.add(need);
    }

    /** The needs Xero refused for a missing scope. */
    public synchronized java.util.Set<XeroScopes.Need> missing() {
        return java.util.Set.copyOf(missing);
    }

    /** Why the gateway declared the connection lost; null while it is not. */
    public synchronized String lostReason() {
        return lostReason;
    }

    public synchronized int refreshes() {
        return refreshes;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }
}
