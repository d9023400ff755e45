package org.lrm.xero.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and the read-only shared documents are, from any module's working directory. */
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

    /**
     * Xero's official OpenAPI documents: {@code -Dxero.openapi.dir}, else {@code <root>/../shared/xero-openapi}
     * (as CI lays it out), else the nearest {@code shared/xero-openapi} further up (a git worktree
     * kept in another folder).
     */
    public static Path xeroOpenApi() {
        String override = System.getProperty("xero.openapi.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        Path root = root();
        for (Path d = root.getParent(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("xero-openapi");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return root.resolveSibling("shared").resolve("xero-openapi");
    }
}
