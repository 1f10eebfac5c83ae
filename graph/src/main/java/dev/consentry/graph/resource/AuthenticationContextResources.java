package dev.consentry.graph.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.AuthenticationContextClassReference;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Graph's authentication contexts, {@code /identity/conditionalAccess/authenticationContextClassReferences}
 * (https://learn.microsoft.com/graph/api/conditionalaccessroot-list-authenticationcontextclassreferences,
 * authenticationcontextclassreference-get, -update, -delete), in v1.0 and beta: list and read them; {@code PATCH} by id
 * creates the context when the id is unused and changes it otherwise (Graph creates them this way; 204 either way);
 * {@code DELETE} removes one (204). Ids are {@code c1} to {@code c99}: any other is 400. The permissions
 * ({@code AuthenticationContext.Read.All}, {@code AuthenticationContext.ReadWrite.All}, and the conditional access
 * policy permissions beside them) are the engine's.
 *
 * <p>As Graph's page for the delete says, a published context ({@code isAvailable} true) is not deleted (403), nor one
 * a conditional access policy uses (400, naming the policies). A body is checked whole before anything is stored: a
 * property the type does not have, or a value of the wrong type, is 400 {@code BadRequest}. The texts of these refusals,
 * and the 403's code, are Consentry's words: Graph's own were not found in captured answers.
 */
final class AuthenticationContextResources {
    static final String BASE = "/identity/conditionalaccess/authenticationcontextclassreferences";
    static final ODataQuery.Shape CONTEXTS = DirectoryRows.shape("identity/conditionalAccess/authenticationContextClassReferences",
            "microsoft.graph.authenticationContextClassReference", List.of("id", "displayName", "description", "isAvailable"),
            Set.of("id", "displayName", "isAvailable"));
    /** c1 to c99, as Entra numbers authentication contexts. */
    private static final Pattern ID = Pattern.compile("c([1-9]|[1-9][0-9])");
    private final Store store;

    AuthenticationContextResources(Store store) {
        this.store = store;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", BASE, call -> ODataQuery.collection(call, CONTEXTS, store.authenticationContexts().list(call.tenant())
                .stream().map(AuthenticationContextResources::row).toList()));
        routes.on("PATCH", BASE + "/{id}", call -> upsert(call, DirectoryRows.lastSegment(call)));
        routes.on("GET", BASE + "/{id}", call -> withContext(call, c -> ODataQuery.single(call, CONTEXTS, row(c))));
        routes.on("DELETE", BASE + "/{id}", call -> withContext(call, c -> delete(call, c)));
    }

    /** {@code action} on the context the path names, or Graph's 404 naming it. */
    private GraphAnswer withContext(GraphCall call, Function<AuthenticationContextClassReference, GraphAnswer> action) {
        String id = DirectoryRows.lastSegment(call);
        return store.authenticationContexts().find(call.tenant(), id).map(action).orElseGet(() -> GraphAnswer.notFound(id));
    }

    static Map<String, Object> row(AuthenticationContextClassReference c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("displayName", c.displayName());
        out.put("description", c.description());
        out.put("isAvailable", Boolean.TRUE.equals(c.isAvailable()));
        return out;
    }

    private GraphAnswer upsert(GraphCall call, String id) {
        if (!ID.matcher(id).matches()) {
            return GraphAnswer.badBody("'" + id + "' is not an authentication context id: ids are c1 to c99.");
        }
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with the authentication context's properties.");
        }
        Optional<AuthenticationContextClassReference> existing = store.authenticationContexts().find(call.tenant(), id);
        String displayName = existing.map(AuthenticationContextClassReference::displayName).orElse(null);
        String description = existing.map(AuthenticationContextClassReference::description).orElse(null);
        Boolean isAvailable = existing.map(AuthenticationContextClassReference::isAvailable).orElse(null);
        for (var fields = body.get().properties().iterator(); fields.hasNext(); ) {
            var f = fields.next();
            JsonNode value = f.getValue();
            switch (f.getKey()) {
                case "id" -> {
                    if (!value.isTextual() || !value.asText().equals(id)) {
                        return GraphAnswer.badBody("The body's id must be the id in the path, '" + id + "'.");
                    }
                }
                case "displayName", "description" -> {
                    if (!value.isTextual() && !value.isNull()) {
                        return GraphAnswer.badBody(f.getKey() + " is a string.");
                    }
                    String text = value.isNull() ? null : value.asText();
                    if (f.getKey().equals("displayName")) {
                        displayName = text;
                    } else {
                        description = text;
                    }
                }
                case "isAvailable" -> {
                    if (!value.isBoolean()) {
                        return GraphAnswer.badBody("isAvailable is true or false.");
                    }
                    isAvailable = value.asBoolean();
                }
                default -> {
                    if (!f.getKey().startsWith("@odata.")) {
                        return GraphAnswer.error(400, "BadRequest", "Property '" + f.getKey() + "' does not exist on type "
                                + "'microsoft.graph.authenticationContextClassReference' or cannot be set.");
                    }
                }
            }
        }
        if (displayName == null || displayName.isBlank()) {
            return GraphAnswer.badBody("An authentication context needs a displayName.");
        }
        AuthenticationContextClassReference saved = new AuthenticationContextClassReference(existing
                .map(AuthenticationContextClassReference::id).orElse(id), displayName, description, isAvailable);
        store.authenticationContexts().save(call.tenant(), saved);
        boolean added = existing.isEmpty();
        Audits.recordIn(store, call, DirectoryAudit.POLICY, added ? "Add authentication context" : "Update authentication context",
                added ? "Add" : "Update", saved.id(), saved.displayName(), "Policy");
        return GraphAnswer.empty(204, Map.of());
    }

    private GraphAnswer delete(GraphCall call, AuthenticationContextClassReference context) {
        if (Boolean.TRUE.equals(context.isAvailable())) {
            return GraphAnswer.error(403, "Forbidden", "The authentication context " + context.id() + " is published "
                    + "(isAvailable is true); set isAvailable to false before deleting it.");
        }
        List<String> using = store.conditionalAccessPolicies().list(call.tenant()).stream().filter(p -> uses(p, context.id()))
                .map(p -> "'" + p.displayName() + "' (" + p.id() + ")").toList();
        if (!using.isEmpty()) {
            return GraphAnswer.badBody("The authentication context " + context.id() + " is used by the conditional access "
                    + "polic" + (using.size() == 1 ? "y " : "ies ") + String.join(", ", using)
                    + "; remove it from their conditions.applications first.");
        }
        store.authenticationContexts().delete(call.tenant(), context.id());
        Audits.recordIn(store, call, DirectoryAudit.POLICY, "Delete authentication context", "Delete", context.id(),
                context.displayName(), "Policy");
        return GraphAnswer.empty(204, Map.of());
    }

    /** True when the policy targets {@code id} ({@code conditions.applications.includeAuthenticationContextClassReferences}). */
    static boolean uses(ConditionalAccessPolicy p, String id) {
        return p.conditions().get("applications") instanceof Map<?, ?> apps
                && apps.get("includeAuthenticationContextClassReferences") instanceof List<?> list
                && list.stream().anyMatch(v -> id.equalsIgnoreCase(String.valueOf(v)));
    }
}
