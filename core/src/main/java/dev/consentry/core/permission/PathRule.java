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
        t = withoutRef(t);
        return t.isEmpty() ? new String[0] : t.toLowerCase(Locale.ROOT).split("/", -1);
    }

    /**
     * {@code path} without a final {@code /$ref} segment: a reference operation ({@code POST .../members/$ref},
     * {@code DELETE .../members/{id}/$ref}) is authorized as its relationship. Microsoft's data lists most of them
     * without the segment and some with it; templates and requests both pass through here, so either matches.
     */
    static String withoutRef(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith("/$ref") ? path.substring(0, path.length() - "/$ref".length()) : path;
    }
}
