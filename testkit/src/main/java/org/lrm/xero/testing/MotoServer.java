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
import java.util.concurrent.TimeUnit;

/**
 * A {@code moto_server} process on a loopback port, for the integration tests and the local run.
 * It runs through {@code moto/moto_server.py}, which fixes moto's quadratic SendMessage (see
 * there) and changes nothing else.
 */
public final class MotoServer {

    private MotoServer() {
    }

    /**
     * Starts {@code moto_server} on {@code port} (0: a free one) and waits until it answers; it is
     * stopped when the JVM exits. @return its endpoint
     */
    public static URI start(int port) {
        int chosen = port == 0 ? freePort() : port;
        try {
            Path log = Files.createTempFile("moto-server", ".log");
            Path launcher = Files.createTempFile("moto-server", ".py");
            try (var script = MotoServer.class.getResourceAsStream("/moto/moto_server.py")) {
                Files.write(launcher, script.readAllBytes());
            }
            Process process = new ProcessBuilder("python3", launcher.toString(), "-H", "127.0.0.1", "-p", Integer.toString(chosen))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            URI uri = URI.create("http://127.0.0.1:" + chosen);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!answers(uri.resolve("/moto-api/"))) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("moto_server exited: " + Files.readString(log));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("moto_server did not answer within 60 s: " + Files.readString(log));
                }
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
            return uri;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server (pip install \"moto[server]\")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Empties every resource of the moto server at {@code endpoint}. */
    public static void reset(URI endpoint) {
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

    /** Whether something answers at {@code uri} without a server error. */
    public static boolean answers(URI uri) {
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

    /** A loopback port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
