package dev.consentry.graph.authz;

import dev.consentry.core.permission.GraphPath;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A call to Microsoft Graph as the engine sees it.
 *
 * @param method the HTTP method, upper case
 * @param path the request path with its version prefix ({@code /v1.0/me}), without the query
 * @param authorization the {@code Authorization} header, or null when absent
 * @param graphPath {@code path} as the one Graph path parser reads it, parsed once per request
 * @param clientAddress the caller's address as the server sees it (or as a trusted local proxy forwarded it), which
 *     continuous access evaluation matches against location policies; null when unknown
 */
public record GraphRequest(String method, String path, String authorization, GraphPath graphPath, InetAddress clientAddress) {
    public GraphRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(graphPath, "graphPath");
    }

    /** A call from {@code clientAddress}. */
    public GraphRequest(String method, String path, String authorization, InetAddress clientAddress) {
        this(method, path, authorization, GraphPath.parse(path), clientAddress);
    }

    /** A call from an unknown address. */
    public GraphRequest(String method, String path, String authorization) {
        this(method, path, authorization, null);
    }
}
