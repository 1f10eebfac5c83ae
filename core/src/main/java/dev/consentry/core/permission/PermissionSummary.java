package dev.consentry.core.permission;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a catalogue says about one Microsoft Graph permission, for people: its facts per scheme (id, admin
 * consent, whether Consentry made the id up) and the routes it allows, one per path template.
 *
 * @param routes the shortest templates first (fewest segments), then in template order, any case: the broad routes
 *     before the nested ones; empty when the data names no path for it
 */
public record PermissionSummary(GraphPermission permission, List<Route> routes) {
    public PermissionSummary {
        routes = List.copyOf(routes);
    }

    /**
     * A path template the permission allows some methods on, for some schemes.
     *
     * @param fromReference true when the fact comes from the Microsoft Graph API reference (Consentry's supplement,
     *     {@code graph-paths-supplement.tsv}) rather than from Microsoft's permission data
     */
    public record Route(String template, Set<String> methods, Set<Scheme> schemes, boolean fromReference) {
        public Route {
            methods = Set.copyOf(new TreeSet<>(methods));
            schemes = Set.copyOf(schemes);
        }
    }

    /** The permission named {@code name} (any case) in {@code catalogue}, or empty when it has none of that name. */
    public static Optional<PermissionSummary> of(GraphPermissionCatalogue catalogue, String name) {
        Optional<GraphPermission> permission = catalogue.permission(name);
        if (permission.isEmpty()) {
            return Optional.empty();
        }
        String wanted = permission.get().name();
        Set<String> supplement = supplementFacts(wanted);
        Map<String, Merged> byTemplate = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (PathRule r : catalogue.pathRules()) {
            if (r.permission().equalsIgnoreCase(wanted)) {
                Merged m = byTemplate.computeIfAbsent(r.template(), t -> new Merged(t));
                m.methods.addAll(r.methods());
                m.schemes.addAll(r.schemes());
                m.fromReference &= supplement.contains(key(r));
            }
        }
        return Optional.of(new PermissionSummary(permission.get(), byTemplate.values().stream()
                .sorted(java.util.Comparator.comparingInt((Merged m) -> m.template.split("/").length))
                .map(m -> new Route(m.template, m.methods, m.schemes, m.fromReference)).toList()));
    }

    private static final class Merged {
        final String template;
        final Set<String> methods = new TreeSet<>();
        final Set<Scheme> schemes = EnumSet.noneOf(Scheme.class);
        boolean fromReference = true;

        Merged(String template) {
            this.template = template;
        }
    }

    /** The supplement's rules for {@code permission}, as {@link #key} strings. */
    private static Set<String> supplementFacts(String permission) {
        InputStream in = PermissionSummary.class.getResourceAsStream(GraphPermissionCatalogue.RESOURCE_DIR
                + "graph-paths-supplement.tsv");
        if (in == null) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (PathRule rule : CatalogueFiles.readPaths(r)) {
                if (rule.permission().equalsIgnoreCase(permission)) {
                    keys.add(key(rule));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the built-in path supplement is unreadable", e);
        }
        return keys;
    }

    private static String key(PathRule r) {
        return r.template().toLowerCase(Locale.ROOT) + " " + new TreeSet<>(r.methods()) + " " + r.permission().toLowerCase(Locale.ROOT);
    }
}
