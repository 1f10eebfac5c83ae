package dev.consentry.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the HTTP server.
 *
 * @param host the address to bind; loopback by default (secure by default: nothing outside the machine)
 * @param port the HTTPS port; 0 picks a free one
 * @param publicBaseUrl when set, every published URL uses this origin instead of the request's
 * @param dataDir where {@code ca.pem} is written; empty writes no file
 * @param clock the one source of time
 * @param permissionsFile a newer {@code permissions.json} published by Microsoft, read instead of the built-in
 *     Graph permission catalogue for authorizing Graph calls; empty uses the built-in one
 * @param recentDecisions how many Graph decisions are kept for {@code /consentry/diagnostics} (newest first; the
 *     oldest is dropped beyond it, so memory stays bounded)
 * @param permissionDescriptions Microsoft's {@code permissions-descriptions.json}, whose texts the consent page shows
 *     for Graph's permissions; empty shows Consentry's own one-line descriptions
 * @param trustForwardedFor take the client's address from {@code X-Forwarded-For} on requests from a loopback address
 * @param diagnosticsFromAnywhere serve {@code /consentry/diagnostics} to any caller, not only to this machine's (they
 *     show directory facts: users, apps, grants)
 *     (a proxy on this machine), for conditional access's named locations; off, the socket's address counts
 */
public record ServerConfig(String host, int port, Optional<URI> publicBaseUrl, Optional<Path> dataDir, Clock clock,
                           Optional<Path> permissionsFile, int recentDecisions, Optional<Path> permissionDescriptions,
                           boolean trustForwardedFor, boolean diagnosticsFromAnywhere) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8443;
    public static final int DEFAULT_RECENT_DECISIONS = 10_000;
    public static final int MAX_RECENT_DECISIONS = 1_000_000;

    /** The built-in permission catalogue and the default number of recorded decisions. */
    public ServerConfig(String host, int port, Optional<URI> publicBaseUrl, Optional<Path> dataDir, Clock clock) {
        this(host, port, publicBaseUrl, dataDir, clock, Optional.empty(), DEFAULT_RECENT_DECISIONS);
    }

    /** Consentry's own permission descriptions on the consent page. */
    public ServerConfig(String host, int port, Optional<URI> publicBaseUrl, Optional<Path> dataDir, Clock clock,
                        Optional<Path> permissionsFile, int recentDecisions) {
        this(host, port, publicBaseUrl, dataDir, clock, permissionsFile, recentDecisions, Optional.empty());
    }

    /** Without trusting {@code X-Forwarded-For}. */
    public ServerConfig(String host, int port, Optional<URI> publicBaseUrl, Optional<Path> dataDir, Clock clock,
                        Optional<Path> permissionsFile, int recentDecisions, Optional<Path> permissionDescriptions) {
        this(host, port, publicBaseUrl, dataDir, clock, permissionsFile, recentDecisions, permissionDescriptions, false);
    }

    /** Diagnostics served to this machine only. */
    public ServerConfig(String host, int port, Optional<URI> publicBaseUrl, Optional<Path> dataDir, Clock clock,
                        Optional<Path> permissionsFile, int recentDecisions, Optional<Path> permissionDescriptions,
                        boolean trustForwardedFor) {
        this(host, port, publicBaseUrl, dataDir, clock, permissionsFile, recentDecisions, permissionDescriptions,
                trustForwardedFor, false);
    }

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(permissionsFile, "permissionsFile");
        Objects.requireNonNull(permissionDescriptions, "permissionDescriptions");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (recentDecisions < 1 || recentDecisions > MAX_RECENT_DECISIONS) {
            throw new IllegalArgumentException("the number of recorded decisions must be between 1 and " + MAX_RECENT_DECISIONS);
        }
    }

    /**
     * True when the server listens on this machine only: {@code localhost} or a loopback address. Anything else (the
     * wildcard {@code 0.0.0.0}, a network address, a name) is reachable from other machines, which changes what the
     * server shows (no demo credentials in the banner; diagnostics only with a token).
     */
    public boolean loopbackOnly() {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return false; // a name other than localhost: never resolved here, so never taken for loopback
        }
        try {
            return java.net.InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                    .isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
