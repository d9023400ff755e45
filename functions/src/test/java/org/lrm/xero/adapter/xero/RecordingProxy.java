package org.lrm.xero.adapter.xero;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.lrm.xero.openapi.XeroContract.Exchange;

/**
 * An HTTP proxy for tests that sits between the client and a Xero stand-in, forwards every exchange
 * unchanged and records it (method, path, query, headers and bodies both ways) as {@link Exchange}s, what
 * {@link org.lrm.xero.openapi.XeroContract} checks.
 */
final class RecordingProxy implements AutoCloseable {

    /** A query string's parameters, decoded, in order. */
    static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final URI target;
    private final HttpServer server;
    private final HttpClient forward;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile java.util.function.UnaryOperator<String> queryRewrite = q -> q;

    private RecordingProxy(URI target) throws IOException {
        this.target = target;
        this.forward = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static RecordingProxy to(URI target) throws IOException {
        return new RecordingProxy(target);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    Exchange last() {
        if (exchanges.isEmpty()) {
            throw new IllegalStateException("no exchange recorded");
        }
        return exchanges.get(exchanges.size() - 1);
    }

    /** Changes the query of forwarded requests (recorded as sent by the client), e.g. to provoke a 400. */
    void rewriteQuery(java.util.function.UnaryOperator<String> rewrite) {
        this.queryRewrite = rewrite == null ? q -> q : rewrite;
    }

    void clear() {
        exchanges.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] requestBody = ex.getRequestBody().readAllBytes();
            URI uri = ex.getRequestURI();
            String base = target.toString().replaceAll("/$", "");
            String query = uri.getRawQuery() == null ? null : queryRewrite.apply(uri.getRawQuery());
            URI to = URI.create(base + uri.getRawPath() + (query == null ? "" : "?" + query));
            HttpRequest.Builder b = HttpRequest.newBuilder(to).timeout(Duration.ofSeconds(30))
                    .method(ex.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            Map<String, List<String>> reqHeaders = lowerCase(ex.getRequestHeaders());
            reqHeaders.forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name)) {
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
            } catch (IOException e) {
                ex.sendResponseHeaders(502, -1);
                return;
            }
            Map<String, List<String>> respHeaders = lowerCase(response.headers().map());
            exchanges.add(new Exchange(ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), reqHeaders,
                    requestBody, response.statusCode(), respHeaders, response.body()));
            respHeaders.forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, new ArrayList<>(values));
                }
            });
            byte[] body = response.body();
            boolean noBody = body.length == 0 || response.statusCode() == 204 || response.statusCode() == 304
                    || "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(response.statusCode(), noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>();
        headers.forEach((k, v) -> out.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
