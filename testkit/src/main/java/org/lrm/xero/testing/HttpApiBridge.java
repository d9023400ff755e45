package org.lrm.xero.testing;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for API Gateway's HTTP API (payload 2.0) on 127.0.0.1: each request is matched
 * against a route table ({@code "POST /v1/xero/webhooks"}, path parameters in braces), turned into
 * the event API Gateway would deliver (raw body, base64 for bodies that are not UTF-8 text,
 * headers lower-cased, query parameters, the Cookie header's cookies in {@code cookies}) and handed to
 * the route's handler; its response is written back (its {@code cookies} as Set-Cookie headers). No
 * route: 404. No JWT authorizer: routes that need one are for the local gateway.
 * The platform's size limits apply before the handler is called, with the platform's answers: a
 * body over API Gateway's 10 MB, and an event over Lambda's 6 MB synchronous invocation payload.
 * A greedy path parameter ({@code /console/{path+}}) takes the rest of the path, as API Gateway's.
 * {@link #prepare} knows its address before it listens, so that what is behind it can be set up
 * with its URL and the port opened ({@link #open}) only when all of it is ready.
 */
public final class HttpApiBridge implements AutoCloseable {

    private record Route(String method, Pattern path, List<String> params, String routeKey,
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final int port;
    private HttpServer server;

    private HttpApiBridge(int port) {
        this.port = port;
    }

    public static HttpApiBridge start() {
        return start(0);
    }

    /** On a given loopback port (0: a free one), as the local run's gateway on 127.0.0.1:3000. */
    public static HttpApiBridge start(int port) {
        return new HttpApiBridge(port).open();
    }

    /**
     * A bridge whose address is known but which does not listen until {@link #open()}: on
     * {@code port}, or with 0 on a loopback port free now (another process could take it before
     * the bridge opens; on this machine's loopback that is the tests' own business).
     */
    public static HttpApiBridge prepare(int port) {
        if (port != 0) {
            return new HttpApiBridge(port);
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new HttpApiBridge(probe.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** Starts listening; from now on requests are served. */
    public synchronized HttpApiBridge open() {
        if (server != null) {
            throw new IllegalStateException("already open on " + baseUri());
        }
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            created.setExecutor(Executors.newFixedThreadPool(8));
            created.createContext("/", this::serve);
            created.start();
            server = created;
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    public synchronized boolean isOpen() {
        return server != null;
    }

    /** Adds a route, e.g. {@code route("POST /v1/xero/webhooks", new WebhookReceiverHandler(...))}. */
    public HttpApiBridge route(String routeKey, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        String[] parts = routeKey.split(" ", 2);
        List<String> params = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(parts[1]);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            boolean greedy = m.group(1).endsWith("+");
            regex.append(Pattern.quote(parts[1].substring(last, m.start()))).append(greedy ? "(.+)" : "([^/]+)");
            params.add(greedy ? m.group(1).substring(0, m.group(1).length() - 1) : m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(parts[1].substring(last)));
        routes.add(new Route(parts[0], Pattern.compile(regex.toString()), params, routeKey, handler));
        return this;
    }

    public synchronized URI baseUri() {
        return URI.create("http://127.0.0.1:" + (server == null ? port : server.getAddress().getPort()));
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            for (Route route : routes) {
                Matcher m = route.path().matcher(path);
                if (route.method().equals(method) && m.matches()) {
                    Map<String, String> params = new LinkedHashMap<>();
                    for (int i = 0; i < route.params().size(); i++) {
                        params.put(route.params().get(i), java.net.URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                    }
                    byte[] raw = exchange.getRequestBody().readAllBytes();
                    if (raw.length > PlatformLimits.API_GATEWAY_MAX_BODY_BYTES) {
                        write(exchange, PlatformLimits.bodyTooLarge());
                        return;
                    }
                    APIGatewayV2HTTPEvent event = event(exchange, route, params, raw);
                    if (PlatformLimits.invocationBytes(event) > PlatformLimits.LAMBDA_MAX_SYNC_REQUEST_BYTES) {
                        write(exchange, PlatformLimits.eventTooLarge());
                        return;
                    }
                    write(exchange, route.handler().handleRequest(event, null));
                    return;
                }
            }
            exchange.sendResponseHeaders(404, -1);
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private APIGatewayV2HTTPEvent event(HttpExchange exchange, Route route, Map<String, String> params, byte[] raw) {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        // Payload 2.0 moves the Cookie headers into the event's cookies, one entry per cookie.
        String cookieHeader = headers.remove("cookie");
        List<String> cookies = new ArrayList<>();
        if (cookieHeader != null) {
            for (String cookie : cookieHeader.split("[;,]")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.trim());
                }
            }
        }
        boolean text = isText(headers.get("content-type"), raw);
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, String> queryParams = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                queryParams.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        String host = headers.getOrDefault("host", "127.0.0.1");
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(route.method())
                        .withPath(exchange.getRequestURI().getRawPath())
                        .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress()).build())
                .withRouteKey(route.routeKey()).withDomainName(host).withStage("$default")
                .withRequestId(UUID.randomUUID().toString()).build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(route.routeKey())
                .withRawPath(exchange.getRequestURI().getRawPath()).withRawQueryString(query == null ? "" : query)
                .withPathParameters(params.isEmpty() ? null : params)
                .withQueryStringParameters(queryParams.isEmpty() ? null : queryParams)
                .withHeaders(headers).withCookies(cookies.isEmpty() ? null : cookies)
                .withBody(raw.length == 0 ? null : text ? new String(raw, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(raw))
                .withIsBase64Encoded(raw.length > 0 && !text)
                .withRequestContext(context).build();
    }

    /** API Gateway passes text content types as they are and base64-encodes the rest. */
    private static boolean isText(String contentType, byte[] raw) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean textual = type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("x-www-form-urlencoded");
        return textual && isUtf8(raw);
    }

    private static boolean isUtf8(byte[] raw) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie));
        }
        byte[] body = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.getStatusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
