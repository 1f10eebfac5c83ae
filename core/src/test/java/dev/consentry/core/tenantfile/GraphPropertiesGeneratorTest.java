package dev.consentry.core.tenantfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.tenantfile.generator.GraphPropertiesGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code graph-properties.tsv} is exactly what the generator derives from Graph's metadata in the
 * shared data for the types {@link GraphPropertyNames} checks, so a refreshed metadata or a new type of tenant-file
 * object cannot be forgotten. With {@code -Dconsentry.regenerate=true} it rewrites the resource instead.
 */
class GraphPropertiesGeneratorTest {
    static final Path RESOURCE = Path.of("src/main/resources/dev/consentry/core/tenantfile", GraphPropertyNames.RESOURCE);

    static Path metadata() {
        Path csdl = dev.consentry.core.tenantfile.generator.Csdl.sharedV1();
        assertThat(csdl).as("Graph's v1.0 metadata beside the repository").exists();
        return csdl;
    }

    @Test
    void committedResourceMatchesTheGeneratorOutput(@TempDir Path out) throws IOException {
        if (Boolean.getBoolean("consentry.regenerate")) {
            GraphPropertiesGenerator.generate(metadata(), GraphPropertyNames.graphRootTypes(), RESOURCE);
        }
        Path derived = out.resolve(GraphPropertyNames.RESOURCE);
        GraphPropertiesGenerator.generate(metadata(), GraphPropertyNames.graphRootTypes(), derived);
        assertThat(Files.readString(RESOURCE))
                .as(RESOURCE + " is stale: regenerate with -Dconsentry.regenerate=true")
                .isEqualTo(Files.readString(derived));
    }
}
