package dev.consentry.graph.resource;

import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.User;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A user's authentication methods as Microsoft Graph v1.0 serves them, for the signed-in user ({@code /me}) or any
 * user by id or user principal name ({@code /users/{id}}):
 *
 * <ul>
 *   <li>{@code GET .../authentication/methods}: every method of the user, the password method first
 *       (https://learn.microsoft.com/graph/api/authentication-list-methods);</li>
 *   <li>{@code GET .../authentication/softwareOathMethods} and {@code .../softwareOathMethods/{id}}: the user's
 *       authenticator apps (https://learn.microsoft.com/graph/api/authentication-list-softwareoathmethods,
 *       softwareoathauthenticationmethod-get);</li>
 *   <li>{@code DELETE .../authentication/softwareOathMethods/{id}}: 204, the app removed
 *       (softwareoathauthenticationmethod-delete).</li>
 * </ul>
 *
 * <pre>{@code
 * curl -H "Authorization: Bearer $TOKEN" https://localhost:8443/v1.0/users/adele@contoso.com/authentication/softwareOathMethods
 * curl -X DELETE -H "Authorization: Bearer $TOKEN" https://localhost:8443/v1.0/me/authentication/softwareOathMethods/{id}
 * }</pre>
 *
 * <p>Guaranteed: {@code secretKey} is always null, as Graph's softwareOathAuthenticationMethod "Always returns null"
 * (the store keeps the secret to check codes); a method is found only among the methods of the user the path names,
 * in the token's tenant, so another user's or another tenant's method is 404 {@code Request_ResourceNotFound}, as is
 * an unknown user. The permissions ({@code UserAuthenticationMethod.Read}, {@code .Read.All}, {@code .ReadWrite},
 * {@code .ReadWrite.All}, {@code UserAuthMethod-SoftwareOATH.*}) and the directory roles a delegated caller needs for
 * another user are the engine's; this class serves only allowed calls.
 */
final class AuthenticationMethodResources {
    /**
     * The id Graph gives every user's password method: "the globally unique ID of the password authentication method
     * across Microsoft Entra ID" (https://learn.microsoft.com/graph/authenticationmethods-get-started, step 2).
     */
    static final String PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490";
    static final String PASSWORD_ODATA_TYPE = "#microsoft.graph.passwordAuthenticationMethod";
    private static final String ME = "/me/authentication";
    private static final String NAMED_USER = "/users/{id}/authentication";
    private final Store store;
    private final DirectoryRows rows;

    AuthenticationMethodResources(Store store, DirectoryRows rows) {
        this.store = store;
        this.rows = rows;
    }

    void declare(GraphRoutes routes) {
        for (String base : List.of(ME, NAMED_USER)) {
            routes.on("GET", base + "/methods", call -> rows.withUser(call, u -> methods(call, u)));
            routes.on("GET", base + "/softwareoathmethods", call -> rows.withUser(call, u -> ODataQuery.collection(call, shape(u),
                    store.softwareOathMethods().listByUser(call.tenant(), u.id()).stream()
                            .map(AuthenticationMethodResources::row).toList())));
            routes.on("GET", base + "/softwareoathmethods/{id}", call -> rows.withUser(call, u -> softwareOath(call, u)
                    .map(m -> ODataQuery.single(call, shape(u), row(m)))
                    .orElseGet(() -> GraphAnswer.notFound(DirectoryRows.lastSegment(call)))));
            routes.on("DELETE", base + "/softwareoathmethods/{id}", call -> rows.withUser(call, u -> softwareOath(call, u).map(m -> {
                store.softwareOathMethods().delete(call.tenant(), m.id());
                return GraphAnswer.empty(204, Map.of());
            }).orElseGet(() -> GraphAnswer.notFound(DirectoryRows.lastSegment(call)))));
        }
    }

    /** The user's authenticator app the path's last segment names (any case, as Graph's ids are GUIDs); else empty. */
    private Optional<SoftwareOathMethod> softwareOath(GraphCall call, User u) {
        String id = DirectoryRows.lastSegment(call);
        return store.softwareOathMethods().listByUser(call.tenant(), u.id()).stream()
                .filter(m -> m.id().equalsIgnoreCase(id)).findFirst();
    }

    /** The collection of {@code u}'s authenticator apps, as its {@code @odata.context} names it. */
    private static ODataQuery.Shape shape(User u) {
        return DirectoryRows.shape("users('" + u.id() + "')/authentication/softwareOathMethods",
                "microsoft.graph.softwareOathAuthenticationMethod", List.of("@odata.type", "id", "secretKey", "createdDateTime"),
                Set.of("id"));
    }

    /** An authenticator app as Graph answers it: never its secret. */
    static Map<String, Object> row(SoftwareOathMethod m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("@odata.type", SoftwareOathMethod.ODATA_TYPE);
        row.put("id", m.id());
        row.put("secretKey", null);
        row.put("createdDateTime", text(m.createdDateTime()));
        return row;
    }

    /**
     * Every method of {@code u}: the password method when the user has a password (a user imported without one, or
     * signing in elsewhere, has none), then the authenticator apps by id. Each row keeps the properties of its own
     * type, so the list is written as is rather than projected on one shape.
     */
    private GraphAnswer methods(GraphCall call, User u) {
        List<Map<String, Object>> value = new ArrayList<>();
        if (u.passwordProfile() != null && u.passwordProfile().passwordHash() != null) {
            Map<String, Object> password = new LinkedHashMap<>();
            password.put("@odata.type", PASSWORD_ODATA_TYPE);
            password.put("id", PASSWORD_METHOD_ID);
            password.put("password", null);
            password.put("createdDateTime", text(u.lastPasswordChangeDateTime()));
            value.add(password);
        }
        store.softwareOathMethods().listByUser(call.tenant(), u.id()).stream().map(AuthenticationMethodResources::row)
                .forEach(value::add);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", call.context("users('" + u.id() + "')/authentication/methods"));
        out.put("value", value);
        return GraphAnswer.json(200, out);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
