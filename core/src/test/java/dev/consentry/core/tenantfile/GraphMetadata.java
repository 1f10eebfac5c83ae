package dev.consentry.core.tenantfile;

import dev.consentry.core.tenantfile.generator.Csdl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The structural properties of Microsoft Graph's v1.0 types, read from the CSDL in {@code shared/data/graph-metadata}
 * beside the repository. Tests only: the product never reads this file.
 */
final class GraphMetadata {
    private final Csdl csdl;

    private GraphMetadata(Csdl csdl) {
        this.csdl = csdl;
    }

    /** Found by walking up from the working directory, as the other shared-data tests do. */
    static GraphMetadata v1() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("shared/data/graph-metadata/v1.0.csdl");
            if (Files.isRegularFile(f)) {
                try {
                    return new GraphMetadata(Csdl.read(f));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + f, e);
                }
            }
        }
        throw new IllegalStateException("shared/data/graph-metadata/v1.0.csdl is not beside the repository");
    }

    /** {@code graph.appRole} to {@code microsoft.graph.appRole}; a bare name is one of {@code microsoft.graph}. */
    String qualified(String name) {
        return name.indexOf('.') < 0 ? "microsoft.graph." + name : csdl.resolve(name);
    }

    /** Every structural property of {@code type}, its base types' first, name to qualified CSDL type. */
    Map<String, String> properties(String type) {
        Map<String, String> all = new LinkedHashMap<>();
        csdl.lineage(qualified(type)).forEach(t -> all.putAll(t.properties()));
        return all;
    }

    /** The type of that name (qualified, aliased or bare), or null. */
    Csdl.Type type(String name) {
        return csdl.types().get(qualified(name));
    }
}
