package dev.consentry.core.tenantfile.generator;

import java.io.IOException;
import java.io.InputStream;
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
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

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

    /** One type of the metadata: its own properties (name to CSDL type, null for a navigation property). */
    private record Type(String name, String kind, String baseType, boolean open, Map<String, String> properties) {}

    /** Writes the resource for {@code roots} (bare or qualified type names) to {@code out}. */
    public static void generate(Path csdl, Collection<String> roots, Path out) throws IOException {
        Map<String, Type> types;
        try (InputStream in = Files.newInputStream(csdl)) {
            types = read(in);
        } catch (XMLStreamException e) {
            throw new IOException("cannot read " + csdl + ": " + e.getMessage(), e);
        }
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
            flatten(name, types).values().forEach(propertyType -> {
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
                boolean open = false;
                for (Type t = types.get(name); t != null; t = t.baseType() == null ? null : types.get(t.baseType())) {
                    open |= t.open();
                }
                if (open) {
                    w.write(shortName + "\t@open\n");
                }
                for (String d : descendants(name, children)) {
                    w.write(shortName + "\t@derived\t" + shortName(d) + "\n");
                }
                for (Map.Entry<String, String> p : new TreeMap<>(flatten(name, types)).entrySet()) {
                    String element = complexElement(p.getValue(), types);
                    String many = p.getValue() != null && p.getValue().startsWith("Collection(") ? "[]" : "";
                    w.write(shortName + "\t" + p.getKey() + (element == null ? "" : "\t" + shortName(element) + many) + "\n");
                }
            }
        }
    }

    /** Every property of {@code name}, its base types' included. */
    private static Map<String, String> flatten(String name, Map<String, Type> types) {
        Type t = types.get(name);
        Map<String, String> all = new LinkedHashMap<>();
        if (t.baseType() != null) {
            all.putAll(flatten(t.baseType(), types));
        }
        all.putAll(t.properties());
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
    private static String complexElement(String propertyType, Map<String, Type> types) {
        if (propertyType == null) {
            return null; // a navigation property
        }
        String element = propertyType.startsWith("Collection(")
                ? propertyType.substring("Collection(".length(), propertyType.length() - 1) : propertyType;
        Type t = types.get(element);
        return t != null && t.kind().equals("ComplexType") ? element : null;
    }

    private static String qualified(String name) {
        return name.indexOf('.') < 0 ? MAIN_NAMESPACE + "." + name : name;
    }

    private static String shortName(String qualified) {
        String rest = qualified.startsWith(MAIN_NAMESPACE + ".") ? qualified.substring(MAIN_NAMESPACE.length() + 1) : null;
        return rest != null && rest.indexOf('.') < 0 ? rest : qualified;
    }

    /** The entity, complex and enum types of the document, by qualified name, with type references qualified. */
    private static Map<String, Type> read(InputStream in) throws XMLStreamException {
        List<Type> raw = new ArrayList<>();
        Map<String, String> aliases = new HashMap<>();
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XMLStreamReader x = factory.createXMLStreamReader(in);
        String namespace = "";
        String name = null;
        String kind = null;
        String base = null;
        boolean open = false;
        Map<String, String> properties = null;
        while (x.hasNext()) {
            int event = x.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (x.getLocalName()) {
                    case "Schema" -> {
                        namespace = x.getAttributeValue(null, "Namespace");
                        String alias = x.getAttributeValue(null, "Alias");
                        if (alias != null) {
                            aliases.put(alias, namespace);
                        }
                    }
                    case "EntityType", "ComplexType", "EnumType" -> {
                        name = namespace + "." + x.getAttributeValue(null, "Name");
                        kind = x.getLocalName();
                        base = x.getAttributeValue(null, "BaseType");
                        open = "true".equals(x.getAttributeValue(null, "OpenType"));
                        properties = new LinkedHashMap<>();
                    }
                    case "Property" -> {
                        if (properties != null) {
                            properties.put(x.getAttributeValue(null, "Name"), x.getAttributeValue(null, "Type"));
                        }
                    }
                    case "NavigationProperty" -> {
                        if (properties != null) {
                            properties.put(x.getAttributeValue(null, "Name"), null);
                        }
                    }
                    default -> { }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && name != null && x.getLocalName().equals(kind)) {
                raw.add(new Type(name, kind, base, open, properties));
                name = null;
                properties = null;
            }
        }
        Map<String, Type> types = new HashMap<>();
        for (Type t : raw) {
            Map<String, String> props = new LinkedHashMap<>();
            t.properties().forEach((n, type) -> props.put(n, type == null ? null : resolve(type, aliases)));
            types.put(t.name(), new Type(t.name(), t.kind(), t.baseType() == null ? null : resolve(t.baseType(), aliases),
                    t.open(), props));
        }
        return types;
    }

    /** {@code graph.appRole} to {@code microsoft.graph.appRole}, inside {@code Collection(...)} too. */
    private static String resolve(String type, Map<String, String> aliases) {
        if (type.startsWith("Collection(")) {
            return "Collection(" + resolve(type.substring("Collection(".length(), type.length() - 1), aliases) + ")";
        }
        int dot = type.indexOf('.');
        String alias = dot < 0 ? null : aliases.get(type.substring(0, dot));
        return alias == null ? type : alias + type.substring(dot);
    }
}
