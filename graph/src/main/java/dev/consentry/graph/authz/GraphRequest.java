package dev.consentry.graph.authz;

import dev.consentry.core.permission.GraphPath;
import java.util.Objects;

/**
 * A call to Microsoft Graph as the engine sees it.
 *
 * @param method the HTTP method, upper case
 * @param path the request path with its version prefix ({@code /v1.0/me}), without the query
 * @param authorization the {@code Authorization} header, or null when absent
 * @param graphPath {@code path} as the one Graph path parser reads it, parsed once per request
 */
public record GraphRequest(String method, String path, String authorization, GraphPath graphPath) {
    public GraphRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(graphPath, "graphPath");
    }

    public GraphRequest(String method, String path, String authorization) {
        this(method, path, authorization, GraphPath.parse(path));
    }
}
