package dev.consentry.graph.authz;

import java.util.Optional;

/**
 * What a person may type for a Graph call in a what-if question: the whole URL on Graph's host
 * ({@code https://graph.microsoft.com/v1.0/...}), or the path from the version on ({@code /v1.0/...},
 * {@code beta/...}).
 */
public final class GraphUrls {
    /** Microsoft Graph's host, as URLs in its documentation name it. */
    public static final String GRAPH_ORIGIN = "https://graph.microsoft.com";
    /** The longest URL read: far above any Graph call's. */
    public static final int MAX_LENGTH = 8 * 1024;

    private GraphUrls() {}

    /** The path and query {@code given} names, starting with {@code /v1.0/} or {@code /beta/}; empty when it names none. */
    public static Optional<String> path(String given) {
        if (given == null || given.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String u = given.strip();
        if (u.regionMatches(true, 0, GRAPH_ORIGIN + "/", 0, GRAPH_ORIGIN.length() + 1)) {
            u = u.substring(GRAPH_ORIGIN.length());
        } else if (u.startsWith("v1.0/") || u.startsWith("beta/")) {
            u = "/" + u;
        }
        return u.startsWith("/v1.0/") || u.startsWith("/beta/") || u.equals("/v1.0") || u.equals("/beta")
                ? Optional.of(u) : Optional.empty();
    }
}
