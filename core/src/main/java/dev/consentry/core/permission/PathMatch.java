package dev.consentry.core.permission;

import java.util.List;
import java.util.Map;

/** What the catalogue knows about one method and path for one scheme. */
public sealed interface PathMatch {

    /** No template of Microsoft Graph matches the path. */
    record NoSuchPath(String path) implements PathMatch {}

    /**
     * The path is Graph's, under {@code templates} (the most specific matching ones).
     *
     * @param sufficient every permission that allows the call in this scheme, least privileged first;
     *     empty when no permission of this scheme allows this method here
     * @param leastPrivileged the least privileged ones (usually one)
     * @param alsoRequires per permission, the permissions of which the caller needs one more
     */
    record Matched(List<String> templates, List<String> sufficient, List<String> leastPrivileged,
                   Map<String, List<String>> alsoRequires) implements PathMatch {}
}
