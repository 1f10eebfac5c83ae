package dev.consentry.core.metadata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Microsoft Graph's v1.0 metadata as facts Consentry checks shapes and paths against: every entity, complex and
 * enumeration type with its properties and their types, the singletons and entity sets at the service root, and the
 * bound actions and functions. Read once from {@link #RESOURCE}, which a generator in the tests derives from Graph's
 * published CSDL; the product never reads the CSDL itself.
 *
 * <p>Type names are bare for Graph's main namespace ({@code user}, {@code passwordProfile}) and qualified for any
 * other ({@code microsoft.graph.callRecords.callRecord}); a qualified name of the main namespace is accepted wherever
 * a name is taken. Primitive types keep their {@code Edm.} names.
 *
 * <p>Guaranteed: immutable after loading and safe to share between threads; lookups of property names and path
 * segments ignore case, as Graph's URL parser does, and answer the name as the metadata spells it.
 */
public final class GraphMetadata {
    /** The derived resource, beside this class. */
    public static final String RESOURCE = "graph-metadata.tsv.gz";
    private static final String MAIN = "microsoft.graph.";
    private static final String COLLECTION = "Collection(";

    /** Which element declared a type. */
    public enum Kind {
        ENTITY,
        COMPLEX,
        ENUMERATION
    }

    /**
     * A property of a type.
     *
     * @param name       as the metadata spells it
     * @param type       the type of its value, or of each element when {@code collection} (a bare or qualified type
     *                   name, or an {@code Edm.} primitive)
     * @param collection whether the value is an array
     * @param nullable   whether {@code null} is a valid value (always true for a navigation property)
     * @param navigation whether it is a navigation property (a relation to other entities) rather than structural
     */
    public record Property(String name, String type, boolean collection, boolean nullable, boolean navigation) {}

    /**
     * One type as declared, without what it inherits.
     *
     * @param declared its own properties by name, in document order
     * @param members  an enumeration's members in document order; empty for the other kinds
     */
    public record Type(String name, Kind kind, String baseType, boolean open, Map<String, Property> declared,
                       List<String> members) {}

    /** A singleton or entity set at the service root: its name as the metadata spells it, and its (element) type. */
    public record Root(String name, String type) {}

    /** A bound action or function. */
    public record Operation(String name, boolean function, String bindingType, boolean boundToCollection) {}

    /** What a path names, when the metadata knows every segment of it. */
    public sealed interface Resolution {
        /**
         * Every segment is known.
         *
         * @param type       the type of what the path names, or null past an action or function (whose result
         *                   this catalogue does not follow) or past {@code $count} or {@code $value}
         * @param collection whether the path names a collection of {@code type}
         */
        record Known(String type, boolean collection) implements Resolution {}

        /**
         * The first segment the metadata does not know, as the request spelt it, and its index.
         *
         * @param within the type whose property or operation the segment was taken for; null at the service root, or
         *               when the segment follows a primitive value, {@code $count}, {@code $value} or {@code $ref}
         */
        record Unknown(int index, String segment, String within) implements Resolution {}
    }

    private static volatile GraphMetadata v1;

    private final Map<String, Type> types;
    private final Map<String, Root> singletons;
    private final Map<String, Root> entitySets;
    /** Lower-case binding type, then lower-case operation name, to the operation. */
    private final Map<String, Map<String, Operation>> operations;
    private final Map<String, Set<String>> derived;
    private final Map<String, Map<String, Property>> flattened = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Property>> byLowerName = new ConcurrentHashMap<>();

    private GraphMetadata(Map<String, Type> types, Map<String, Root> singletons, Map<String, Root> entitySets,
                          Map<String, Map<String, Operation>> operations) {
        this.types = types;
        this.singletons = singletons;
        this.entitySets = entitySets;
        this.operations = operations;
        Map<String, Set<String>> children = new HashMap<>();
        types.values().forEach(t -> {
            if (t.baseType() != null) {
                children.computeIfAbsent(t.baseType(), k -> new TreeSet<>()).add(t.name());
            }
        });
        this.derived = children;
    }

    /** Graph's v1.0 metadata, loaded on first use. */
    public static GraphMetadata v1() {
        GraphMetadata m = v1;
        if (m == null) {
            synchronized (GraphMetadata.class) {
                if (v1 == null) {
                    v1 = load();
                }
                m = v1;
            }
        }
        return m;
    }

    private static GraphMetadata load() {
        try (InputStream raw = GraphMetadata.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return read(new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static GraphMetadata read(BufferedReader in) throws IOException {
        Map<String, Type> types = new HashMap<>();
        Map<String, Root> singletons = new HashMap<>();
        Map<String, Root> entitySets = new HashMap<>();
        Map<String, Map<String, Operation>> operations = new HashMap<>();
        String typeName = null;
        Map<String, Property> declared = null;
        List<String> members = null;
        String[] header = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "T" -> {
                    if (header != null) {
                        types.put(typeName, type(header, declared, members));
                    }
                    header = f;
                    typeName = f[1];
                    declared = new LinkedHashMap<>();
                    members = new ArrayList<>();
                }
                case "P" -> declared.put(f[2], property(f[2], f[3], f[4].equals("1"), false));
                case "N" -> declared.put(f[2], property(f[2], f[3], true, true));
                case "M" -> members.add(f[2]);
                case "S" -> singletons.put(f[1].toLowerCase(Locale.ROOT), new Root(f[1], f[2]));
                case "E" -> entitySets.put(f[1].toLowerCase(Locale.ROOT), new Root(f[1], f[2]));
                case "O" -> {
                    boolean many = f[3].startsWith(COLLECTION);
                    String binding = many ? element(f[3]) : f[3];
                    Operation o = new Operation(f[1], f[2].equals("F"), binding, many);
                    operations.computeIfAbsent(key(binding, many), k -> new HashMap<>())
                            .put(f[1].toLowerCase(Locale.ROOT), o);
                }
                default -> throw new IOException("unknown line kind in " + RESOURCE + ": " + f[0]);
            }
        }
        if (header != null) {
            types.put(typeName, type(header, declared, members));
        }
        return new GraphMetadata(Map.copyOf(types), Map.copyOf(singletons), Map.copyOf(entitySets), Map.copyOf(operations));
    }

    private static Type type(String[] f, Map<String, Property> declared, List<String> members) {
        Kind kind = switch (f[2]) {
            case "E" -> Kind.ENTITY;
            case "C" -> Kind.COMPLEX;
            default -> Kind.ENUMERATION;
        };
        return new Type(f[1], kind, f[3].equals("-") ? null : f[3], f[4].equals("1"),
                Collections.unmodifiableMap(declared), List.copyOf(members));
    }

    private static Property property(String name, String type, boolean nullable, boolean navigation) {
        boolean many = type.startsWith(COLLECTION);
        return new Property(name, many ? element(type) : type, many, nullable, navigation);
    }

    private static String element(String collection) {
        return collection.substring(COLLECTION.length(), collection.length() - 1);
    }

    private static String key(String type, boolean many) {
        return (many ? "*" : "") + type.toLowerCase(Locale.ROOT);
    }

    /** {@code microsoft.graph.user} and {@code user} alike to {@code user}; another namespace's name stays qualified. */
    public static String shortName(String name) {
        if (name.startsWith(COLLECTION)) {
            return COLLECTION + shortName(element(name)) + ")";
        }
        String rest = name.startsWith(MAIN) ? name.substring(MAIN.length()) : null;
        return rest != null && rest.indexOf('.') < 0 ? rest : name;
    }

    /** The type of that name (bare or qualified), or empty. */
    public Optional<Type> type(String name) {
        return Optional.ofNullable(types.get(shortName(name)));
    }

    /** Every type's name, bare for Graph's main namespace. */
    public Set<String> typeNames() {
        return types.keySet();
    }

    /** Whether {@code name} is a primitive ({@code Edm.String}, {@code Edm.Boolean}, ...). */
    public static boolean isPrimitive(String name) {
        return name.startsWith("Edm.");
    }

    /**
     * Every property of {@code type}, its base types' first and a derived declaration overriding an inherited one;
     * empty for an unknown type.
     */
    public Map<String, Property> properties(String type) {
        String name = shortName(type);
        return flattened.computeIfAbsent(name, n -> {
            Map<String, Property> all = new LinkedHashMap<>();
            for (Type t : lineage(n)) {
                all.putAll(t.declared());
            }
            return Collections.unmodifiableMap(all);
        });
    }

    /** The property of {@code type} (or inherited by it) with that name, ignoring case; empty when it has none. */
    public Optional<Property> property(String type, String name) {
        Map<String, Property> lower = byLowerName.computeIfAbsent(shortName(type), n -> {
            Map<String, Property> m = new HashMap<>();
            properties(n).forEach((k, v) -> m.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
            return Map.copyOf(m);
        });
        return Optional.ofNullable(lower.get(name.toLowerCase(Locale.ROOT)));
    }

    /** {@code type} and its base types, the most basic first; empty for an unknown type. */
    public List<Type> lineage(String type) {
        List<Type> out = new ArrayList<>();
        for (String n = shortName(type); n != null; ) {
            Type t = types.get(n);
            if (t == null) {
                break;
            }
            out.add(0, t);
            n = t.baseType();
        }
        return out;
    }

    /** Every type derived from {@code type}, directly or not. */
    public Set<String> derived(String type) {
        Set<String> out = new TreeSet<>();
        List<String> pending = new ArrayList<>(derived.getOrDefault(shortName(type), Set.of()));
        while (!pending.isEmpty()) {
            String d = pending.remove(pending.size() - 1);
            if (out.add(d)) {
                pending.addAll(derived.getOrDefault(d, Set.of()));
            }
        }
        return out;
    }

    /** Whether {@code type} is {@code ancestor} or derives from it. */
    public boolean isA(String type, String ancestor) {
        String a = shortName(ancestor);
        return lineage(type).stream().anyMatch(t -> t.name().equals(a));
    }

    /** The singleton of that name (any case). */
    public Optional<Root> singleton(String name) {
        return Optional.ofNullable(singletons.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every entity set of the service root, in name order. */
    public List<Root> entitySets() {
        return entitySets.values().stream().sorted(java.util.Comparator.comparing(Root::name)).toList();
    }

    /** Every singleton of the service root, in name order. */
    public List<Root> singletons() {
        return singletons.values().stream().sorted(java.util.Comparator.comparing(Root::name)).toList();
    }

    /** The entity set of that name (any case). */
    public Optional<Root> entitySet(String name) {
        return Optional.ofNullable(entitySets.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * The action or function bound to {@code type} (or to a base type of it; to a collection of it when {@code
     * collection}) with that name, bare or qualified by {@code microsoft.graph.}, ignoring case.
     */
    public Optional<Operation> operation(String type, boolean collection, String name) {
        String bare = name.regionMatches(true, 0, MAIN, 0, MAIN.length()) ? name.substring(MAIN.length()) : name;
        String lower = bare.toLowerCase(Locale.ROOT);
        List<Type> lineage = lineage(type);
        for (int i = lineage.size() - 1; i >= 0; i--) {
            Map<String, Operation> bound = operations.get(key(lineage.get(i).name(), collection));
            if (bound != null && bound.containsKey(lower)) {
                return Optional.of(bound.get(lower));
            }
        }
        return Optional.empty();
    }

    /**
     * What the path's segments name, following OData's URL conventions (version 4.01, part 2, section 4) over this
     * metadata: a singleton or entity set first; then, on a collection, a key ({@code users/{id}}), a cast to a
     * derived type ({@code microsoft.graph.group}), a bound function or action, or {@code $count}; on a single
     * entity or complex value, a property, a cast, a bound function or action, {@code $value} or {@code $ref}.
     * A function's parameters in parentheses ({@code delta()}, {@code reminderView(StartDateTime='...')}) and a key
     * in parentheses ({@code applications(appId='...')}) are allowed on the segment they belong to. After a bound
     * action or function the rest of the path is not followed (its result type is not kept here).
     */
    public Resolution resolve(List<String> segments) {
        if (segments.isEmpty()) {
            return new Resolution.Known(null, false);
        }
        String first = segments.get(0);
        String firstName = beforeParenthesis(first);
        String type;
        boolean collection;
        Optional<Root> singleton = singleton(firstName).filter(r -> firstName.length() == first.length());
        Optional<Root> set = singleton.isPresent() ? Optional.empty() : entitySet(firstName);
        if (singleton.isPresent()) {
            type = singleton.get().type();
            collection = false;
        } else if (set.isPresent()) {
            type = set.get().type();
            collection = firstName.length() == first.length(); // users(id) or applications(appId='...') is one entity
        } else {
            return new Resolution.Unknown(0, first, null);
        }
        for (int i = 1; i < segments.size(); i++) {
            String s = segments.get(i);
            String name = beforeParenthesis(s);
            if (s.equals("$count") && collection || s.equals("$value") && !collection) {
                return i == segments.size() - 1 ? new Resolution.Known(null, false)
                        : new Resolution.Unknown(i + 1, segments.get(i + 1), null);
            }
            if (s.equals("$ref")) {
                return i == segments.size() - 1 ? new Resolution.Known(type, collection)
                        : new Resolution.Unknown(i + 1, segments.get(i + 1), null);
            }
            if (type != null && operation(type, collection, name).isPresent()) {
                return new Resolution.Known(null, false);
            }
            Optional<String> cast = cast(type, name);
            if (cast.isPresent()) {
                type = cast.get();
                continue;
            }
            if (collection) {
                collection = false; // a key: one entity of the collection
                continue;
            }
            Optional<Property> p = type == null ? Optional.empty() : property(type, name);
            if (p.isEmpty() || isPrimitive(p.get().type()) && i < segments.size() - 1
                    && !segments.get(i + 1).equals("$value")) {
                return p.isEmpty() ? new Resolution.Unknown(i, s, type)
                        : new Resolution.Unknown(i + 1, segments.get(i + 1), null);
            }
            type = p.get().type();
            collection = p.get().collection() && name.length() == s.length();
        }
        return new Resolution.Known(type, collection);
    }

    /**
     * The names a path may continue with after an entity or complex value of {@code type} (its properties and the
     * operations bound to it or its base types), or at the service root when {@code type} is null (the singletons and
     * entity sets); for a "did you mean".
     */
    public List<String> segmentNames(String type) {
        List<String> out = new ArrayList<>();
        if (type == null) {
            singletons.values().forEach(r -> out.add(r.name()));
            entitySets.values().forEach(r -> out.add(r.name()));
            return out;
        }
        out.addAll(properties(type).keySet());
        for (Type t : lineage(type)) {
            operations.getOrDefault(key(t.name(), false), Map.of()).values().forEach(o -> out.add(o.name()));
        }
        return out;
    }

    /**
     * As {@link #resolve(List)}, for a path the one Graph path parser read: its decoded segments, and {@code $ref} when
     * the path ended in it.
     */
    public Resolution resolve(dev.consentry.core.permission.GraphPath path) {
        if (!path.ref()) {
            return resolve(path.segments());
        }
        List<String> withRef = new ArrayList<>(path.segments());
        withRef.add("$ref");
        return resolve(withRef);
    }

    /** Graph's qualified name of a type ({@code microsoft.graph.user} for {@code user}); a primitive stays as it is. */
    public static String qualifiedName(String type) {
        return isPrimitive(type) || type.contains(".") ? type : MAIN + type;
    }

    /** The derived type a cast segment names ({@code microsoft.graph.group} on directory objects), or empty. */
    private Optional<String> cast(String type, String segment) {
        if (type == null || !segment.regionMatches(true, 0, MAIN, 0, MAIN.length()) || segment.length() <= MAIN.length()) {
            return Optional.empty();
        }
        String target = segment.substring(MAIN.length());
        String base = shortName(type);
        if (target.equalsIgnoreCase(base)) {
            return Optional.of(base);
        }
        return derived(base).stream().filter(d -> d.equalsIgnoreCase(target)).findFirst();
    }

    private static String beforeParenthesis(String segment) {
        int p = segment.indexOf('(');
        return p > 0 && segment.endsWith(")") ? segment.substring(0, p) : segment;
    }
}
