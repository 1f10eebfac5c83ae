package dev.consentry.core.permission;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The built-in catalogue's own file format: UTF-8, tab-separated, one fact per line, sorted, so diffs of a
 * regenerated catalogue read well.
 *
 * <ul>
 *   <li>{@code graph-permissions.tsv}: {@code name} then one field per scheme
 *       {@code <W|P|A>:<id>:<admin 0|1>:<privilege level>:<synthetic id 0|1>};</li>
 *   <li>{@code graph-paths.tsv.gz} (gzip): {@code template, methods (comma), schemes (letters),
 *       permission, least-privileged for (letters), also-requires (comma)};</li>
 *   <li>{@code directory-roles.tsv}: {@code role template id, display name, privileged 0|1}.</li>
 * </ul>
 */
public final class CatalogueFiles {
    private CatalogueFiles() {}

    public static void writePermissions(List<GraphPermission> permissions, Writer out) throws IOException {
        List<GraphPermission> sorted = new ArrayList<>(permissions);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        for (GraphPermission p : sorted) {
            StringBuilder line = new StringBuilder(p.name());
            for (Map.Entry<Scheme, GraphPermission.SchemeFacts> e : p.schemes().entrySet()) {
                GraphPermission.SchemeFacts f = e.getValue();
                line.append('\t').append(e.getKey().code()).append(':').append(f.id()).append(':')
                        .append(f.requiresAdminConsent() ? 1 : 0).append(':').append(f.privilegeLevel()).append(':')
                        .append(f.synthetic() ? 1 : 0);
            }
            out.write(line.append('\n').toString());
        }
    }

    public static List<GraphPermission> readPermissions(BufferedReader in) throws IOException {
        List<GraphPermission> all = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t");
            Map<Scheme, GraphPermission.SchemeFacts> schemes = new EnumMap<>(Scheme.class);
            for (int i = 1; i < f.length; i++) {
                String[] s = f[i].split(":");
                schemes.put(Scheme.fromCode(s[0].charAt(0)), new GraphPermission.SchemeFacts(UUID.fromString(s[1]),
                        s[2].equals("1"), Integer.parseInt(s[3]), s[4].equals("1")));
            }
            all.add(new GraphPermission(f[0], schemes));
        }
        return all;
    }

    public static void writePaths(List<PathRule> rules, Writer out) throws IOException {
        List<String> lines = new ArrayList<>(rules.size());
        for (PathRule r : rules) {
            lines.add(r.template() + '\t' + String.join(",", new TreeSet<>(r.methods())) + '\t' + codes(r.schemes()) + '\t'
                    + r.permission() + '\t' + codes(r.leastFor()) + '\t' + String.join(",", r.alsoRequires()));
        }
        lines.sort(null);
        for (String l : lines) {
            out.write(l);
            out.write('\n');
        }
    }

    public static List<PathRule> readPaths(BufferedReader in) throws IOException {
        List<PathRule> rules = new ArrayList<>(64_000);
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            Set<String> methods = Set.of(f[1].split(","));
            rules.add(new PathRule(f[0], methods, schemes(f[2]), f[3], schemes(f[4]),
                    f[5].isEmpty() ? List.of() : Arrays.asList(f[5].split(",")), methods.size()));
        }
        return rules;
    }

    private static String codes(Set<Scheme> schemes) {
        StringBuilder b = new StringBuilder();
        for (Scheme s : Scheme.values()) {
            if (schemes.contains(s)) {
                b.append(s.code());
            }
        }
        return b.toString();
    }

    private static Set<Scheme> schemes(String codes) {
        Set<Scheme> set = EnumSet.noneOf(Scheme.class);
        for (char c : codes.toCharArray()) {
            set.add(Scheme.fromCode(c));
        }
        return set;
    }
}
