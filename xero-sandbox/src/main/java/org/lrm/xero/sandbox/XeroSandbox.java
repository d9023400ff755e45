package org.lrm.xero.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stateful stand-in for Xero on loopback: identity (login.xero.com and identity.xero.com), connections
 * (api.xero.com/connections) and the Accounting API (api.xero.com/api.xro/2.0), plus a {@code /sandbox} admin surface.
 * This class starts and stops the server and routes each request to the surface that answers it.
 */
public final class XeroSandbox implements AutoCloseable {

    /** A surface's answer to one routed request. */
    private interface Handler { Resp handle(Request r) throws Exception; }

    private final HttpServer server;
    private final ExecutorService pool;
    private final ScheduledExecutorService background;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Webhooks webhooks;
    private final ContractChecks contract = new ContractChecks();
    private final Router<Handler> routes = new Router<>();

    private XeroSandbox(int port) throws IOException {
        SandboxClock clock = new SandboxClock();
        Tenants tenants = new Tenants();
        Identity identity = new Identity(clock, tenants);
        Faults faults = new Faults(closed);
        RateLimits limits = new RateLimits();
        webhooks = new Webhooks(clock, identity, faults::forWebhooks);
        Accounting accounting = new Accounting(clock, webhooks);
        AccountingGateway api = new AccountingGateway(clock, identity, tenants, limits, faults, accounting);
        Connections connections = new Connections(clock, identity, limits);
        SandboxAdmin admin = new SandboxAdmin(clock, identity, tenants, accounting, faults, webhooks, contract);
        routes.on("*", "/sandbox/**", admin::handle)
              .on("GET", "/identity/connect/authorize", identity::authorize)
              .on("POST", "/identity/connect/authorize", identity::consent)
              .on("POST", "/connect/token", down(clock, faults, tenants, identity::token))
              .on("POST", "/connect/revocation", down(clock, faults, tenants, identity::revoke))
              .on("*", "/connections/**", down(clock, faults, tenants, connections::handle))
              .on("*", "/api.xro/2.0/**", down(clock, faults, tenants, api::handle));

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        pool = Executors.newFixedThreadPool(64, r -> { Thread t = new Thread(r, "xero-sandbox-http"); t.setDaemon(true); return t; });
        server.setExecutor(pool);
        server.createContext("/", this::exchange);
        background = Executors.newSingleThreadScheduledExecutor(r -> { Thread t = new Thread(r, "xero-sandbox-webhooks"); t.setDaemon(true); return t; });
    }

    /**
     * {@code handler}, unless Xero is down ({@code outageUntil}): then 503 before anything is checked or counted,
     * as a Xero outage answers every service the integration calls (API, token endpoint, connections).
     */
    private static Handler down(SandboxClock clock, Faults faults, Tenants tenants, Handler handler) {
        return r -> {
            if (!faults.current().outageAt(clock.now())) return handler.handle(r);
            Tenant t = tenants.find(r.header("xero-tenant-id"));
            if (t != null) t.stats.faultInjected("outage");
            return XeroError.outage(true);
        };
    }

    /** Starts a sandbox on 127.0.0.1 ({@code port} 0 = any free port). */
    public static XeroSandbox start(int port) {
        try {
            XeroSandbox s = new XeroSandbox(port);
            s.server.start();
            s.background.scheduleWithFixedDelay(s.webhooks::deliverInBackground, 500, 500, TimeUnit.MILLISECONDS);
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
        contract.close();
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

    private void exchange(HttpExchange ex) throws IOException {
        Resp resp;
        Request r = null;
        try {
            r = Request.read(ex);
            Router.Routed<Handler> routed = routes.route(r).orElseThrow(XeroError::notFound);
            resp = routed.handler().handle(routed.request());
        } catch (XeroError e) {
            resp = e.resp;
        } catch (MalformedRequest e) {
            resp = XeroError.badRequest(e.getMessage()).resp;
        } catch (Exception e) {
            resp = XeroError.sandboxBug(e);
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
            if (r != null) contract.record(r, resp);
        }
    }
}
