package dev.consentry.core.metadata;

import dev.consentry.core.tenantfile.generator.Csdl;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Derives {@link GraphMetadata#RESOURCE} from Microsoft Graph's published v1.0 metadata (CSDL): facts only, the names
 * and types of every entity, complex and enumeration type, their properties and navigation properties, the entity
 * container's singletons and entity sets, and the bound actions and functions. No descriptions, annotations or
 * documentation are carried over.
 *
 * <p>Lines (tab-separated; types sorted by name, a type's members in document order):
 * <ul>
 *   <li>{@code T name kind(E entity, C complex, N enumeration) base-or-"-" open(0|1)}</li>
 *   <li>{@code P type property csdl-type nullable(0|1)}: a structural property the type declares</li>
 *   <li>{@code N type property csdl-type}: a navigation property the type declares</li>
 *   <li>{@code M type member}: an enumeration member</li>
 *   <li>{@code S name type}, {@code E name type}: a singleton, an entity set</li>
 *   <li>{@code O name F|A binding-type}: a bound function or action</li>
 * </ul>
 * A type of Graph's main namespace is written by its bare name ({@code user}), any other by its qualified name;
 * {@code Collection(...)} keeps its form.
 *
 * <p>After refreshing the shared metadata, regenerate with {@code mvn -pl core -am test -Dtest=GraphMetadataGeneratorTest
 * -Dconsentry.regenerate=true}; the test otherwise fails whenever the committed resource differs from this output.
 */
public final class GraphMetadataGenerator {
    private GraphMetadataGenerator() {}

    public static void generate(Path csdl, Path out) throws IOException {
        Csdl metadata = Csdl.read(csdl);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(out); OutputStream gz = new GZIPOutputStream(file);
             Writer w = new OutputStreamWriter(gz, StandardCharsets.UTF_8)) {
            w.write(text(metadata));
        }
    }

    /** The resource's text (before compression) for {@code metadata}. */
    public static String text(Csdl metadata) {
        StringBuilder w = new StringBuilder();
        w.append("# Microsoft Graph v1.0 metadata facts, derived from Graph's published CSDL by GraphMetadataGenerator\n");
        for (Csdl.Type t : new TreeMap<>(metadata.types()).values()) {
            char kind = switch (t.kind()) {
                case ENTITY_TYPE -> 'E';
                case COMPLEX_TYPE -> 'C';
                case ENUM_TYPE -> 'N';
            };
            String name = GraphMetadata.shortName(t.name());
            line(w, "T", name, String.valueOf(kind), t.baseType() == null ? "-" : GraphMetadata.shortName(t.baseType()),
                    t.open() ? "1" : "0");
            t.properties().forEach((p, type) -> line(w, "P", name, p, GraphMetadata.shortName(type),
                    t.nonNullable().contains(p) ? "0" : "1"));
            t.navigationProperties().forEach((p, type) -> line(w, "N", name, p, GraphMetadata.shortName(type)));
            t.members().forEach(m -> line(w, "M", name, m));
        }
        for (Map.Entry<String, String> s : new TreeMap<>(metadata.singletons()).entrySet()) {
            line(w, "S", s.getKey(), GraphMetadata.shortName(s.getValue()));
        }
        for (Map.Entry<String, String> s : new TreeMap<>(metadata.entitySets()).entrySet()) {
            line(w, "E", s.getKey(), GraphMetadata.shortName(s.getValue()));
        }
        metadata.operations().stream()
                .map(o -> String.join("\t", "O", o.name(), o.function() ? "F" : "A", GraphMetadata.shortName(o.bindingType())))
                .distinct().sorted().forEach(l -> w.append(l).append('\n'));
        return w.toString();
    }

    private static void line(StringBuilder w, String... fields) {
        w.append(String.join("\t", fields)).append('\n');
    }
}
