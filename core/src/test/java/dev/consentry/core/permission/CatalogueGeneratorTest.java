package dev.consentry.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.permission.generator.CatalogueGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed catalogue resources are exactly what the generator derives from the shared data, so
 * nobody forgets to regenerate. With {@code -Dconsentry.regenerate=true} it rewrites them instead.
 */
class CatalogueGeneratorTest {
    static final Path RESOURCES = Path.of("src/main/resources/dev/consentry/core/permission");

    static Path sharedData() {
        String dir = System.getProperty("consentry.shared.dir", "../../shared");
        Path data = Path.of(dir, "data", "graph-permissions");
        assertThat(data.resolve("permissions.json")).as("Microsoft's permission data beside the repository").exists();
        return data;
    }

    @Test
    void committedResourcesMatchTheGeneratorOutput(@TempDir Path out) throws IOException {
        if (Boolean.getBoolean("consentry.regenerate")) {
            CatalogueGenerator.generate(sharedData(), RESOURCES);
        }
        CatalogueGenerator.generate(sharedData(), out);
        for (String file : List.of("graph-permissions.tsv", "graph-paths.tsv.gz", "directory-roles.tsv",
                "password-reset.tsv")) {
            assertThat(Files.readAllBytes(RESOURCES.resolve(file)))
                    .as(file + " is stale: regenerate (docs/catalogue.md)")
                    .isEqualTo(Files.readAllBytes(out.resolve(file)));
        }
    }
}
