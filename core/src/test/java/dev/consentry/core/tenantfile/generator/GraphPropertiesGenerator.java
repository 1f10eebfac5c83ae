package dev.consentry.core.tenantfile.generator;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Derives {@code graph-properties.tsv}, the property names of the Microsoft Graph v1.0 types a tenant file holds, from
 * Graph's published metadata (CSDL). Facts only: type names, property and navigation property names, which complex
 * type a property's value has, which types are open and which derive from which.
 *
 * <p>Which types: the given roots (the types of the tenant file's objects), every type derived from one of them, and,
 * repeatedly, the complex type of every structural property of a type already taken (a user's {@code passwordProfile},
 * a message's {@code from} and its {@code emailAddress}). The entity types behind navigation properties are not
 * followed: their names are listed, their values are not checked.
 *
 * <p>Each type is written with everything it inherits, so a reader needs no base types. Lines, sorted by type:
 * {@code type TAB property [TAB complex type of the value]}, {@code type TAB @open} for an open type, and
 * {@code type TAB @derived TAB subtype} for each type derived from it, directly or not. A type of Graph's main
 * namespace is written by its bare name ({@code user}); any other by its qualified name.
 *
 * <p>After refreshing the shared metadata, regenerate with {@code mvn -pl core test -Dtest=GraphPropertiesGeneratorTest
 * -Dconsentry.regenerate=true}; the test otherwise fails whenever the committed resource differs from this output.
 */
public final class GraphPropertiesGenerator {
    static final String MAIN_NAMESPACE = "microsoft.graph";

    private GraphPropertiesGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: GraphPropertiesGenerator <v1.0.csdl> <output file> <root type>...");
            System.exit(2);
        }
        generate(Path.of(args[0]), List.of(args).subList(2, args.length), Path.of(args[1]));
    }

    /** Writes the resource for {@code roots} (bare or qualified type names) to {@code out}. */
    public static void generate(Path csdl, Collection<String> roots, Path out) throws IOException {
        Csdl metadata = Csdl.read(csdl);
        Map<String, Csdl.Type> types = metadata.types();
        Map<String, List<String>> children = new HashMap<>();
        types.values().forEach(t -> {
            if (t.baseType() != null) {
                children.computeIfAbsent(t.baseType(), k -> new ArrayList<>()).add(t.name());
            }
        });

        TreeSet<String> taken = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>();
        for (String root : roots) {
            String q = qualified(root);
            if (!types.containsKey(q)) {
                throw new IllegalArgumentException("the metadata has no type " + root);
            }
            pending.add(q);
        }
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (!taken.add(name)) {
                continue;
            }
            pending.addAll(children.getOrDefault(name, List.of()));
            flatten(name, metadata).values().forEach(propertyType -> {
                String element = complexElement(propertyType, types);
                if (element != null) {
                    pending.add(element);
                }
            });
        }

        Files.createDirectories(out.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("# Microsoft Graph v1.0 property names of the types a tenant file holds (derived from Graph's metadata;\n");
            w.write("# see GraphPropertiesGenerator). type TAB property [TAB complex type of its value, [] for an array of them];"
                    + " type TAB @open; type TAB @derived TAB subtype\n");
            for (String name : taken) {
                String shortName = shortName(name);
                if (metadata.lineage(name).stream().anyMatch(Csdl.Type::open)) {
                    w.write(shortName + "\t@open\n");
                }
                for (String d : descendants(name, children)) {
                    w.write(shortName + "\t@derived\t" + shortName(d) + "\n");
                }
                for (Map.Entry<String, String> p : new TreeMap<>(flatten(name, metadata)).entrySet()) {
                    String element = complexElement(p.getValue(), types);
                    String many = p.getValue() != null && p.getValue().startsWith("Collection(") ? "[]" : "";
                    w.write(shortName + "\t" + p.getKey() + (element == null ? "" : "\t" + shortName(element) + many) + "\n");
                }
            }
        }
    }

    /** Every property of {@code name}, its base types' included: name to CSDL type, null for a navigation property. */
    private static Map<String, String> flatten(String name, Csdl metadata) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Csdl.Type t : metadata.lineage(name)) {
            all.putAll(t.properties());
            t.navigationProperties().keySet().forEach(navigation -> all.put(navigation, null));
        }
        return all;
    }

    /** Every type derived from {@code name}, directly or not, sorted. */
    private static TreeSet<String> descendants(String name, Map<String, List<String>> children) {
        TreeSet<String> out = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(children.getOrDefault(name, List.of()));
        while (!pending.isEmpty()) {
            String d = pending.pop();
            if (out.add(d)) {
                pending.addAll(children.getOrDefault(d, List.of()));
            }
        }
        return out;
    }

    /** The qualified complex type of a structural property's value (or of its elements), else null. */
    private static String complexElement(String propertyType, Map<String, Csdl.Type> types) {
        if (propertyType == null) {
            return null; // a navigation property
        }
        String element = propertyType.startsWith("Collection(")
                ? propertyType.substring("Collection(".length(), propertyType.length() - 1) : propertyType;
        Csdl.Type t = types.get(element);
        return t != null && t.kind() == Csdl.Kind.COMPLEX_TYPE ? element : null;
    }

    private static String qualified(String name) {
        return name.indexOf('.') < 0 ? MAIN_NAMESPACE + "." + name : name;
    }

    private static String shortName(String qualified) {
        String rest = qualified.startsWith(MAIN_NAMESPACE + ".") ? qualified.substring(MAIN_NAMESPACE.length() + 1) : null;
        return rest != null && rest.indexOf('.') < 0 ? rest : qualified;
    }
}
