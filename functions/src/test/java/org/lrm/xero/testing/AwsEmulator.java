package org.lrm.xero.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.lrm.xero.adapter.aws.AwsClients;
import software.amazon.awssdk.regions.Region;

/**
 * A real AWS API emulator for integration tests, shared by every test class of the JVM and reset
 * before each class. Which emulator:
 * <ul>
 *   <li>{@code AWS_ENDPOINT_URL} set: that endpoint (a LocalStack or moto the user runs);</li>
 *   <li>system property {@code aws.emulator=localstack}: LocalStack through Testcontainers (needs Docker);</li>
 *   <li>otherwise: {@code moto_server}, started here on a free loopback port.</li>
 * </ul>
 * Tests get their AWS clients from {@link #clients()}, i.e. through the project's own factory.
 */
public final class AwsEmulator implements BeforeAllCallback {

    public static final Region REGION = Region.US_EAST_1;

    private static URI endpoint;
    private static boolean isMoto;
    private static AwsClients clients;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
        reset();
    }

    /** The emulator's endpoint, starting it on first use. */
    public static synchronized URI start() {
        if (endpoint != null) {
            return endpoint;
        }
        String external = System.getenv("AWS_ENDPOINT_URL");
        if (external != null && !external.isBlank()) {
            endpoint = URI.create(external);
            isMoto = answers(endpoint.resolve("/moto-api/"));
        } else if ("localstack".equalsIgnoreCase(System.getProperty("aws.emulator"))) {
            endpoint = LocalStackEmulator.start();
            isMoto = false;
        } else {
            endpoint = startMoto();
            isMoto = true;
        }
        clients = AwsClients.forEmulator(endpoint, REGION);
        return endpoint;
    }

    public static synchronized AwsClients clients() {
        start();
        return clients;
    }

    /** Empties every resource of the emulator (moto only; LocalStack tests use fresh names). */
    public static synchronized void reset() {
        if (!isMoto) {
            return;
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto reset answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI startMoto() {
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-server", ".log");
            Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            URI uri = URI.create("http://127.0.0.1:" + port);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!answers(uri.resolve("/moto-api/"))) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("moto_server exited: " + Files.readString(log));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("moto_server did not answer within 60 s: " + Files.readString(log));
                }
                process.waitFor(Duration.ofMillis(100).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            return uri;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server (pip install \"moto[server]\")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean answers(URI uri) {
        try {
            HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() < 500;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
