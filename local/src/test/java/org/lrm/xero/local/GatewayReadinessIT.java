package org.lrm.xero.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * What a script that waits for the gateway's port and then connects meets: the port accepts only
 * once everything behind it is ready, so its very first requests are served in full (the app is
 * registered in Xero's sandbox, so the first authorize finds it; the routes, the console and the
 * token desk answer), and the run says so.
 */
class GatewayReadinessIT {

    private static final String SECRET = "readiness-secret";

    @Test
    void aClientThatConnectsTheMomentThePortAcceptsGetsNoErrorFromAHalfStartedRun() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ExecutorService starter = Executors.newSingleThreadExecutor();
        Future<LocalRun> starting = starter.submit(() -> LocalRun.start(new LocalOptions(port, 0, 0,
                System.getenv("AWS_ENDPOINT_URL"), false, 0, SECRET), new PrintStream(console, true, StandardCharsets.UTF_8)));
        LocalRun run = null;
        try {
            // As a script would: try the port until it accepts (a refused connect answers at once).
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            int refused = 0;
            while (!accepts(port)) {
                refused++;
                assertThat(Instant.now()).as("the gateway's port never opened").isBefore(deadline);
                if (starting.isDone()) {
                    starting.get(); // a failed start fails here with its cause
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertThat(refused).as("the port was tried before it opened").isPositive();

            // The first requests, at once: each is served, none meets a half-started run.
            URI base = URI.create("http://127.0.0.1:" + port);
            String admin = new Jwt(SECRET).forUser(LocalRun.ORG, "admin", "admin-user", null, Instant.now(), Duration.ofHours(1));
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> connection = http.send(HttpRequest.newBuilder(base.resolve("/v1/xero/connection"))
                    .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(connection.statusCode()).as(connection.body()).isEqualTo(200);
            assertThat(connection.body()).contains("DISCONNECTED");

            String returnTo = URLEncoder.encode(base + "/", StandardCharsets.UTF_8);
            HttpResponse<String> connect = http.send(HttpRequest.newBuilder(base.resolve("/v1/xero/connect?returnTo=" + returnTo))
                    .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(connect.statusCode()).as(connect.body()).isEqualTo(302);
            HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(URI.create(connect.headers()
                    .firstValue("location").orElseThrow())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(authorize.body()).as("Xero's authorize page knows the app").doesNotContain("unauthorized_client");
            assertThat(authorize.statusCode()).isEqualTo(200);
            assertThat(authorize.body()).contains("Allow access");

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<main id=\"main\"");
            HttpResponse<String> desk = http.send(HttpRequest.newBuilder(base.resolve("/local/tokens")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(desk.body()).contains("\"operator\"");

            run = starting.get(2, TimeUnit.MINUTES);
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("Ready in ", "the gateway listens on " + base);
        } finally {
            if (run == null) {
                try {
                    run = starting.get(2, TimeUnit.MINUTES);
                } catch (Exception failedToStart) {
                    // reported by the assertions above
                }
            }
            if (run != null) {
                run.close();
            }
            starter.shutdownNow();
        }
    }

    private static boolean accepts(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }
}
