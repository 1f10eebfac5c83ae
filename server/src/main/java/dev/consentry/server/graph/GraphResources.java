package dev.consentry.server.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.PasswordProfile;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.graph.authz.Decision;
import dev.consentry.graph.authz.GraphPaths;
import dev.consentry.server.Services;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Graph data Consentry serves so far, reached only after the engine allowed the call: {@code GET /me}
 * and {@code POST /users/{id}/authentication/methods/{id}/resetPassword}. Every other allowed call is left
 * to the caller's 501.
 *
 * <p>A password reset stores the new password hashed, and, as Entra does after a reset, revokes the user's
 * refresh tokens and ends their sign-in sessions.
 */
final class GraphResources {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 16 * 1024;
    private final Services services;

    GraphResources(Services services) {
        this.services = services;
    }

    /** A served answer: status, body (may be empty) and extra headers. */
    record Answer(int status, byte[] body, Map<String, String> headers) {}

    /** The answer for an allowed call, or empty when Consentry does not serve the route. */
    Optional<Answer> serve(Context ctx, Decision.Allow allow, TenantId tenant, Optional<ObjectId> caller, String version,
                           Instant now) {
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        if (method.equals("GET") && allow.templates().contains("/me") && caller.isPresent()) {
            return services.store().users().find(tenant, caller.get()).map(u -> json(200, user(u, version, ctx)));
        }
        if (method.equals("POST") && allow.templates().stream().anyMatch(t -> t.equals(
                "/users/{id}/authentication/methods/{id}/resetpassword"))) {
            return Optional.of(resetPassword(ctx, tenant, now));
        }
        return Optional.empty();
    }

    private Answer resetPassword(Context ctx, TenantId tenant, Instant now) {
        Store store = services.store();
        String target = GraphPaths.namedUser(ctx.path()).orElse("");
        Optional<User> user = GraphPaths.findUser(store, tenant, target);
        if (user.isEmpty()) {
            return error(404, "Request_ResourceNotFound", "Resource '" + target + "' does not exist or one of its queried "
                    + "reference-property objects are not present.");
        }
        String newPassword;
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                return error(413, "RequestEntityTooLarge", "The request body is too large.");
            }
            JsonNode node = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            newPassword = node.path("newPassword").isTextual() ? node.path("newPassword").asText() : null;
        } catch (IOException e) {
            return error(400, "BadRequest", "The request body is not valid JSON.");
        }
        if (newPassword == null || newPassword.length() < 8) {
            return error(400, "invalidRequest", "newPassword is required and must be at least 8 characters long.");
        }
        User u = user.get();
        PasswordProfile profile = new PasswordProfile(null, SecretHasher.standard().hash(newPassword), false);
        store.users().save(tenant, new User(u.id(), u.userPrincipalName(), u.displayName(), u.mail(), u.userType(),
                u.accountEnabled(), profile, now, u.assignedLicenses(), u.additionalProperties()));
        store.refreshTokens().revokeUser(tenant, u.id(), now);
        store.signInSessions().removeUser(tenant, u.id());
        String base = services.origins().of(ctx);
        return new Answer(202, new byte[0], Map.of("Location", base + "/v1.0/users/" + u.id()
                + "/authentication/operations/" + java.util.UUID.randomUUID()));
    }

    private static Map<String, Object> user(User u, String version, Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", "https://graph.microsoft.com/" + version + "/$metadata#users/$entity");
        out.put("businessPhones", u.additionalProperties().getOrDefault("businessPhones", List.of()));
        out.put("displayName", u.displayName());
        out.put("givenName", u.additionalProperties().get("givenName"));
        out.put("jobTitle", u.additionalProperties().get("jobTitle"));
        out.put("mail", u.mail());
        out.put("mobilePhone", u.additionalProperties().get("mobilePhone"));
        out.put("officeLocation", u.additionalProperties().get("officeLocation"));
        out.put("preferredLanguage", u.additionalProperties().get("preferredLanguage"));
        out.put("surname", u.additionalProperties().get("surname"));
        out.put("userPrincipalName", u.userPrincipalName());
        out.put("id", u.id().toString());
        return out;
    }

    private static Answer json(int status, Object value) {
        try {
            return new Answer(status, JSON.writeValueAsBytes(value), Map.of());
        } catch (IOException e) {
            throw new IllegalStateException("a map of plain values always serialises", e);
        }
    }

    private static Answer error(int status, String code, String message) {
        return json(status, Map.of("error", Map.of("code", code, "message", message)));
    }
}
