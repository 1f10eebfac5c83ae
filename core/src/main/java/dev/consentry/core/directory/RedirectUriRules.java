package dev.consentry.core.directory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which redirect URIs an application may register on each platform, as Entra's application model restricts them
 * (learn.microsoft.com/entra/identity-platform/reply-url): an absolute URI of at most 256 characters without a
 * fragment; {@code https}, or {@code http} on a loopback host ({@code localhost}, {@code 127.0.0.1}); a public client
 * (desktop and mobile) may also use its own scheme ({@code msal<client id>://auth}, {@code myapp://callback}), and a web
 * app the out-of-band URN and the Windows broker's {@code ms-appx-web} scheme, which Graph accepts there.
 *
 * <p>Guaranteed: a scheme that runs or embeds content in the browser ({@code javascript:}, {@code data:},
 * {@code vbscript:}, {@code file:} and the like) is refused on every platform; the tenant file and Graph's application
 * writes refuse the same URIs, with the reason this class gives.
 */
public final class RedirectUriRules {
    /** Entra's limit on the length of one redirect URI. */
    public static final int MAX_LENGTH = 256;
    /** Schemes that would hand a code or a token to script, a file or an embedded document. */
    private static final Set<String> NEVER = Set.of("javascript", "data", "vbscript", "file", "about", "blob", "filesystem",
            "view-source", "ftp");
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1");

    /** The platform of an application a redirect URI is registered on, by its Graph property name. */
    public enum Platform {
        WEB("web"), SPA("spa"), PUBLIC_CLIENT("publicClient");

        private final String property;

        Platform(String property) {
            this.property = property;
        }

        /** Graph's property of {@code application} that holds the platform ({@code web}, {@code spa}, {@code publicClient}). */
        public String property() {
            return property;
        }
    }

    private RedirectUriRules() {}

    /** Why {@code uri} cannot be registered on {@code platform}; empty when it can. */
    public static Optional<String> problem(Platform platform, String uri) {
        if (uri == null || uri.isBlank()) {
            return Optional.of("a redirect URI cannot be empty");
        }
        if (uri.length() > MAX_LENGTH) {
            return Optional.of("a redirect URI has at most " + MAX_LENGTH + " characters, and this one has " + uri.length());
        }
        // The scheme first, read as RFC 3986 spells it: a dangerous one is refused even where the rest is not a valid URI.
        Matcher m = SCHEME.matcher(uri);
        if (!m.find()) {
            return Optional.of("'" + uri + "' is not an absolute URI: a redirect URI starts with its scheme, such as https://");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (NEVER.contains(scheme)) {
            return Optional.of("the scheme '" + scheme + ":' is never a redirect URI's: the code or token would go to script or"
                    + " a local document instead of the app");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("'" + uri + "' is not a valid URI (" + e.getReason() + ")");
        }
        if (parsed.getRawFragment() != null) {
            return Optional.of("'" + uri + "' has a fragment ('#...'), which a redirect URI cannot have");
        }
        if (scheme.equals("https")) {
            return parsed.getHost() == null ? Optional.of("'" + uri + "' names no host") : Optional.empty();
        }
        if (scheme.equals("http")) {
            String host = parsed.getHost() == null ? "" : parsed.getHost().toLowerCase(Locale.ROOT);
            return LOOPBACK_HOSTS.contains(host) ? Optional.empty()
                    : Optional.of("'" + uri + "' uses http on a host that is not loopback: only http://localhost and "
                            + "http://127.0.0.1 may use http; any other host needs https");
        }
        return switch (platform) {
            case PUBLIC_CLIENT -> Optional.empty();
            case WEB -> scheme.equals("urn") || scheme.equals("ms-appx-web") ? Optional.empty()
                    : Optional.of("the scheme '" + scheme + ":' is only for public client (mobile and desktop) redirect URIs;"
                            + " a web app's use https (or http on localhost)");
            case SPA -> Optional.of("a single-page application's redirect URI uses https (or http on localhost), not '"
                    + scheme + ":'");
        };
    }
}
