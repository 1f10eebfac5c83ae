package dev.consentry.core.permission;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A Microsoft Graph request path, read once by the one parser of Graph paths ({@link #parse}): the authorization
 * engine matches it against path templates, the data layer reads its segments, the licence stage its workload.
 *
 * <p>{@link #parse} accepts a path ({@code /v1.0/users/a%40b.example/$ref?x=1}) or a full URL
 * ({@code https://graph.microsoft.com/beta/me}); it drops the query and fragment, the version prefix (remembered in
 * {@link #version}), trailing slashes and a final {@code $ref} segment (remembered in {@link #ref}), and
 * percent-decodes each segment (a {@code +} stays a plus, as Graph reads paths). Segments keep their case; the
 * matching form is lower case ({@link #matchSegments}).
 *
 * @param version {@code v1.0}, {@code beta}, or null when the path had no version prefix
 * @param segments the decoded segments after the version, without a final {@code $ref}
 * @param ref true when the path ended in {@code /$ref} (a reference, not the object)
 */
public record GraphPath(String version, List<String> segments, boolean ref) {
    public GraphPath {
        segments = List.copyOf(segments);
    }

    public static GraphPath parse(String pathOrUrl) {
        Objects.requireNonNull(pathOrUrl, "pathOrUrl");
        String p = pathOrUrl;
        int cut = indexOfAny(p, '?', '#');
        if (cut >= 0) {
            p = p.substring(0, cut);
        }
        if (p.regionMatches(true, 0, "https://", 0, 8) || p.regionMatches(true, 0, "http://", 0, 7)) {
            int slash = p.indexOf('/', p.indexOf("//") + 2);
            p = slash < 0 ? "/" : p.substring(slash);
        }
        String version = null;
        for (String v : new String[] {"v1.0", "beta"}) {
            if (p.regionMatches(true, 0, "/" + v, 0, v.length() + 1) && (p.length() == v.length() + 1 || p.charAt(v.length() + 1) == '/')) {
                version = v;
                p = p.substring(v.length() + 1);
                break;
            }
        }
        while (p.endsWith("/") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        boolean ref = p.regionMatches(true, Math.max(0, p.length() - 5), "/$ref", 0, 5) && p.length() >= 5;
        if (ref) {
            p = p.substring(0, p.length() - 5);
        }
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        // Empty segments in the middle stay (a//b has three), so such a path matches no template, as before.
        List<String> raw = p.isEmpty() ? List.of() : List.of(p.split("/", -1));
        List<String> decoded = new ArrayList<>(raw.size());
        for (String s : raw) {
            decoded.add(decode(s));
        }
        return new GraphPath(version, decoded, ref);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment; // a stray '%': Graph would not find such a segment either, and says which
        }
    }

    /**
     * The segments in lower case, as path templates are matched, and without the empty parentheses of a function called
     * without parameters: the Graph SDKs send {@code /users/{id}/chats/getAllMessages()} and {@code /users/delta()},
     * which Microsoft's permission data lists as {@code getallmessages} and {@code delta}.
     */
    public String[] matchSegments() {
        String[] out = new String[segments.size()];
        for (int i = 0; i < out.length; i++) {
            String s = segments.get(i).toLowerCase(Locale.ROOT);
            out[i] = s.length() > 2 && s.endsWith("()") ? s.substring(0, s.length() - 2) : s;
        }
        return out;
    }

    /** The {@code n}th segment (0 is the first after the version), or empty. */
    public Optional<String> segment(int n) {
        return n >= 0 && n < segments.size() ? Optional.of(segments.get(n)) : Optional.empty();
    }

    /**
     * True for {@code /me} and everything under it, and for Graph's {@code /drive} singleton and everything under it,
     * which is the signed-in user's OneDrive ({@code GET /drive} is {@code GET /me/drive}: "Get Drive", Microsoft Graph
     * v1.0 reference, https://learn.microsoft.com/graph/api/drive-get).
     */
    public boolean isMe() {
        return !segments.isEmpty() && (segments.get(0).equalsIgnoreCase("me") || segments.get(0).equalsIgnoreCase("drive"));
    }

    /** True for the signed-in user's drive and everything under it: {@code /me/drive...} or {@code /drive...}. */
    public boolean isSignedInUsersDrive() {
        return !segments.isEmpty() && (segments.get(0).equalsIgnoreCase("drive")
                || segments.get(0).equalsIgnoreCase("me") && segments.size() > 1 && segments.get(1).equalsIgnoreCase("drive"));
    }

    /**
     * This path with {@code /drive...} written as {@code /me/drive...}, the form Microsoft's permission data lists; this
     * path itself for any other.
     */
    public GraphPath asMeDrive() {
        if (segments.isEmpty() || !segments.get(0).equalsIgnoreCase("drive")) {
            return this;
        }
        List<String> withMe = new ArrayList<>(segments.size() + 1);
        withMe.add("me");
        withMe.addAll(segments);
        return new GraphPath(version, withMe, ref);
    }

    /** The user a {@code /users/{id or user principal name}/...} path names; empty for any other path. */
    public Optional<String> namedUser() {
        return segments.size() > 1 && segments.get(0).equalsIgnoreCase("users") ? Optional.of(segments.get(1))
                : Optional.empty();
    }

    /**
     * The application or service principal a path names, by object id ({@code /applications/{id}/...}) or by app id
     * ({@code /servicePrincipals(appId='{appId}')/...}), any case; empty for any other path and for the collections
     * themselves ({@code POST /applications}).
     */
    public Optional<NamedApp> namedApp() {
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        String first = segments.get(0);
        java.util.regex.Matcher byAppId = BY_APP_ID.matcher(first);
        if (byAppId.matches()) {
            return Optional.of(new NamedApp(byAppId.group(1).equalsIgnoreCase("servicePrincipals"), byAppId.group(2), true));
        }
        boolean application = first.equalsIgnoreCase("applications");
        if ((application || first.equalsIgnoreCase("servicePrincipals")) && segments.size() > 1) {
            return Optional.of(new NamedApp(!application, segments.get(1), false));
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern BY_APP_ID =
            java.util.regex.Pattern.compile("(?i)(applications|servicePrincipals)\\(appId='([^']*)'\\)");

    /**
     * An application or service principal as a path names it.
     *
     * @param servicePrincipal true for {@code /servicePrincipals...}, false for {@code /applications...}
     * @param key the object id or app id as written (not checked to be a GUID)
     * @param byAppId true when {@code key} is an app id ({@code (appId='...')})
     */
    public record NamedApp(boolean servicePrincipal, String key, boolean byAppId) {}

    /** The path as it reads, decoded: version, segments and {@code $ref}, without the query. */
    public String display() {
        return (version == null ? "" : "/" + version) + (segments.isEmpty() && version != null ? "" : relative())
                + (ref ? "/$ref" : "");
    }

    /** {@code /seg/seg}, decoded, without version or {@code $ref}; {@code /} for none. */
    public String relative() {
        return "/" + String.join("/", segments);
    }
}
