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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * A {@code moto_server} process on a loopback port, for the integration tests and the local run.
 * It runs through {@code moto/moto_server.py}, which brings moto closer to AWS (see there), with
 * moto's IAM checks on from the first request ({@code INITIAL_NO_AUTH_ACTION_COUNT=0}): a call is
 * signed by a role and allowed by its policies, or refused as AWS refuses it. The account's root,
 * {@link #ROOT}, may do everything: the test set-up and the local run's own calls use it.
 */
public final class MotoServer {

    /** The account root's keys: moto knows no IAM user yet when the set-up creates the stack. */
    public static final AwsBasicCredentials ROOT = AwsBasicCredentials.create("testing", "testing");

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
            ProcessBuilder builder = new ProcessBuilder("python3", launcher.toString(), "-H", "127.0.0.1", "-p", Integer.toString(chosen))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", "0");
            builder.environment().put("LRM_MOTO_ROOT_ACCESS_KEY", ROOT.accessKeyId());
            builder.environment().put("LRM_MOTO_ROOT_SECRET_KEY", ROOT.secretAccessKey());
            Process process = builder.start();
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
