package org.lrm.xero.testing;

import java.net.URI;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in Docker through Testcontainers, for machines that have a Docker engine
 * ({@code -Daws.emulator=localstack}). Not the default: the CI machine has no Docker.
 */
final class LocalStackEmulator {

    private LocalStackEmulator() {
    }

    static URI start() {
        LocalStackContainer container = new LocalStackContainer(
                DockerImageName.parse(System.getProperty("localstack.image", "localstack/localstack:4")));
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return container.getEndpoint();
    }
}
