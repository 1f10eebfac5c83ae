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
 */
public record ServerConfig(String host, int port, Optional<URI> publicBaseUrl, Optional<Path> dataDir, Clock clock) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8443;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
    }
}
