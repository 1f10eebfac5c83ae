package dev.consentry.graph.authz;

import java.util.Objects;

/**
 * A call to Microsoft Graph as the engine sees it.
 *
 * @param method the HTTP method, upper case
 * @param path the request path with its version prefix ({@code /v1.0/me}), without the query
 * @param authorization the {@code Authorization} header, or null when absent
 */
public record GraphRequest(String method, String path, String authorization) {
    public GraphRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
    }
}
