package dev.consentry.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Microsoft's published data in {@code ../shared/data} beside the repository (tests may read it; the product does not). */
public final class SharedData {
    private SharedData() {}

    /** {@code graph-permissions/permissions.json}, found by walking up from the working directory. */
    public static Path permissionsFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("shared/data/graph-permissions/permissions.json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("../shared/data/graph-permissions/permissions.json is not beside the repository");
    }

    /** {@code graph-permissions/permissions-descriptions.json}, beside {@link #permissionsFile()}. */
    public static Path descriptionsFile() {
        return permissionsFile().resolveSibling("permissions-descriptions.json");
    }
}
