package dev.consentry.graph.authz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.consentry.core.permission.GraphPath;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A call to Microsoft Graph as the engine sees it.
 *
 * @param method the HTTP method, upper case
 * @param path the request path with its version prefix ({@code /v1.0/me}), without the query
 * @param authorization the {@code Authorization} header, or null when absent
 * @param graphPath {@code path} as the one Graph path parser reads it, parsed once per request
 * @param clientAddress the caller's address as the server sees it (or as a trusted local proxy forwarded it), which
 *     continuous access evaluation matches against location policies; null when unknown
 * @param bodyProperties the names of the JSON body's top-level properties, lower case (a password change is a
 *     {@code PATCH /users/{id}} whose body names {@code passwordProfile}); empty without a JSON object body
 */
public record GraphRequest(String method, String path, String authorization, GraphPath graphPath, InetAddress clientAddress,
                           Set<String> bodyProperties) {
    private static final JsonFactory JSON = new JsonFactory();

    public GraphRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(graphPath, "graphPath");
        bodyProperties = bodyProperties == null ? Set.of() : Set.copyOf(bodyProperties);
    }

    /** A call from {@code clientAddress} with {@code body} (null or empty: none). */
    public GraphRequest(String method, String path, String authorization, InetAddress clientAddress, byte[] body) {
        this(method, path, authorization, GraphPath.parse(path), clientAddress, topLevelProperties(body));
    }

    /** A call from {@code clientAddress}, without a body. */
    public GraphRequest(String method, String path, String authorization, InetAddress clientAddress) {
        this(method, path, authorization, GraphPath.parse(path), clientAddress, Set.of());
    }

    /** A call from an unknown address. */
    public GraphRequest(String method, String path, String authorization) {
        this(method, path, authorization, null);
    }

    /** Whether the body names the top-level property {@code name} (any case). */
    public boolean bodyNames(String name) {
        return bodyProperties.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The top-level property names of {@code body} read as a JSON object, lower case; empty when it is none (the data
     * layer answers a body it cannot use). Values are skipped, not kept: a password is never held here.
     */
    static Set<String> topLevelProperties(byte[] body) {
        if (body == null || body.length == 0) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Set.of();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                names.add(p.currentName().toLowerCase(Locale.ROOT));
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException e) {
            return Set.of();
        }
        return names;
    }
}
