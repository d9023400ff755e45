package org.lrm.xero.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Xero as the integration sees it (identity endpoints, {@code /connections}, the Accounting API), through a
 * proxy that forwards every request and answer to the sandbox unchanged, records every request line, every
 * refresh (which refresh token, what came back), every revocation and every token issued, and can lose the
 * answer to a refresh in transit (the request reaches Xero, which rotates the token; the answer never comes
 * back), run something when a refresh arrives (move a clock: a slow answer), and fail revocations as an
 * outage would (503, Xero not reached).
 */
final class TokenEndpointProxy implements AutoCloseable {

    /** One refresh-token grant: the token sent and the OAuth error that came back, if any. */
    record Refresh(String refreshTokenSent, int status, String error, boolean answerDropped) {
    }

    /** A request line ({@code METHOD /path?query}, the query as sent) and the status Xero answered it with. */
    record Answered(String request, int status) {

        /** The query string's length as sent, what Xero's front door measures. */
        int queryLength() {
            int q = request.indexOf('?');
            return q < 0 ? 0 : request.length() - q - 1;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers of one connection, which the proxy's own connections set. */
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "date");

    private final URI target;
    private final HttpServer server;
    private final HttpClient forward = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Refresh> refreshes = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Answered> answered = new CopyOnWriteArrayList<>();
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dropRefreshAnswers = new AtomicInteger();
    private final AtomicInteger failRevocations = new AtomicInteger();
    private final List<String> revocations = new CopyOnWriteArrayList<>();
    private volatile Runnable onRefresh = () -> { };

    TokenEndpointProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code n} refresh answers are lost after Xero produced them. */
    void dropNextRefreshAnswers(int n) {
        dropRefreshAnswers.set(n);
    }

    /** The next {@code n} revocations answer 503 without reaching Xero. */
    void failNextRevocations(int n) {
        failRevocations.set(n);
    }

    /** Runs when a refresh arrives, before it goes on to Xero (e.g. a clock moved: the call took that long). */
    void onRefresh(Runnable action) {
        this.onRefresh = action;
    }

    /** Every revocation request: the status it was answered. */
    List<String> revocations() {
        return List.copyOf(revocations);
    }

    List<Refresh> refreshes() {
        return List.copyOf(refreshes);
    }

    long invalidGrants() {
        return refreshes.stream().filter(r -> "invalid_grant".equals(r.error())).count();
    }

    /** Every access, refresh and id token Xero issued through this proxy. */
    Set<String> issuedTokens() {
        return Set.copyOf(issuedTokens);
    }

    /** Every request forwarded, as {@code METHOD /path?query} (the query as sent). */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Every request forwarded, with Xero's status. */
    List<Answered> answered() {
        return List.copyOf(answered);
    }

    void clear() {
        refreshes.clear();
        revocations.clear();
        onRefresh = () -> { };
        requests.clear();
        answered.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            URI uri = ex.getRequestURI();
            String line = ex.getRequestMethod() + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            requests.add(line);
            if (uri.getPath().equals("/connect/revocation") && failRevocations.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                revocations.add("503");
                ex.sendResponseHeaders(503, -1);
                return;
            }
            Map<String, String> sent = form(new String(body, StandardCharsets.UTF_8));
            if (uri.getPath().equals("/connect/token") && "refresh_token".equals(sent.get("grant_type"))) {
                onRefresh.run();
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/$", "")
                    + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .timeout(Duration.ofSeconds(30)).method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = forward.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            answered.add(new Answered(line, response.statusCode()));
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            JsonNode answer = parse(response.body());
            if (answer != null) {
                for (String field : List.of("access_token", "refresh_token", "id_token")) {
                    if (answer.hasNonNull(field)) {
                        issuedTokens.add(answer.get(field).asText());
                    }
                }
            }
            boolean refresh = uri.getPath().equals("/connect/token") && "refresh_token".equals(form.get("grant_type"));
            if (uri.getPath().equals("/connect/revocation")) {
                revocations.add(String.valueOf(response.statusCode()));
            }
            boolean drop = refresh && dropRefreshAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (refresh) {
                refreshes.add(new Refresh(form.get("refresh_token"), response.statusCode(),
                        answer != null && answer.hasNonNull("error") ? answer.get("error").asText() : null, drop));
            }
            if (drop) {
                return; // closes the exchange without an answer: the client sees the connection end
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, new java.util.ArrayList<>(values));
                }
            });
            byte[] out = response.body();
            ex.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            }
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int i = pair.indexOf('=');
            if (i > 0) {
                out.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
