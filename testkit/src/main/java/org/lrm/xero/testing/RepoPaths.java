package org.lrm.xero.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, from any module's working directory. */
public final class RepoPaths {

    private RepoPaths() {
    }

    /** The repository root: the nearest directory upwards whose pom.xml lists the functions module. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<module>functions</module>")) {
                    return p;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no repository root above " + dir);
    }
}
