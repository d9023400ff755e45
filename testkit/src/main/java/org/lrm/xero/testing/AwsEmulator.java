package org.lrm.xero.testing;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.lrm.xero.adapter.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A real AWS API emulator for integration tests, shared by every test class of the JVM and reset
 * before each class. Which emulator:
 * <ul>
 *   <li>{@code AWS_ENDPOINT_URL} set: that endpoint (a LocalStack or moto the user runs);</li>
 *   <li>system property {@code aws.emulator=localstack}: LocalStack through Testcontainers (needs Docker);</li>
 *   <li>otherwise: {@code moto_server}, started here on a free loopback port.</li>
 * </ul>
 * Tests get their own AWS clients from {@link #clients()}, through the project's own factory: the
 * account root's (moto started here checks IAM, see {@link MotoServer}); functions get theirs from
 * their roles ({@link org.lrm.xero.testing.iam.FunctionRoles}).
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
            isMoto = MotoServer.answers(endpoint.resolve("/moto-api/"));
        } else if ("localstack".equalsIgnoreCase(System.getProperty("aws.emulator"))) {
            endpoint = LocalStackEmulator.start();
            isMoto = false;
        } else {
            endpoint = MotoServer.start(0);
            isMoto = true;
            clients = new AwsClients(REGION, Optional.of(endpoint), StaticCredentialsProvider.create(MotoServer.ROOT));
            return endpoint;
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
        MotoServer.reset(endpoint);
    }
}
