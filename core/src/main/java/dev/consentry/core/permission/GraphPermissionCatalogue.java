package dev.consentry.core.permission;

import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.PermissionScope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * Microsoft Graph's permissions as Consentry knows them: every OAuth permission with its ids per scheme,
 * and every path template with the permissions that allow each method (least privileged first).
 *
 * <p>The built-in catalogue is derived from Microsoft's published data by Consentry's own generator
 * ({@code docs/catalogue.md}); {@link #fromPermissionsFile(Path)} derives one at run time from a newer
 * {@code permissions.json}, keeping the built-in ids for permissions it already knows. The permission
 * list loads at first use (it is small); the path index loads only when a path is first matched.
 *
 * <p>Guaranteed: lookups by name are case-insensitive; {@link #match} accepts a request path as a client
 * sends it (with {@code /v1.0} or {@code /beta}, a query string, percent-encoding, any case).
 */
public final class GraphPermissionCatalogue {
    static final String RESOURCE_DIR = "/dev/consentry/core/permission/";
    private static volatile GraphPermissionCatalogue builtin;

    private final List<GraphPermission> permissions;
    private final Map<String, GraphPermission> byName;
    private final Map<UUID, GraphPermission> byId;
    private final PathSource pathSource;
    private volatile PathIndex paths;
    /** Answers of {@link #match} by method, scheme and winning templates. */
    private final java.util.concurrent.ConcurrentHashMap<String, PathMatch.Matched> matches =
            new java.util.concurrent.ConcurrentHashMap<>();

    private GraphPermissionCatalogue(List<GraphPermission> permissions, PathSource pathSource) {
        this.permissions = List.copyOf(permissions);
        this.byName = new HashMap<>();
        this.byId = new HashMap<>();
        for (GraphPermission p : permissions) {
            byName.put(p.name().toLowerCase(Locale.ROOT), p);
            p.schemes().values().forEach(f -> byId.putIfAbsent(f.id(), p));
        }
        this.pathSource = pathSource;
    }

    @FunctionalInterface
    private interface PathSource {
        List<PathRule> load() throws IOException;
    }

    /** The catalogue built into Consentry. */
    public static GraphPermissionCatalogue builtin() {
        GraphPermissionCatalogue c = builtin;
        if (c == null) {
            synchronized (GraphPermissionCatalogue.class) {
                c = builtin;
                if (c == null) {
                    try (BufferedReader in = resource("graph-permissions.tsv", false)) {
                        c = new GraphPermissionCatalogue(CatalogueFiles.readPermissions(in), () -> {
                            try (BufferedReader p = resource("graph-paths.tsv.gz", true)) {
                                return withSupplement(CatalogueFiles.readPaths(p));
                            }
                        });
                    } catch (IOException e) {
                        throw new UncheckedIOException("the built-in permission catalogue is unreadable", e);
                    }
                    builtin = c;
                }
            }
        }
        return c;
    }

    /**
     * A catalogue derived from a {@code permissions.json} (a newer one than the built-in data): ids come
     * from the built-in catalogue where it knows the permission, else a stable synthetic id.
     */
    public static GraphPermissionCatalogue fromPermissionsFile(Path file) throws IOException {
        GraphPermissionCatalogue known = builtin();
        try (InputStream in = Files.newInputStream(file)) {
            PermissionsFile.Derived d = PermissionsFile.derive(in, (name, scheme) -> known.permission(name)
                    .flatMap(p -> p.in(scheme)).filter(f -> !f.synthetic()).map(GraphPermission.SchemeFacts::id));
            List<PathRule> rules = withSupplement(d.rules());
            return new GraphPermissionCatalogue(d.permissions(), () -> rules);
        }
    }

    /**
     * {@code rules} plus the supplement's rules (facts from the Graph API reference that Microsoft's data lacks) for
     * every template and method the rules do not cover: a newer data file that covers them wins.
     */
    static List<PathRule> withSupplement(List<PathRule> rules) throws IOException {
        Set<String> covered = new java.util.HashSet<>();
        for (PathRule r : rules) {
            for (String m : r.methods()) {
                covered.add(m + " " + r.template().toLowerCase(Locale.ROOT));
            }
        }
        List<PathRule> out = new ArrayList<>(rules);
        try (BufferedReader in = resource("graph-paths-supplement.tsv", false)) {
            for (PathRule r : CatalogueFiles.readPaths(in)) {
                if (r.methods().stream().noneMatch(m -> covered.contains(m + " " + r.template().toLowerCase(Locale.ROOT)))) {
                    out.add(r);
                }
            }
        }
        return withCorrections(out);
    }

    /**
     * {@code rules} with the corrections' rules in place of every rule for the same template and method: facts where
     * Microsoft's data contradicts the Graph API reference (a write it lets a read permission do). Unlike the
     * supplement, a correction wins over any data file.
     */
    static List<PathRule> withCorrections(List<PathRule> rules) throws IOException {
        List<PathRule> corrections;
        try (BufferedReader in = resource("graph-paths-corrections.tsv", false)) {
            corrections = CatalogueFiles.readPaths(in);
        }
        Set<String> corrected = new java.util.HashSet<>();
        for (PathRule r : corrections) {
            for (String m : r.methods()) {
                corrected.add(m + " " + r.template().toLowerCase(Locale.ROOT));
            }
        }
        List<PathRule> out = new ArrayList<>(rules.size() + corrections.size());
        for (PathRule r : rules) {
            String template = r.template().toLowerCase(Locale.ROOT);
            Set<String> kept = new java.util.TreeSet<>();
            for (String m : r.methods()) {
                if (!corrected.contains(m + " " + template)) {
                    kept.add(m);
                }
            }
            if (kept.size() == r.methods().size()) {
                out.add(r);
            } else if (!kept.isEmpty()) {
                // The rule still holds for its other methods; its path set's size stays the tie-break it was.
                out.add(new PathRule(r.template(), kept, r.schemes(), r.permission(), r.leastFor(), r.alsoRequires(),
                        r.methodCount()));
            }
        }
        out.addAll(corrections);
        return out;
    }

    private static BufferedReader resource(String name, boolean gzip) throws IOException {
        InputStream in = GraphPermissionCatalogue.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IOException("missing resource " + name);
        }
        return new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in, 1 << 16) : in, StandardCharsets.UTF_8),
                1 << 16);
    }

    /** Every permission, in name order. */
    public List<GraphPermission> permissions() {
        return permissions;
    }

    /** The permission with that name (case-insensitive). */
    public Optional<GraphPermission> permission(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The permission with that scope or app role id. */
    public Optional<GraphPermission> byId(UUID id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The Graph service principal's delegated permissions ({@code oauth2PermissionScopes}). */
    public List<PermissionScope> delegatedScopes() {
        List<PermissionScope> scopes = new ArrayList<>();
        for (GraphPermission p : permissions) {
            Optional<GraphPermission.SchemeFacts> f = p.in(Scheme.DELEGATED_WORK).or(() -> p.in(Scheme.DELEGATED_PERSONAL));
            f.ifPresent(facts -> scopes.add(new PermissionScope(facts.id(), p.name(),
                    facts.requiresAdminConsent() ? "Admin" : "User", p.name(), p.name(), true)));
        }
        return List.copyOf(scopes);
    }

    /** The Graph service principal's application permissions ({@code appRoles}). */
    public List<AppRole> appRoles() {
        List<AppRole> roles = new ArrayList<>();
        for (GraphPermission p : permissions) {
            p.in(Scheme.APPLICATION).ifPresent(f -> roles.add(new AppRole(f.id(), p.name(), p.name(), null,
                    List.of("Application"), true)));
        }
        return List.copyOf(roles);
    }

    /** Every path fact (loads the path index on first use). */
    public List<PathRule> pathRules() {
        return index().rules;
    }

    /** What allows {@code method} on {@code path} for {@code scheme}. */
    public PathMatch match(String method, String path, Scheme scheme) {
        return match(method, GraphPath.parse(path), scheme);
    }

    /** As {@link #match(String, String, Scheme)}, for a path already parsed. */
    public PathMatch match(String method, GraphPath path, Scheme scheme) {
        String[] segments = path.matchSegments();
        PathIndex index = index();
        List<PathIndex.Compiled> candidates = index.candidates(segments);
        int[] best = null;
        List<PathIndex.Compiled> winners = new ArrayList<>();
        for (PathIndex.Compiled c : candidates) {
            int[] score = c.score(segments);
            if (score == null) {
                continue;
            }
            int cmp = best == null ? 1 : compare(score, best);
            if (cmp > 0) {
                best = score;
                winners.clear();
                winners.add(c);
            } else if (cmp == 0) {
                winners.add(c);
            }
        }
        if (winners.isEmpty()) {
            GraphPath meDrive = path.asMeDrive();
            // Graph's /drive singleton is the signed-in user's drive; the permission data lists its paths under /me/drive.
            return meDrive == path ? new PathMatch.NoSuchPath(path.display()) : match(method, meDrive, scheme);
        }
        String verb = method.toUpperCase(Locale.ROOT);
        // The answer depends only on the winning templates, the method and the scheme, not on the ids in the path:
        // worked out once per combination (a bounded set: the data's templates times methods times schemes).
        StringBuilder key = new StringBuilder(verb).append(' ').append(scheme.name());
        for (PathIndex.Compiled c : winners) {
            key.append(' ').append(c.ordinal);
        }
        return matches.computeIfAbsent(key.toString(), k -> matched(verb, scheme, winners));
    }

    private PathMatch.Matched matched(String verb, Scheme scheme, List<PathIndex.Compiled> winners) {
        Set<String> templates = new LinkedHashSet<>();
        List<PathRule> allowing = new ArrayList<>();
        for (PathIndex.Compiled c : winners) {
            templates.add(c.rule.template());
            if (c.rule.methods().contains(verb) && c.rule.schemes().contains(scheme)) {
                allowing.add(c.rule);
            }
        }
        Comparator<PathRule> leastFirst = Comparator
                .comparing((PathRule r) -> !r.leastFor().contains(scheme))
                .thenComparingInt(PathRule::methodCount)
                .thenComparingInt(r -> privilege(r.permission(), scheme))
                .thenComparing(r -> r.permission().contains("ReadWrite"))
                .thenComparing(PathRule::permission);
        allowing.sort(leastFirst);
        List<String> sufficient = new ArrayList<>();
        Map<String, List<String>> also = new LinkedHashMap<>();
        for (PathRule r : allowing) {
            if (!sufficient.contains(r.permission())) {
                sufficient.add(r.permission());
            }
            if (!r.alsoRequires().isEmpty()) {
                also.putIfAbsent(r.permission(), r.alsoRequires());
            }
        }
        if (verb.equals("GET")) {
            // Microsoft's data sometimes lists X.ReadWrite on a template only for the writing methods (GET
            // /me/messages/{id}: Mail.Read, not Mail.ReadWrite), yet Graph reads with it: a ReadWrite permission the
            // data names on the same template reads wherever its Read counterpart does.
            for (PathIndex.Compiled c : winners) {
                String p = c.rule.permission();
                if (c.rule.schemes().contains(scheme) && p.contains(".ReadWrite") && !sufficient.contains(p)
                        && sufficient.contains(p.replace(".ReadWrite", ".Read"))) {
                    sufficient.add(p);
                }
            }
        }
        List<String> least = new ArrayList<>();
        if (!allowing.isEmpty() && allowing.get(0).leastFor().contains(scheme)) {
            PathRule top = allowing.get(0);
            for (PathRule r : allowing) {
                if (leastFirst.compare(r, top) == 0 || (r.permission().equals(top.permission()))) {
                    if (!least.contains(r.permission())) {
                        least.add(r.permission());
                    }
                }
            }
        }
        return new PathMatch.Matched(List.copyOf(templates), List.copyOf(sufficient), List.copyOf(least), Map.copyOf(also));
    }

    private int privilege(String permission, Scheme scheme) {
        return permission(permission).flatMap(p -> p.in(scheme)).map(GraphPermission.SchemeFacts::privilegeLevel)
                .orElse(Integer.MAX_VALUE);
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    private PathIndex index() {
        PathIndex i = paths;
        if (i == null) {
            synchronized (this) {
                i = paths;
                if (i == null) {
                    try {
                        i = new PathIndex(pathSource.load());
                    } catch (IOException e) {
                        throw new UncheckedIOException("the permission path index is unreadable", e);
                    }
                    paths = i;
                }
            }
        }
        return i;
    }

    /** The path rules, compiled and grouped by segment count. */
    private static final class PathIndex {
        final List<PathRule> rules;
        /**
         * The templates a path may match, by segment count and literal first segment ({@code "2 users"}): that family's
         * templates together with those of the same count whose first segment is not a literal (a function such as
         * {@code applications(appId='{appId}')}), in the index's order, so that equal matches are listed as before; by
         * count alone ({@code "2"}) the latter only, for a path whose first segment no template names. A path is then
         * scored against its own family, not against every template of its length.
         */
        final Map<String, List<Compiled>> byCountAndFirst = new HashMap<>();

        PathIndex(List<PathRule> rules) {
            this.rules = List.copyOf(rules);
            int ordinal = 0;
            Map<String, List<Compiled>> families = new HashMap<>();
            for (PathRule r : rules) {
                Compiled c = new Compiled(r, r.segments(), ordinal++);
                String key = c.segments.length == 0 || c.kinds[0] != Compiled.LITERAL ? String.valueOf(c.segments.length)
                        : c.segments.length + " " + c.segments[0];
                families.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
            families.forEach((key, family) -> {
                List<Compiled> any = key.indexOf(' ') < 0 ? List.of()
                        : families.getOrDefault(key.substring(0, key.indexOf(' ')), List.of());
                List<Compiled> both = new ArrayList<>(family);
                both.addAll(any);
                both.sort(java.util.Comparator.comparingInt(c -> c.ordinal));
                byCountAndFirst.put(key, List.copyOf(both));
            });
        }

        /** Every template that may match {@code path} (lower-case segments): the same count, and the same first literal. */
        List<Compiled> candidates(String[] path) {
            List<Compiled> family = path.length == 0 ? null : byCountAndFirst.get(path.length + " " + path[0]);
            return family != null ? family : byCountAndFirst.getOrDefault(String.valueOf(path.length), List.of());
        }

        /** A template segment is a literal, a placeholder ({@code {id}}) or a function call with a placeholder. */
        static final class Compiled {
            static final int PLACEHOLDER = 1;
            static final int FUNCTION = 2;
            static final int LITERAL = 3;
            final PathRule rule;
            final String[] segments;
            final int[] kinds;
            final String[] prefixes;
            final String[] suffixes;

            /** The rule's position in the index: names it in the cache of answers. */
            final int ordinal;

            Compiled(PathRule rule, String[] segments, int ordinal) {
                this.ordinal = ordinal;
                this.rule = rule;
                this.segments = segments;
                this.kinds = new int[segments.length];
                this.prefixes = new String[segments.length];
                this.suffixes = new String[segments.length];
                for (int i = 0; i < segments.length; i++) {
                    String s = segments[i];
                    int brace = s.indexOf('{');
                    if (brace < 0) {
                        kinds[i] = LITERAL;
                    } else if (brace == 0 && s.endsWith("}")) {
                        kinds[i] = PLACEHOLDER;
                    } else {
                        // Text around a placeholder: getByPath(path='{value}'), or {id}: of site path addressing.
                        // The concrete segment must begin and end with that text.
                        kinds[i] = FUNCTION;
                        int paren = s.indexOf('(');
                        prefixes[i] = paren < 0 ? s.substring(0, brace) : s.substring(0, paren + 1);
                        suffixes[i] = s.substring(s.lastIndexOf('}') + 1);
                    }
                }
            }

            /**
             * The specificity of the match (literal over function over placeholder, left first), or null: the segment
             * kinds themselves, shared and never written (scored for every candidate on every Graph call).
             */
            int[] score(String[] path) {
                for (int i = 0; i < segments.length; i++) {
                    switch (kinds[i]) {
                        case LITERAL -> {
                            if (!segments[i].equals(path[i])) {
                                return null;
                            }
                        }
                        case FUNCTION -> {
                            if (!path[i].startsWith(prefixes[i]) || !path[i].endsWith(suffixes[i])
                                    || path[i].length() <= prefixes[i].length() + suffixes[i].length()) {
                                return null;
                            }
                        }
                        default -> {
                            if (path[i].isEmpty()) {
                                return null;
                            }
                        }
                    }
                }
                return kinds;
            }
        }
    }
}
