package dev.consentry.core.tenantfile.generator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The entity, complex and enumeration types of an OData CSDL XML document, such as Microsoft Graph's published
 * metadata, by namespace-qualified name. Tests and tooling only: the product never reads CSDL.
 *
 * <p>Follows OData CSDL XML 4.01 (schemas, entity, complex and enumeration types): a type's name is its schema's
 * {@code Namespace} plus its {@code Name}. A type reference may be written with any schema's {@code Alias}; every
 * reference here (base types and property types) is given with the alias replaced by its namespace, so it is a key of
 * {@link #types()} or a primitive such as {@code Edm.String}.
 *
 * <p>Also read: the entity container's singletons and entity sets (OData CSDL XML 4.01, section 13) and every bound
 * action and function with the type of its binding parameter (sections 12.1 and 12.2), which together say which URL
 * paths a service answers.
 *
 * @param types every type of the document by qualified name; unmodifiable
 * @param aliases each schema alias to its namespace; empty when no schema declares one; unmodifiable
 * @param singletons each singleton of the entity container to its qualified type; unmodifiable
 * @param entitySets each entity set of the entity container to its qualified entity type; unmodifiable
 * @param operations every bound action and function, in document order; unmodifiable
 */
public record Csdl(Map<String, Type> types, Map<String, String> aliases, Map<String, String> singletons,
                   Map<String, String> entitySets, List<Operation> operations) {
    private static final String COLLECTION = "Collection(";

    /** Which CSDL element declared the type. */
    public enum Kind {
        ENTITY_TYPE,
        COMPLEX_TYPE,
        ENUM_TYPE;

        static Kind of(String element) {
            return switch (element) {
                case "EntityType" -> ENTITY_TYPE;
                case "ComplexType" -> COMPLEX_TYPE;
                case "EnumType" -> ENUM_TYPE;
                default -> null;
            };
        }
    }

    /**
     * One type as its element declares it, without what it inherits.
     *
     * @param name the qualified name
     * @param kind which element declared it
     * @param baseType the qualified base type; null when it has none
     * @param open whether it is declared {@code OpenType="true"}
     * @param properties its structural properties in document order, name to qualified CSDL type ({@code
     *     Collection(...)} for many values); empty for an enumeration type; unmodifiable
     * @param navigationProperties its navigation properties in document order, name to qualified type ({@code
     *     Collection(...)} for many); often empty; unmodifiable
     * @param nonNullable the structural properties declared {@code Nullable="false"}; unmodifiable
     * @param members the names of an enumeration type's members in document order; empty for any other kind;
     *     unmodifiable
     */
    public record Type(String name, Kind kind, String baseType, boolean open, Map<String, String> properties,
            Map<String, String> navigationProperties, Set<String> nonNullable, List<String> members) {}

    /**
     * A bound action or function.
     *
     * @param name its name, without namespace
     * @param function whether it is a function (invoked with parentheses, no side effects) rather than an action
     * @param bindingType the qualified type of its binding parameter, {@code Collection(...)} when bound to a collection
     */
    public record Operation(String name, boolean function, String bindingType) {}

    /**
     * Graph's v1.0 metadata in the shared data beside the repository ({@code consentry.shared.dir}, by default
     * {@code ../../shared} from a module), which the generators read.
     */
    public static Path sharedV1() {
        String dir = System.getProperty("consentry.shared.dir", "../../shared");
        return Path.of(dir, "data", "graph-metadata", "v1.0.csdl");
    }

    /** Reads the document at {@code csdl}; a malformed document is an {@link IOException} naming the file. */
    public static Csdl read(Path csdl) throws IOException {
        try (InputStream in = Files.newInputStream(csdl)) {
            return read(in);
        } catch (XMLStreamException e) {
            throw new IOException("cannot read " + csdl + ": " + e.getMessage(), e);
        }
    }

    /** Reads a document from {@code in}, which is left open. DTDs are not processed. */
    public static Csdl read(InputStream in) throws XMLStreamException {
        List<Type> declared = new ArrayList<>();
        Map<String, String> aliases = new HashMap<>();
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XMLStreamReader x = factory.createXMLStreamReader(in);
        String namespace = "";
        String name = null;
        String element = null;
        String base = null;
        boolean open = false;
        Map<String, String> properties = null;
        Map<String, String> navigation = null;
        Set<String> nonNullable = null;
        List<String> members = null;
        Map<String, String> singletons = new LinkedHashMap<>();
        Map<String, String> entitySets = new LinkedHashMap<>();
        List<Operation> operations = new ArrayList<>();
        String operation = null;
        boolean function = false;
        boolean bound = false;
        String binding = null;
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
                        element = x.getLocalName();
                        base = x.getAttributeValue(null, "BaseType");
                        open = "true".equals(x.getAttributeValue(null, "OpenType"));
                        properties = new LinkedHashMap<>();
                        navigation = new LinkedHashMap<>();
                        nonNullable = new HashSet<>();
                        members = new ArrayList<>();
                    }
                    case "Singleton" -> singletons.put(x.getAttributeValue(null, "Name"), x.getAttributeValue(null, "Type"));
                    case "EntitySet" -> entitySets.put(x.getAttributeValue(null, "Name"),
                            x.getAttributeValue(null, "EntityType"));
                    case "Action", "Function" -> {
                        operation = x.getAttributeValue(null, "Name");
                        function = x.getLocalName().equals("Function");
                        bound = "true".equals(x.getAttributeValue(null, "IsBound"));
                        binding = null;
                    }
                    case "Parameter" -> {
                        if (operation != null && bound && binding == null) {
                            binding = x.getAttributeValue(null, "Type");
                        }
                    }
                    // Outside a type (name == null) these elements are not a type's: skip them.
                    case "Property" -> {
                        if (name != null) {
                            properties.put(x.getAttributeValue(null, "Name"), x.getAttributeValue(null, "Type"));
                            if ("false".equals(x.getAttributeValue(null, "Nullable"))) {
                                nonNullable.add(x.getAttributeValue(null, "Name"));
                            }
                        }
                    }
                    case "NavigationProperty" -> {
                        if (name != null) {
                            navigation.put(x.getAttributeValue(null, "Name"), x.getAttributeValue(null, "Type"));
                        }
                    }
                    case "Member" -> {
                        if (name != null) {
                            members.add(x.getAttributeValue(null, "Name"));
                        }
                    }
                    default -> { }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && name != null && x.getLocalName().equals(element)) {
                declared.add(new Type(name, Kind.of(element), base, open, properties, navigation, nonNullable, members));
                name = null;
            } else if (event == XMLStreamConstants.END_ELEMENT && operation != null
                    && (x.getLocalName().equals("Action") || x.getLocalName().equals("Function"))) {
                if (bound && binding != null) {
                    operations.add(new Operation(operation, function, binding));
                }
                operation = null;
            }
        }
        // An alias may be declared by a schema after the one that uses it, so references are resolved at the end.
        Map<String, Type> types = new HashMap<>();
        for (Type t : declared) {
            Map<String, String> props = new LinkedHashMap<>();
            t.properties().forEach((n, type) -> props.put(n, resolve(type, aliases)));
            Map<String, String> navs = new LinkedHashMap<>();
            t.navigationProperties().forEach((n, type) -> navs.put(n, resolve(type, aliases)));
            types.put(t.name(), new Type(t.name(), t.kind(), t.baseType() == null ? null : resolve(t.baseType(), aliases),
                    t.open(), Collections.unmodifiableMap(props), Collections.unmodifiableMap(navs),
                    Set.copyOf(t.nonNullable()), List.copyOf(t.members())));
        }
        Map<String, String> single = new LinkedHashMap<>();
        singletons.forEach((n, type) -> single.put(n, resolve(type, aliases)));
        Map<String, String> sets = new LinkedHashMap<>();
        entitySets.forEach((n, type) -> sets.put(n, resolve(type, aliases)));
        List<Operation> ops = operations.stream()
                .map(o -> new Operation(o.name(), o.function(), resolve(o.bindingType(), aliases))).toList();
        return new Csdl(Collections.unmodifiableMap(types), Collections.unmodifiableMap(aliases),
                Collections.unmodifiableMap(single), Collections.unmodifiableMap(sets), ops);
    }

    /**
     * A type reference with its alias replaced by the namespace ({@code graph.appRole} to {@code
     * microsoft.graph.appRole}), inside {@code Collection(...)} too; a reference without a known alias is returned as is.
     */
    public String resolve(String reference) {
        return resolve(reference, aliases);
    }

    private static String resolve(String reference, Map<String, String> aliases) {
        if (reference.startsWith(COLLECTION)) {
            return COLLECTION + resolve(reference.substring(COLLECTION.length(), reference.length() - 1), aliases) + ")";
        }
        int dot = reference.indexOf('.');
        String namespace = dot < 0 ? null : aliases.get(reference.substring(0, dot));
        return namespace == null ? reference : namespace + reference.substring(dot);
    }

    /**
     * The type of that qualified name and its base types, the most basic first, so that a later type's declarations
     * override an earlier one's; never empty.
     *
     * @throws IllegalArgumentException when the document has no such type, or no type named as a base type
     */
    public List<Type> lineage(String name) {
        List<Type> lineage = new ArrayList<>();
        for (String n = name; n != null; ) {
            Type t = types.get(n);
            if (t == null) {
                throw new IllegalArgumentException("no type " + n + " in the metadata");
            }
            lineage.add(0, t);
            n = t.baseType();
        }
        return lineage;
    }
}
