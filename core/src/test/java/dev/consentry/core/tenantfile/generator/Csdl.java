package dev.consentry.core.tenantfile.generator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param types every type of the document by qualified name; unmodifiable
 * @param aliases each schema alias to its namespace; empty when no schema declares one; unmodifiable
 */
public record Csdl(Map<String, Type> types, Map<String, String> aliases) {
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
     * @param navigationProperties the names of its navigation properties in document order; often empty; unmodifiable
     * @param members the names of an enumeration type's members in document order; empty for any other kind;
     *     unmodifiable
     */
    public record Type(String name, Kind kind, String baseType, boolean open, Map<String, String> properties,
            List<String> navigationProperties, List<String> members) {}

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
        List<String> navigation = null;
        List<String> members = null;
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
                        navigation = new ArrayList<>();
                        members = new ArrayList<>();
                    }
                    // Outside a type (name == null) these elements are not a type's: skip them.
                    case "Property" -> {
                        if (name != null) {
                            properties.put(x.getAttributeValue(null, "Name"), x.getAttributeValue(null, "Type"));
                        }
                    }
                    case "NavigationProperty" -> {
                        if (name != null) {
                            navigation.add(x.getAttributeValue(null, "Name"));
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
                declared.add(new Type(name, Kind.of(element), base, open, properties, navigation, members));
                name = null;
            }
        }
        // An alias may be declared by a schema after the one that uses it, so references are resolved at the end.
        Map<String, Type> types = new HashMap<>();
        for (Type t : declared) {
            Map<String, String> props = new LinkedHashMap<>();
            t.properties().forEach((n, type) -> props.put(n, resolve(type, aliases)));
            types.put(t.name(), new Type(t.name(), t.kind(), t.baseType() == null ? null : resolve(t.baseType(), aliases),
                    t.open(), Collections.unmodifiableMap(props), List.copyOf(t.navigationProperties()),
                    List.copyOf(t.members())));
        }
        return new Csdl(Collections.unmodifiableMap(types), Collections.unmodifiableMap(aliases));
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
