package dev.consentry.core.permission;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One fact of the path index: {@code permission} lets a caller of {@code schemes} use {@code methods} on
 * {@code template}; it is the least privileged choice for the schemes in {@code leastFor}; and with it
 * the caller also needs one of {@code alsoRequires}, if any.
 *
 * @param methodCount how many methods the permission's path set covers (the tie-break of least privilege:
 *     a marker inside a set of fewer methods wins)
 */
public record PathRule(String template, Set<String> methods, Set<Scheme> schemes, String permission,
                       Set<Scheme> leastFor, List<String> alsoRequires, int methodCount) {
    public PathRule {
        Objects.requireNonNull(template, "template");
        methods = Set.copyOf(methods);
        schemes = Set.copyOf(schemes);
        leastFor = Set.copyOf(leastFor);
        alsoRequires = List.copyOf(alsoRequires);
    }

    /** The template's segments, lower-case, without the leading slash. */
    public String[] segments() {
        String t = template.startsWith("/") ? template.substring(1) : template;
        // A reference operation (.../members/$ref) is matched as its relationship, as requests are (see
        // GraphPermissionCatalogue.normalise): the data lists most without the $ref segment, some with it.
        if (t.toLowerCase(Locale.ROOT).endsWith("/$ref")) {
            t = t.substring(0, t.length() - "/$ref".length());
        }
        return t.isEmpty() ? new String[0] : t.toLowerCase(Locale.ROOT).split("/", -1);
    }
}
