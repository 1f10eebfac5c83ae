package dev.consentry.graph.resource;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One allowed Graph call, as the resources need it: the transport has read it, the engine has allowed it.
 *
 * @param method     the HTTP method, upper case
 * @param path       the request path with its version prefix ({@code /v1.0/users})
 * @param version    {@code v1.0} or {@code beta}
 * @param query      the query parameters, decoded, in request order
 * @param headers    the request headers the resources read, by lower-case name ({@code consistencylevel})
 * @param body       the request body (empty when there is none), at most the transport's limit
 * @param tenant     the token's tenant
 * @param caller     the signed-in user's object id; empty for an app-only token
 * @param clientId   the token's client (its {@code appid}/{@code azp}), for the audit log's "initiated by"
 * @param templates  the Graph path templates the engine matched
 * @param permission the permission the engine allowed the call by ({@code Application.ReadWrite.All}, ...)
 * @param origin     the origin the caller used, for {@code @odata.nextLink} and {@code Location}
 * @param now        the decision's instant
 */
public record GraphCall(String method, String path, String version, Map<String, List<String>> query,
                        Map<String, String> headers, byte[] body, TenantId tenant, Optional<ObjectId> caller,
                        Optional<String> clientId, List<String> templates, String permission, String origin, Instant now) {
    public GraphCall {
        Objects.requireNonNull(method, "method");
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
        templates = List.copyOf(templates);
    }

    /** True when the engine matched {@code template} for this call. */
    public boolean is(String method, String template) {
        return this.method.equals(method) && templates.contains(template);
    }

    /** The first value of a query parameter. */
    public Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** This call with another body (the same body with names as Graph's metadata spells them). */
    public GraphCall withBody(byte[] replacement) {
        return new GraphCall(method, path, version, query, headers, replacement, tenant, caller, clientId, templates,
                permission, origin, now);
    }

    /** The body as a JSON object; empty when there is no body, it is not JSON, or it is not an object. */
    public Optional<com.fasterxml.jackson.databind.node.ObjectNode> bodyObject() {
        try {
            var node = body.length == 0 ? null : JSON.readTree(body);
            return node instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The {@code @odata.context} URL of {@code fragment} in this call's version: {@code .../v1.0/$metadata#users/$entity}. */
    public String context(String fragment) {
        return "https://graph.microsoft.com/" + version + "/$metadata#" + fragment;
    }

    /** A request header by name, any case. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
