package dev.consentry.core.tenantfile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.consentry.core.explain.DidYouMean;
import dev.consentry.core.metadata.UndeclaredNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses a property name of a tenant file that Microsoft Graph (v1.0) does not define for the object's type and that
 * is not one of Consentry's own tenant-file properties, naming its JSON path and, when a known name is close, the name
 * that was probably meant: {@code $.tenants[0].users[2].passwordProfle: unknown property 'passwordProfle' ...; did you
 * mean passwordProfile?}. A property Graph defines is accepted whether or not Consentry uses it, so what Graph returns
 * can be pasted in.
 *
 * <p>Guaranteed: the check reads the parsed tree and changes nothing; it looks only at names (a value of the wrong
 * type is left to the mapping, which names what it expected) and at objects whose type it knows: the file, its
 * tenants (Graph's {@code organization}), the collections a tenant holds ({@link #HELD}), a user's mail, events and
 * files, and, within those, every property whose value Graph types as a complex type (a user's {@code passwordProfile},
 * a message's {@code from.emailAddress}, a policy's {@code conditions.users}). Values Graph types as another entity (a
 * user's {@code manager}) are not looked into. Accepted as well: annotations (any name with {@code @}, such as
 * {@code @odata.type} or {@code id@odata.type}); on the types Graph declares open (directory objects, mail, events,
 * files), extension properties, whose names have an underscore ({@code extension_<app id>_costCentre}); and any name
 * in an open type that declares no property (a user's {@code customSecurityAttributes}, named by the tenant). An
 * object whose {@code @odata.type} names a type derived from the expected one is checked against that type; without
 * it, against the expected type and every type derived from it.
 *
 * <p>Graph's names come from {@code graph-properties.tsv}, derived from Graph's published metadata by a generator in
 * the tests; the product never reads the metadata itself.
 */
final class GraphPropertyNames {
    static final String RESOURCE = "graph-properties.tsv";
    /** The Graph type of a tenant object. */
    static final String TENANT = "organization";
    /** The file's own top level, which is no Graph object. */
    static final String FILE = "(tenant file)";
    /** A tenant's {@code settings}, Consentry's own object. */
    static final String SETTINGS = "(tenant settings)";

    /**
     * The type of the objects under a property that is Consentry's own or that Graph types as another entity: a
     * tenant's collections (each element one object of that Graph type) and a user's seeded mail, events and files.
     */
    /**
     * The suffix of a property's object type (here and in {@link #RESOURCE}) when its value is an array of such
     * objects; an object where an array belongs is then left to the mapping, which says "expected an array".
     */
    static final String MANY = "[]";

    static final Map<String, Map<String, String>> HELD = Map.of(
            FILE, Map.of("tenants", TENANT + MANY),
            TENANT, Map.ofEntries(
                    Map.entry("users", "user" + MANY),
                    Map.entry("groups", "group" + MANY),
                    Map.entry("applications", "application" + MANY),
                    Map.entry("servicePrincipals", "servicePrincipal" + MANY),
                    Map.entry("appRoleAssignments", "appRoleAssignment" + MANY),
                    Map.entry("oauth2PermissionGrants", "oAuth2PermissionGrant" + MANY),
                    Map.entry("roleAssignments", "unifiedRoleAssignment" + MANY),
                    Map.entry("subscribedSkus", "subscribedSku" + MANY),
                    Map.entry("conditionalAccessPolicies", "conditionalAccessPolicy" + MANY),
                    Map.entry("appConsentRequests", "appConsentRequest" + MANY),
                    Map.entry("softwareOathMethods", "softwareOathAuthenticationMethod" + MANY),
                    Map.entry("namedLocations", "namedLocation" + MANY),
                    Map.entry("devices", "device" + MANY),
                    Map.entry("authenticationContextClassReferences", "authenticationContextClassReference" + MANY),
                    Map.entry("authorizationPolicy", "authorizationPolicy"),
                    Map.entry("adminConsentRequestPolicy", "adminConsentRequestPolicy"),
                    Map.entry("settings", SETTINGS)),
            "user", Map.of("messages", "message" + MANY, "events", "event" + MANY, "driveItems", "driveItem" + MANY),
            "appConsentRequest", Map.of("userConsentRequests", "userConsentRequest" + MANY));

    /**
     * Consentry's own properties, per type, beside those Graph defines (see {@code docs/tenant-file.md}); a new
     * Consentry property of a tenant-file object is added here. Graph's own names ({@code passwordProfile.password},
     * {@code passwordCredentials[].secretText}, {@code hint}) need no entry.
     */
    static final Map<String, Set<String>> CONSENTRY_PROPERTIES = Map.of(
            FILE, Set.of("tenants"),
            // A tenant's collections: Graph serves each from its own endpoint, the file nests them.
            TENANT, HELD.get(TENANT).keySet(),
            SETTINGS, Set.of("errorProfile", "authenticationContexts", "logRetentionDays", "logRetentionEntries", "lockoutThreshold",
                    "lockoutDurationInSeconds"),
            // Graph has no collection of a user's drive items; the file lists the drive root's children.
            "user", Set.of("driveItems"),
            // What export writes instead of a clear-text password or secret.
            "passwordProfile", Set.of("passwordHash"),
            "passwordCredential", Set.of("secretHash"),
            // When the consent was given, which Graph does not expose.
            "oAuth2PermissionGrant", Set.of("createdDateTime"),
            // Whose authenticator app it is: Graph says so by the path (/users/{id}/authentication/...).
            "softwareOathAuthenticationMethod", Set.of("userId"),
            // Who registered the device: Graph answers it as the device's registeredOwners.
            "device", Set.of("registeredOwnerId"));

    private GraphPropertyNames() {}

    /** The Graph types a tenant file holds objects of, for the generator of {@link #RESOURCE}. */
    static Set<String> graphRootTypes() {
        Set<String> roots = new TreeSet<>();
        HELD.values().forEach(m -> m.values().forEach(t -> roots.add(bare(t))));
        roots.add(TENANT);
        roots.removeIf(t -> t.startsWith("("));
        return roots;
    }

    /** A type without its {@link #MANY} suffix. */
    static String bare(String type) {
        return type.endsWith(MANY) ? type.substring(0, type.length() - MANY.length()) : type;
    }

    /** The names Graph defines for {@code type} (bare name, as the resource has it), inherited ones included. */
    static Set<String> graphNames(String type) {
        return Model.INSTANCE.graphNames.getOrDefault(type, Set.of());
    }

    /**
     * Throws {@link TenantFileException} for the first property, in document order, that {@code root} (the parsed
     * file) may not have. Values that are not objects where an object is expected are left to the mapping.
     */
    static void check(String source, JsonNode root) {
        if (root != null && root.isObject()) {
            Model.INSTANCE.check(source, root, FILE, null);
        }
    }

    /** A JSON path built only when a refusal needs it: {@code $}, then property names and array indexes. */
    private record At(At parent, String name, int index) {
        At property(String n) {
            return new At(this, n, -1);
        }

        At element(int i) {
            return new At(this, null, i);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            append(b);
            return b.toString();
        }

        private void append(StringBuilder b) {
            if (parent == null) {
                b.append('$');
                return;
            }
            parent.append(b);
            if (name != null) {
                b.append('.').append(name);
            } else {
                b.append('[').append(index).append(']');
            }
        }
    }

    /**
     * What may appear on objects of one type: each name, with the type of the objects under it, or "" when they are
     * not checked (one lookup per property: the check runs over every property of the file).
     */
    private record Shape(String type, Map<String, String> properties, boolean open, boolean graph, boolean anyName) {
        Set<String> names() {
            return properties.keySet();
        }
    }

    /** The names of every type, loaded once from the resource. */
    private static final class Model {
        static final Model INSTANCE = load();
        static final At ROOT = new At(null, null, -1);

        /** Each type alone, for an object whose {@code @odata.type} names it. */
        private final Map<String, Shape> exact;
        /** Each type together with the types derived from it, for an object that does not say which it is. */
        private final Map<String, Shape> withDerived;
        private final Map<String, Set<String>> derived;
        private final Map<String, Set<String>> graphNames;

        private Model(Map<String, Shape> exact, Map<String, Shape> withDerived, Map<String, Set<String>> derived,
                      Map<String, Set<String>> graphNames) {
            this.exact = exact;
            this.withDerived = withDerived;
            this.derived = derived;
            this.graphNames = graphNames;
        }

        private static Model load() {
            Map<String, Set<String>> names = new HashMap<>();
            Map<String, Map<String, String>> objectTypes = new HashMap<>();
            Set<String> open = new HashSet<>();
            Map<String, Set<String>> derived = new HashMap<>();
            Set<String> graphTypes = new HashSet<>();
            try (InputStream in = GraphPropertyNames.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the build");
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    String[] f = line.split("\t", -1);
                    graphTypes.add(f[0]);
                    switch (f[1]) {
                        case "@open" -> open.add(f[0]);
                        case "@derived" -> derived.computeIfAbsent(f[0], k -> new HashSet<>()).add(f[2]);
                        default -> {
                            names.computeIfAbsent(f[0], k -> new HashSet<>()).add(f[1]);
                            if (f.length > 2) {
                                objectTypes.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], f[2]);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            Set<String> types = new HashSet<>(graphTypes);
            types.addAll(CONSENTRY_PROPERTIES.keySet());
            Map<String, Shape> exact = new HashMap<>();
            Map<String, Shape> withDerived = new HashMap<>();
            for (String type : types) {
                exact.put(type, shape(type, List.of(type), names, objectTypes, open, graphTypes));
                List<String> family = new ArrayList<>();
                family.add(type);
                family.addAll(derived.getOrDefault(type, Set.of()));
                withDerived.put(type, shape(type, family, names, objectTypes, open, graphTypes));
            }
            names.replaceAll((type, set) -> Collections.unmodifiableSet(set));
            return new Model(exact, withDerived, derived, names);
        }

        /** The names of {@code family} (a type, or a type and those derived from it) plus Consentry's for the type. */
        private static Shape shape(String type, List<String> family, Map<String, Set<String>> names,
                                   Map<String, Map<String, String>> objectTypes, Set<String> open,
                                   Set<String> graphTypes) {
            Map<String, String> properties = new HashMap<>();
            CONSENTRY_PROPERTIES.getOrDefault(type, Set.of()).forEach(n -> properties.put(n, ""));
            for (String member : family) {
                names.getOrDefault(member, Set.of()).forEach(n -> properties.putIfAbsent(n, ""));
                objectTypes.getOrDefault(member, Map.of()).forEach((n, t) -> {
                    if (properties.get(n).isEmpty()) {
                        properties.put(n, t);
                    }
                });
            }
            properties.putAll(HELD.getOrDefault(type, Map.of()));
            // The file's wrapper and the settings are Consentry's alone: neither annotations nor extensions there. An
            // open type that declares no property at all is a bag of names of the tenant's choosing (a user's
            // customSecurityAttributes: attribute sets named by the tenant).
            boolean graph = graphTypes.contains(type);
            boolean bag = graph && open.contains(type) && names.getOrDefault(type, Set.of()).isEmpty();
            return new Shape(type, Collections.unmodifiableMap(properties), open.contains(type), graph, bag);
        }

        void check(String source, JsonNode object, String type, At at) {
            Shape shape = shapeOf(object, type);
            if (shape == null) {
                return; // a type the resource does not list: nothing to check against
            }
            At here = at == null ? ROOT : at;
            for (Map.Entry<String, JsonNode> p : object.properties()) {
                String name = p.getKey();
                String held = shape.properties().get(name);
                if (held == null) {
                    if (shape.graph() && UndeclaredNames.accepted(name, shape.open(), shape.anyName())) {
                        continue; // an annotation, or an extension property of an open type
                    }
                    throw new TenantFileException(source, here.property(name).toString(), refusal(name, shape));
                }
                if (held.isEmpty()) {
                    continue;
                }
                JsonNode value = p.getValue();
                boolean many = held.endsWith(MANY);
                if (value.isObject() && !many) {
                    check(source, value, held, here.property(name));
                } else if (value.isArray()) {
                    At list = here.property(name);
                    for (int i = 0; i < value.size(); i++) {
                        if (value.get(i).isObject()) {
                            check(source, value.get(i), bare(held), list.element(i));
                        }
                    }
                }
            }
        }

        /** The shape {@code object} is checked against: the derived type its {@code @odata.type} names, if any. */
        private Shape shapeOf(JsonNode object, String type) {
            JsonNode declared = object.get("@odata.type");
            if (declared != null && declared.isTextual()) {
                String named = typeName(declared.asText());
                if (named.equals(type) || derived.getOrDefault(type, Set.of()).contains(named)) {
                    return exact.get(named);
                }
            }
            return withDerived.get(type);
        }

        /** {@code #microsoft.graph.user} to {@code user}, as the resource names types. */
        private static String typeName(String odataType) {
            String t = odataType.startsWith("#") ? odataType.substring(1) : odataType;
            for (String prefix : List.of("microsoft.graph.", "graph.")) {
                if (t.startsWith(prefix) && t.indexOf('.', prefix.length()) < 0) {
                    return t.substring(prefix.length());
                }
            }
            return t;
        }
    }

    /** The message of a refused name: what it is not, and the known name it is closest to, if one is close. */
    static String refusal(String name, Shape shape) {
        String where = switch (shape.type()) {
            case FILE -> "the file's top level holds only tenants";
            case SETTINGS -> "a tenant's settings are only " + String.join(", ", new TreeSet<>(shape.names()));
            case TENANT -> "Microsoft Graph v1.0 defines no such property on a tenant (Graph's organization), nor is it"
                    + " one of the collections a tenant holds";
            default -> "Microsoft Graph v1.0 defines no such property on " + shape.type();
        };
        String near = nearest(name, shape.names());
        return "unknown property '" + name + "': " + where + (near == null ? "" : "; did you mean " + near + "?");
    }

    /**
     * The known name {@code wanted} most probably misspells: one that differs only in case, else the one with the
     * fewest single-character edits, if they are few enough for a typo (a third of the name, at most four); on a tie
     * the first in alphabetical order. Null when none is that close.
     */
    static String nearest(String wanted, Set<String> known) {
        return DidYouMean.nearest(wanted, new TreeSet<>(known)).orElse(null);
    }
}
