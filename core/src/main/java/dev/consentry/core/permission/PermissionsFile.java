package dev.consentry.core.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Derives Consentry's catalogue facts from Microsoft's published {@code permissions.json} (the format
 * Graph Explorer and Microsoft's Kibali read): for each OAuth permission, its schemes with admin-consent
 * flag and privilege level, and every (path template, methods, schemes) it grants with the least-privilege
 * and AlsoRequires markers. Descriptions and display texts are never read.
 *
 * <p>Resource-specific consent permissions ({@code authorizationType} "RSC", for Teams) are left out:
 * they are not scopes or app roles of the Graph service principal.
 */
public final class PermissionsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PermissionsFile() {}

    /** Where permission GUIDs come from; {@code permissions.json} itself has none. */
    @FunctionalInterface
    public interface IdSource {
        Optional<UUID> id(String permission, Scheme scheme);
    }

    /** The derived facts. */
    public record Derived(List<GraphPermission> permissions, List<PathRule> rules) {}

    public static Derived derive(InputStream permissionsJson, IdSource ids) throws IOException {
        JsonNode root = JSON.readTree(permissionsJson).path("permissions");
        if (!root.isObject()) {
            throw new IOException("not a permissions file: no 'permissions' object at the top level");
        }
        List<GraphPermission> permissions = new ArrayList<>();
        List<PathRule> rules = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            JsonNode p = e.getValue();
            if (!"oAuth2".equals(p.path("authorizationType").asText())) {
                continue;
            }
            Map<Scheme, GraphPermission.SchemeFacts> schemes = new EnumMap<>(Scheme.class);
            for (Map.Entry<String, JsonNode> se : p.path("schemes").properties()) {
                Optional<Scheme> scheme = Scheme.fromDataName(se.getKey());
                if (scheme.isEmpty()) {
                    continue;
                }
                Optional<UUID> id = ids.id(name, scheme.get());
                boolean admin = scheme.get() == Scheme.APPLICATION || se.getValue().path("requiresAdminConsent").asBoolean(false);
                schemes.put(scheme.get(), new GraphPermission.SchemeFacts(id.orElseGet(() -> syntheticId(name, scheme.get())),
                        admin, se.getValue().path("privilegeLevel").asInt(0), id.isEmpty()));
            }
            if (schemes.isEmpty()) {
                continue;
            }
            permissions.add(new GraphPermission(name, schemes));
            for (JsonNode set : p.path("pathSets")) {
                Set<Scheme> setSchemes = EnumSet.noneOf(Scheme.class);
                set.path("schemeKeys").forEach(k -> Scheme.fromDataName(k.asText()).ifPresent(setSchemes::add));
                Set<String> methods = new TreeSet<>();
                set.path("methods").forEach(m -> methods.add(m.asText().toUpperCase(java.util.Locale.ROOT)));
                for (Map.Entry<String, JsonNode> path : set.path("paths").properties()) {
                    Marker marker = Marker.parse(path.getValue().asText(""));
                    rules.add(new PathRule(path.getKey(), methods, setSchemes, name, marker.least(), marker.alsoRequires(),
                            methods.size()));
                }
            }
        }
        return new Derived(permissions, rules);
    }

    /**
     * A stable id for a permission Microsoft publishes without one: a name-based (version 3) UUID of
     * "consentry:" + name + ":" + scheme, so every Consentry mints the same id.
     */
    public static UUID syntheticId(String permission, Scheme scheme) {
        return UUID.nameUUIDFromBytes(("consentry:" + permission + ":" + scheme.dataName()).getBytes(StandardCharsets.UTF_8));
    }

    /** A path value of {@code permissions.json}: "", "least=S1,S2", "AlsoRequires=P1,P2", or both joined by ";". */
    record Marker(Set<Scheme> least, List<String> alsoRequires) {
        static Marker parse(String text) {
            Set<Scheme> least = EnumSet.noneOf(Scheme.class);
            List<String> also = new ArrayList<>();
            for (String part : text.split(";")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = p.substring(0, eq).trim();
                for (String v : p.substring(eq + 1).split(",")) {
                    String value = v.trim();
                    if (value.isEmpty()) {
                        continue;
                    }
                    if (key.equalsIgnoreCase("least")) {
                        Scheme.fromDataName(value).ifPresent(least::add);
                    } else if (key.equalsIgnoreCase("AlsoRequires")) {
                        also.add(value);
                    }
                }
            }
            return new Marker(least, also);
        }
    }
}
