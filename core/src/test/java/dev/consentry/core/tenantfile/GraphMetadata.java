package dev.consentry.core.tenantfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The structural properties of Microsoft Graph's v1.0 types, read from the CSDL in {@code shared/data/graph-metadata}
 * beside the repository. Tests only: the product never reads this file.
 */
final class GraphMetadata {
    /** A type: its own properties (name to CSDL type) in document order and its base type, if any. */
    record Type(String name, String baseType, Map<String, String> properties, boolean isEnum, List<String> members) {}

    private final Map<String, Type> types;
    private final Map<String, String> aliases;

    private GraphMetadata(Map<String, Type> types, Map<String, String> aliases) {
        this.types = types;
        this.aliases = aliases;
    }

    /** Found by walking up from the working directory, as the other shared-data tests do. */
    static GraphMetadata v1() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("shared/data/graph-metadata/v1.0.csdl");
            if (Files.isRegularFile(f)) {
                try (InputStream in = Files.newInputStream(f)) {
                    return read(in);
                } catch (IOException | XMLStreamException e) {
                    throw new IllegalStateException("cannot read " + f, e);
                }
            }
        }
        throw new IllegalStateException("shared/data/graph-metadata/v1.0.csdl is not beside the repository");
    }

    private static GraphMetadata read(InputStream in) throws XMLStreamException {
        Map<String, Type> types = new HashMap<>();
        Map<String, String> aliases = new HashMap<>();
        String namespace = "";
        XMLStreamReader x = XMLInputFactory.newFactory().createXMLStreamReader(in);
        String current = null;
        String base = null;
        boolean isEnum = false;
        Map<String, String> props = null;
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
                        current = namespace + "." + x.getAttributeValue(null, "Name");
                        base = x.getAttributeValue(null, "BaseType");
                        isEnum = x.getLocalName().equals("EnumType");
                        props = new LinkedHashMap<>();
                        members = new ArrayList<>();
                    }
                    case "Property" -> {
                        if (props != null) {
                            props.put(x.getAttributeValue(null, "Name"), x.getAttributeValue(null, "Type"));
                        }
                    }
                    case "Member" -> {
                        if (members != null) {
                            members.add(x.getAttributeValue(null, "Name"));
                        }
                    }
                    default -> { }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                String n = x.getLocalName();
                if ((n.equals("EntityType") || n.equals("ComplexType") || n.equals("EnumType")) && current != null) {
                    types.put(current, new Type(current, base, props, isEnum, members));
                    current = null;
                    props = null;
                    members = null;
                }
            }
        }
        return new GraphMetadata(types, aliases);
    }

    /** {@code graph.appRole} to {@code microsoft.graph.appRole}; a bare name is one of {@code microsoft.graph}. */
    String qualified(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return "microsoft.graph." + name;
        }
        String alias = aliases.get(name.substring(0, dot));
        return alias == null ? name : alias + name.substring(dot);
    }

    /** Every structural property of {@code type}, its base types' first, name to CSDL type. */
    Map<String, String> properties(String type) {
        Type t = type(type);
        if (t == null) {
            throw new IllegalArgumentException("no type " + type + " in the metadata");
        }
        Map<String, String> all = new LinkedHashMap<>();
        if (t.baseType() != null) {
            all.putAll(properties(t.baseType()));
        }
        all.putAll(t.properties());
        return all;
    }

    /** The type of that name (qualified, aliased or bare), or null. */
    Type type(String name) {
        return types.get(qualified(name));
    }
}
