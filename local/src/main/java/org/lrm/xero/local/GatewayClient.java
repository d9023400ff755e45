package org.lrm.xero.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The LRM's side of the local gateway, over HTTP, for the demo and the tests: calls with a JWT, and the admin's connect in a browser. */
public final class GatewayClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalRun run;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public GatewayClient(LocalRun run) {
        this.run = run;
    }

    /** {@code path} on the gateway, with {@code token} as the bearer (none when null) and a JSON body (none when null). */
    public HttpResponse<String> send(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(run.gatewayUri() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return exchange(b.build());
    }

    /** A call without a JWT, with extra headers (e.g. Xero's webhook signature). */
    public HttpResponse<String> sendWithHeaders(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(run.gatewayUri() + path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(b::header);
        return exchange(b.build());
    }

    /** The answer of a call that must answer {@code status}, as JSON. */
    public JsonNode expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri().getRawPath() + " answered "
                    + response.statusCode() + " (expected " + status + "): " + response.body());
        }
        return json(response);
    }

    public static JsonNode json(HttpResponse<String> response) {
        return response.body().isEmpty() ? JSON.createObjectNode() : json(response.body());
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text);
        }
    }

    /**
     * Connects {@code orgId} to the sandbox organisation {@code tenantId} as its admin would: connect,
     * Xero's consent (given in advance through {@code /sandbox/consent}), the callback, back to the LRM.
     */
    public void connect(String orgId, String tenantId) {
        run.sandboxAdmin().consent(List.of(tenantId));
        URI returnTo = URI.create(run.gatewayUri() + "/lrm/settings/connected-apps");
        HttpResponse<String> started = send("GET", "/v1/xero/connect?returnTo=" + returnTo, run.token(orgId, "admin", null), null);
        // The browser keeps the connect's cookie and sends it back to the gateway with Xero's callback.
        List<String> cookies = started.headers().allValues("set-cookie").stream().map(c -> c.split(";", 2)[0].trim()).toList();
        URI next = location(started);
        for (int hop = 0; hop < 5 && !next.toString().startsWith(returnTo.toString()); hop++) {
            HttpRequest.Builder hopRequest = HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(60)).GET();
            if (!cookies.isEmpty() && next.toString().startsWith(run.gatewayUri().toString())) {
                hopRequest.header("Cookie", String.join("; ", cookies));
            }
            next = location(exchange(hopRequest.build()));
        }
        if (!"connected".equals(query(next).get("xero"))) {
            throw new IllegalStateException("connecting " + orgId + " failed: back at " + next);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI location(HttpResponse<String> r) {
        return URI.create(r.headers().firstValue("location").orElseThrow(() -> new IllegalStateException(
                r.uri() + " answered " + r.statusCode() + " without a redirect: " + r.body())));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return params;
    }
}
