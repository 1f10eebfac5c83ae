package dev.consentry.server.http;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The origin ({@code https://host:port}) on which to publish URLs for a request: the configured public
 * base URL when there is one, else the request's own {@code Host} header, so that a client that called
 * {@code https://localhost:8443} never receives {@code https://127.0.0.1:8443} (wire spec, section 2.10).
 *
 * <p>Guaranteed: a {@code Host} header that is not a plain host name, IPv4 or bracketed IPv6 address with
 * an optional port is never echoed; the bind address is used instead.
 */
public final class Origins {
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                    + "|\\[[0-9A-Fa-f:.]{2,45}])(?::[0-9]{1,5})?");
    private final Optional<String> configured;
    private final java.util.function.Supplier<String> fallback;
    /** Host headers already checked, to their origin: the regular expression runs once per distinct host. */
    private final java.util.concurrent.ConcurrentHashMap<String, String> checked = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CHECKED = 256;

    private final boolean trustForwardedFor;

    /** {@code fallback} gives the origin of the bound address (known only once the server listens). */
    public Origins(Optional<URI> publicBaseUrl, java.util.function.Supplier<String> fallback) {
        this(publicBaseUrl, fallback, false);
    }

    /** As above; {@code trustForwardedFor} makes {@link #clientAddress} read a local proxy's {@code X-Forwarded-For}. */
    public Origins(Optional<URI> publicBaseUrl, java.util.function.Supplier<String> fallback, boolean trustForwardedFor) {
        this.configured = publicBaseUrl.map(Origins::strip);
        this.fallback = fallback;
        this.trustForwardedFor = trustForwardedFor;
    }

    /**
     * Where the request came from, for conditional access's named locations: the socket's peer address, or, when
     * {@code serve --trust-forwarded-for} is set and the peer is a loopback address (a proxy on this machine), the first
     * address of {@code X-Forwarded-For} (the client the proxy saw). Only literal addresses are read, never looked up;
     * null when none can be read.
     */
    public java.net.InetAddress clientAddress(Context ctx) {
        java.net.InetAddress peer = literal(ctx.req().getRemoteAddr());
        String forwarded = ctx.header("X-Forwarded-For");
        if (trustForwardedFor && peer != null && peer.isLoopbackAddress() && forwarded != null) {
            java.net.InetAddress first = literal(forwarded.split(",", 2)[0].strip());
            if (first != null) {
                return first;
            }
        }
        return peer;
    }

    /**
     * An IPv4 literal (four dotted decimals) or an IPv6 literal (hex digits with at least one colon, bracketed or not,
     * an IPv4 tail allowed): text the JDK parses as an address without a name lookup. Hex digits alone ("beef") or with
     * dots only ("beef.cafe") would be host names, which {@link java.net.InetAddress#getByName} looks up.
     */
    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile(
            "\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*]?");
    /** Addresses already read, by their text: a client sends many requests from one address. Bounded; cleared when full. */
    private static final java.util.concurrent.ConcurrentHashMap<String, java.net.InetAddress> READ =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int READ_LIMIT = 1024;

    /** The address {@code text} writes as a literal, never looked up; null for any other text. */
    static java.net.InetAddress literal(String text) {
        if (text == null || text.length() > 45) {
            return null;
        }
        java.net.InetAddress known = READ.get(text);
        if (known != null) {
            return known;
        }
        if (!LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            java.net.InetAddress address = java.net.InetAddress.getByName(text.startsWith("[")
                    ? text.substring(1, text.length() - 1) : text);
            if (READ.size() >= READ_LIMIT) {
                READ.clear();
            }
            READ.put(text, address);
            return address;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static String strip(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The origin to publish for this request. */
    public String of(Context ctx) {
        if (configured.isPresent()) {
            return configured.get();
        }
        String host = ctx.header("Host");
        if (host == null) {
            return fallback.get();
        }
        String origin = checked.get(host);
        if (origin != null) {
            return origin;
        }
        if (host.length() > 300 || !HOST.matcher(host).matches()) {
            return fallback.get();
        }
        origin = "https://" + host.toLowerCase(java.util.Locale.ROOT);
        if (checked.size() >= MAX_CHECKED) {
            checked.clear();
        }
        checked.put(host, origin);
        return origin;
    }

    /** The host name part of the origin (no port), as instance discovery publishes it. */
    public static String hostOf(String origin) {
        URI uri = URI.create(origin);
        return uri.getHost();
    }
}
