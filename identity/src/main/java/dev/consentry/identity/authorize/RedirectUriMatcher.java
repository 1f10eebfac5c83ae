package dev.consentry.identity.authorize;

import dev.consentry.core.directory.Application;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Matches a requested redirect URI against an app registration (wire spec, section 1.4).
 *
 * <p>Guaranteed: a match is an exact, case-sensitive string equality with one registered URI, with one
 * exception that RFC 8252, section 7.3 asks for: a {@code publicClient} URI on {@code http://localhost}
 * or {@code http://127.0.0.1} (or {@code [::1]}) matches the same URI on any port, because native apps
 * (MSAL4J's interactive flow among them) listen on an ephemeral port. Scheme, host, path and query still
 * match exactly there, and the port matters for every other URI.
 */
public final class RedirectUriMatcher {
    private RedirectUriMatcher() {}

    /** The platform section of the app registration that a redirect URI came from. */
    public enum Platform {
        WEB("web"), SPA("single-page application"), PUBLIC_CLIENT("public (mobile and desktop)");

        private final String description;

        Platform(String description) {
            this.description = description;
        }

        /** How the portal names the platform. */
        public String description() {
            return description;
        }

        /** True for clients that hold no secret, and so must use PKCE with S256. */
        public boolean isPublic() {
            return this != WEB;
        }
    }

    /** Every registered redirect URI of the app, over all platforms. */
    public static List<String> registered(Application app) {
        List<String> all = new ArrayList<>(app.web().redirectUris());
        all.addAll(app.spa().redirectUris());
        all.addAll(app.publicClient().redirectUris());
        return all;
    }

    /** The platform whose registered URI {@code requested} matches; empty when none does. */
    public static Optional<Platform> match(Application app, String requested) {
        if (requested == null) {
            return Optional.empty();
        }
        if (app.web().redirectUris().contains(requested)) {
            return Optional.of(Platform.WEB);
        }
        if (app.spa().redirectUris().contains(requested)) {
            return Optional.of(Platform.SPA);
        }
        for (String r : app.publicClient().redirectUris()) {
            if (r.equals(requested) || sameLoopbackIgnoringPort(r, requested)) {
                return Optional.of(Platform.PUBLIC_CLIENT);
            }
        }
        return Optional.empty();
    }

    /** A short, precise reason why no registered URI matched, for the diagnosis. */
    public static String whyNot(Application app, String requested) {
        for (String r : registered(app)) {
            if (r.equalsIgnoreCase(requested)) {
                return "It differs from '" + r + "' only in letter case; redirect URIs are compared case-sensitively.";
            }
            if (stripSlash(r).equals(stripSlash(requested))) {
                return "It differs from '" + r + "' only in a trailing slash.";
            }
            String rq = withoutQuery(r);
            if (rq.equals(withoutQuery(requested)) && !r.equals(requested)) {
                return "It differs from '" + r + "' only in the query string.";
            }
            Optional<URI> a = parse(r);
            Optional<URI> b = parse(requested);
            if (a.isPresent() && b.isPresent() && sameExceptPort(a.get(), b.get())) {
                return isLoopback(a.get())
                        ? "It differs from '" + r + "' only in the port; only publicClient loopback URIs may change port, and '" + r + "' is not on the publicClient platform."
                        : "It differs from '" + r + "' only in the port; the port must match for a URI that is not loopback.";
            }
        }
        return "No registered URI is close to it.";
    }

    private static boolean sameLoopbackIgnoringPort(String registered, String requested) {
        Optional<URI> a = parse(registered);
        Optional<URI> b = parse(requested);
        return a.isPresent() && b.isPresent() && "http".equals(a.get().getScheme()) && isLoopback(a.get())
                && sameExceptPort(a.get(), b.get());
    }

    private static boolean sameExceptPort(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equals(b.getScheme())
                && a.getRawUserInfo() == null && b.getRawUserInfo() == null
                && a.getHost() != null && a.getHost().equals(b.getHost())
                && rawOr(a.getRawPath()).equals(rawOr(b.getRawPath()))
                && java.util.Objects.equals(a.getRawQuery(), b.getRawQuery())
                && a.getRawFragment() == null && b.getRawFragment() == null;
    }

    private static boolean isLoopback(URI u) {
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    private static String rawOr(String s) {
        return s == null ? "" : s;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String withoutQuery(String s) {
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private static Optional<URI> parse(String s) {
        try {
            return Optional.of(new URI(s));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
