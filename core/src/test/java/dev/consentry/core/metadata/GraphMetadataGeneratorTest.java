package dev.consentry.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.tenantfile.generator.Csdl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The committed {@link GraphMetadata#RESOURCE} is exactly what {@link GraphMetadataGenerator} derives from Graph's
 * metadata in the shared data, so a refreshed metadata cannot be forgotten. With {@code -Dconsentry.regenerate=true}
 * it rewrites the resource instead.
 */
class GraphMetadataGeneratorTest {
    static final Path RESOURCE = Path.of("src/main/resources/dev/consentry/core/metadata", GraphMetadata.RESOURCE);

    static Path csdl() {
        Path csdl = dev.consentry.core.tenantfile.generator.Csdl.sharedV1();
        assertThat(csdl).as("Graph's v1.0 metadata beside the repository").exists();
        return csdl;
    }

    @Test
    void committedResourceMatchesTheGeneratorOutput() throws IOException {
        if (Boolean.getBoolean("consentry.regenerate")) {
            GraphMetadataGenerator.generate(csdl(), RESOURCE);
        }
        String derived = GraphMetadataGenerator.text(Csdl.read(csdl()));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(RESOURCE))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .as(RESOURCE + " is stale: regenerate with -Dconsentry.regenerate=true")
                    .isEqualTo(derived);
        }
    }
}
