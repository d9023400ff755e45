package org.lrm.xero.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout is the architecture: these rules keep it so as the code grows. The domain is plain
 * Java (no AWS, no HTTP, no handler or store); use cases never reach for an AWS SDK client; only
 * handlers know about Lambda events.
 */
class LayeringTest {

    private static final Path MAIN = Path.of("src/main/java/org/lrm/xero");

    @Test
    void theDomainImportsNoAwsNoHttpAndNoOuterLayer() throws IOException {
        assertThat(importsIn("domain", "software.amazon.", "com.amazonaws.", "java.net.http.", "com.sun.net.httpserver",
                "org.lrm.xero.adapter.aws.", "org.lrm.xero.app.", "org.lrm.xero.handler.", "org.lrm.xero.http."))
                .isEmpty();
    }

    @Test
    void useCasesDoNotTouchTheAwsSdkOrLambdaEvents() throws IOException {
        assertThat(importsIn("app", "software.amazon.", "com.amazonaws.", "org.lrm.xero.adapter.aws.",
                "org.lrm.xero.handler.")).isEmpty();
    }

    @Test
    void adaptersDoNotDependOnHandlers() throws IOException {
        assertThat(importsIn("adapter", "org.lrm.xero.handler.", "com.amazonaws.services.lambda.runtime.events.APIGateway"))
                .isEmpty();
    }

    /** Each import in {@code layer} that starts with one of {@code forbidden}, as "File: import". */
    private static List<String> importsIn(String layer, String... forbidden) throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve(layer))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String l = line.strip();
                    if (!l.startsWith("import ")) {
                        continue;
                    }
                    String imported = l.substring("import ".length()).replace("static ", "");
                    for (String prefix : forbidden) {
                        if (imported.startsWith(prefix)) {
                            offences.add(MAIN.relativize(file) + ": " + l);
                        }
                    }
                }
            }
        }
        return offences;
    }
}
