package org.lrm.xero.adapter.xero;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in that answers every request with one canned response (or, first, the responses queued
 * with {@link #answerInTurn}), for tests of what Xero never sends; it keeps each request it got.
 */
final class CannedXero implements AutoCloseable {

    /**
     * A request as received: the request line and the headers the tests look at.
     *
     * @param query decoded
     * @param rawQuery as sent (percent-encoded), what Xero's front door measures
     */
    record Request(String method, String path, String query, Map<String, String> headers, String rawQuery) {
    }

    private static final List<String> HEADERS = List.of("xero-tenant-id", "If-Modified-Since", "Idempotency-Key",
            "Authorization", "Accept");

    record Response(int status, Map<String, String> headers, byte[] body) {
        static Response json(int status, String body) {
            return new Response(status, Map.of("Content-Type", "application/json; charset=utf-8"),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        Response with(String header, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(header, value);
            return new Response(status, h, body);
        }
    }

    private final HttpServer server;
    private volatile Response next = Response.json(200, "{}");
    private volatile long delayMillis;
    private final Deque<Response> inTurn = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    CannedXero() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                Map<String, String> headers = new LinkedHashMap<>();
                HEADERS.forEach(h -> {
                    String v = ex.getRequestHeaders().getFirst(h);
                    if (v != null) {
                        headers.put(h, v);
                    }
                });
                requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getQuery(),
                        headers, ex.getRequestURI().getRawQuery()));
                if (delayMillis > 0) {
                    try {
                        Thread.sleep(delayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                Response queued = inTurn.poll();
                Response r = queued != null ? queued : next;
                r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                boolean empty = r.body().length == 0 || r.status() == 204 || r.status() == 304;
                ex.sendResponseHeaders(r.status(), empty ? -1 : r.body().length);
                if (!empty) {
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(r.body());
                    }
                }
            }
        });
        server.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    CannedXero answer(Response response) {
        this.next = response;
        return this;
    }

    CannedXero answerJson(int status, String body) {
        return answer(Response.json(status, body));
    }

    /** These responses first, one per request, then the canned one again. */
    CannedXero answerInTurn(Response... responses) {
        inTurn.addAll(List.of(responses));
        return this;
    }

    /** The requests received since the last {@link #clear()}. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    void clear() {
        requests.clear();
        inTurn.clear();
    }

    CannedXero delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
