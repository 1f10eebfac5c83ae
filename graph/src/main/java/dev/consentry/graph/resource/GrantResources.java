package dev.consentry.graph.resource;

import static dev.consentry.graph.resource.DirectoryRows.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.ObjectId;
import dev.consentry.identity.resource.ResolvedResource;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.store.Store;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Graph's two kinds of permission grant, changed through Graph as the portal's "Grant admin consent" changes them:
 * app role assignments on a resource service principal ({@code /servicePrincipals/{id}/appRoleAssignedTo}), seen
 * from the principal's side too ({@code /servicePrincipals/{id}/appRoleAssignments}, {@code /users/{id}/appRoleAssignments}),
 * and delegated permission grants
 * ({@code /oauth2PermissionGrants}).
 *
 * <p>Guaranteed: a refused call changes nothing; an assignment names a role the resource defines (for Microsoft Graph,
 * the built-in catalogue's roles as well as those its service principal lists) that the principal's kind may hold; a
 * grant's scopes are delegated permissions of its resource; {@code createdDateTime} of a new assignment or grant is
 * the call's instant (the injected clock), which the diagnosis compares with a token's {@code iat}. The next token
 * reflects each change, because the token endpoint reads these from the store.
 *
 * <pre>{@code
 * curl -X POST https://localhost:8443/v1.0/servicePrincipals/$GRAPH_SP/appRoleAssignedTo -H "Authorization: Bearer $T" \
 *      -H "Content-Type: application/json" \
 *      -d '{"principalId":"'$CLIENT_SP'","resourceId":"'$GRAPH_SP'","appRoleId":"df021288-bdef-4463-88db-98f22de89214"}'
 * curl "https://localhost:8443/v1.0/oauth2PermissionGrants?\$filter=clientId%20eq%20'$CLIENT_SP'" -H "Authorization: Bearer $T"
 * }</pre>
 */
final class GrantResources {
    static final ODataQuery.Shape ASSIGNMENTS = shape("appRoleAssignments", "microsoft.graph.appRoleAssignment",
            List.of("id", "appRoleId", "createdDateTime", "deletedDateTime", "principalDisplayName", "principalId",
                    "principalType", "resourceDisplayName", "resourceId"),
            Set.of("id", "appRoleId", "principalId", "principalType", "resourceId"));
    static final ODataQuery.Shape GRANTS = shape("oauth2PermissionGrants", "microsoft.graph.oAuth2PermissionGrant",
            List.of("clientId", "consentType", "id", "principalId", "resourceId", "scope"),
            Set.of("clientId", "consentType", "id", "principalId", "resourceId"));
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The default access role's id, for users and groups assigned to an app that defines no role for them
     * (https://learn.microsoft.com/graph/api/user-post-approleassignments: "If no app roles are defined ... you can
     * specify the default app role ID of 00000000-0000-0000-0000-000000000000").
     */
    private static final UUID DEFAULT_ACCESS = new UUID(0, 0);

    private final Store store;
    private final ResourceResolver resources;

    GrantResources(Store store) {
        this.store = store;
        this.resources = new ResourceResolver(store);
    }

    void declare(GraphRoutes routes) {
        routes.on("POST", "/serviceprincipals/{id}/approleassignedto", call -> withServicePrincipal(call,
                sp -> assign(call, Side.RESOURCE, sp.id(), "servicePrincipals('" + sp.id() + "')/appRoleAssignedTo/$entity")));
        routes.on("GET", "/serviceprincipals/{id}/approleassignedto", call -> withServicePrincipal(call, sp -> ODataQuery.collection(call,
                DirectoryRows.under(ASSIGNMENTS, "servicePrincipals('" + sp.id() + "')/appRoleAssignedTo"),
                store.appRoleAssignments().list(call.tenant()).stream().filter(a -> a.resourceId().equals(sp.id()))
                        .map(a -> assignment(call, a)).toList())));
        routes.on("GET", "/serviceprincipals/{id}/approleassignments", call -> withServicePrincipal(call, sp -> ODataQuery.collection(call,
                DirectoryRows.under(ASSIGNMENTS, "servicePrincipals('" + sp.id() + "')/appRoleAssignments"),
                store.appRoleAssignments().listByPrincipal(call.tenant(), sp.id()).stream().map(a -> assignment(call, a)).toList())));
        routes.on("DELETE", "/serviceprincipals/{id}/approleassignedto/{id}",
                call -> withServicePrincipal(call, sp -> unassign(call, a -> a.resourceId().equals(sp.id()))));
        routes.on("POST", "/serviceprincipals/{id}/approleassignments", call -> withServicePrincipal(call,
                sp -> assign(call, Side.PRINCIPAL, sp.id(), "servicePrincipals('" + sp.id() + "')/appRoleAssignments/$entity")));
        routes.on("DELETE", "/serviceprincipals/{id}/approleassignments/{id}",
                call -> withServicePrincipal(call, sp -> unassign(call, a -> a.principalId().equals(sp.id()))));
        routes.on("GET", "/users/{id}/approleassignments", call -> withUser(call, u -> ODataQuery.collection(call,
                DirectoryRows.under(ASSIGNMENTS, "users('" + u + "')/appRoleAssignments"),
                store.appRoleAssignments().listByPrincipal(call.tenant(), u).stream().map(a -> assignment(call, a)).toList())));
        routes.on("POST", "/users/{id}/approleassignments",
                call -> withUser(call, u -> assign(call, Side.PRINCIPAL, u, "users('" + u + "')/appRoleAssignments/$entity")));
        routes.on("DELETE", "/users/{id}/approleassignments/{id}",
                call -> withUser(call, u -> unassign(call, a -> a.principalId().equals(u))));
        routes.on("POST", "/oauth2permissiongrants", this::createGrant);
        routes.on("GET", "/oauth2permissiongrants", call -> ODataQuery.collection(call, GRANTS,
                store.permissionGrants().list(call.tenant()).stream().map(GrantResources::grant).toList()));
        routes.on("GET", "/oauth2permissiongrants/{id}", call -> withGrant(call, g -> ODataQuery.single(call, GRANTS, grant(g))));
        routes.on("PATCH", "/oauth2permissiongrants/{id}", call -> withGrant(call, g -> updateGrant(call, g)));
        routes.on("DELETE", "/oauth2permissiongrants/{id}", call -> withGrant(call, g -> {
            store.permissionGrants().delete(call.tenant(), g.id());
            Audits.record(store, call, "Remove delegated permission grant", "Delete", g.clientId().toString(), null,
                    "ServicePrincipal", Audits.changed("DelegatedPermissionGrant.Scope", g.scope(), null));
            return GraphAnswer.empty(204, Map.of());
        }));
    }

    private GraphAnswer withServicePrincipal(GraphCall call, java.util.function.Function<ServicePrincipal, GraphAnswer> action) {
        String id = segment(call, 1);
        return ObjectId.tryParse(id).flatMap(o -> store.servicePrincipals().find(call.tenant(), o)).map(action)
                .orElseGet(() -> GraphAnswer.notFound(id));
    }

    /** The user a {@code /users/{id}/...} path names by object id or user principal name, or 404 naming it. */
    private GraphAnswer withUser(GraphCall call, java.util.function.Function<ObjectId, GraphAnswer> action) {
        String id = segment(call, 1);
        return ObjectId.tryParse(id).flatMap(o -> store.users().find(call.tenant(), o))
                .or(() -> store.users().findByUserPrincipalName(call.tenant(), id)).map(u -> action.apply(u.id()))
                .orElseGet(() -> GraphAnswer.notFound(id));
    }

    /** Which end of an assignment the path names: the resource ({@code appRoleAssignedTo}) or the principal. */
    private enum Side {
        RESOURCE,
        PRINCIPAL
    }

    private GraphAnswer withGrant(GraphCall call, java.util.function.Function<OAuth2PermissionGrant, GraphAnswer> action) {
        String id = segment(call, 1);
        return store.permissionGrants().find(call.tenant(), id).map(action).orElseGet(() -> GraphAnswer.notFound(id));
    }

    /**
     * {@code POST /servicePrincipals/{id}/appRoleAssignedTo}
     * (https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto), and from the principal's side
     * {@code POST /servicePrincipals/{id}/appRoleAssignments} and {@code POST /users/{id}/appRoleAssignments}:
     * {@code principalId}, {@code resourceId} and {@code appRoleId}, all required, the one the path names equal to it.
     * A role the resource does not define (or not for the principal's kind) gets Graph's 400 "Permission being assigned
     * was not found on application ..." (the wording callers of the real Graph quote); a principal or resource that
     * does not exist, 404; the same assignment twice, Graph's 400 "Permission being assigned already exists on the
     * object.". 201 with the assignment.
     */
    private GraphAnswer assign(GraphCall call, Side side, ObjectId named, String context) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with principalId, resourceId and appRoleId.");
        }
        ObjectNode b = body.get();
        Optional<ObjectId> principalId = ObjectId.tryParse(b.path("principalId").asText(""));
        if (!b.path("principalId").isTextual() || principalId.isEmpty()) {
            return ApplicationResources.invalidValue("principalId", "AppRoleAssignment");
        }
        Optional<ObjectId> resourceId = ObjectId.tryParse(b.path("resourceId").asText(""));
        if (!b.path("resourceId").isTextual() || resourceId.isEmpty()) {
            return ApplicationResources.invalidValue("resourceId", "AppRoleAssignment");
        }
        Optional<UUID> appRoleId = b.path("appRoleId").isTextual() ? uuid(b.get("appRoleId").asText()) : Optional.empty();
        if (appRoleId.isEmpty()) {
            return ApplicationResources.invalidValue("appRoleId", "AppRoleAssignment");
        }
        if (!(side == Side.RESOURCE ? resourceId : principalId).get().equals(named)) {
            // The path names one end; a body naming another object there is a contradiction Graph refuses.
            return ApplicationResources.invalidValue(side == Side.RESOURCE ? "resourceId" : "principalId", "AppRoleAssignment");
        }
        Optional<String> principalType = principalType(call, principalId.get());
        if (principalType.isEmpty()) {
            return GraphAnswer.notFound(principalId.get().toString());
        }
        Optional<ServicePrincipal> found = store.servicePrincipals().find(call.tenant(), resourceId.get());
        if (found.isEmpty()) {
            return GraphAnswer.notFound(resourceId.get().toString());
        }
        ServicePrincipal resource = found.get();
        Optional<AppRole> role = roles(call, resource).stream().filter(r -> r.id().equals(appRoleId.get()) && r.enabled())
                .findFirst();
        boolean application = principalType.get().equals("ServicePrincipal");
        // The all-zero id is Entra's default access role: a user or group assigned to the app without a role of its own.
        boolean memberTypeFits = role.map(r -> r.allowedMemberTypes().contains(application ? "Application" : "User"))
                .orElse(!application && appRoleId.get().equals(DEFAULT_ACCESS));
        if (!memberTypeFits) {
            return GraphAnswer.error(400, "Request_BadRequest", "Permission being assigned was not found on application '"
                    + resource.appId() + "'.");
        }
        boolean exists = store.appRoleAssignments().listByPrincipal(call.tenant(), principalId.get()).stream()
                .anyMatch(a -> a.resourceId().equals(resource.id()) && a.appRoleId().equals(appRoleId.get()));
        if (exists) {
            return GraphAnswer.error(400, "Request_BadRequest", "Permission being assigned already exists on the object.");
        }
        AppRoleAssignment assignment = new AppRoleAssignment(newId(), principalId.get(), principalType.get(), resource.id(),
                appRoleId.get(), call.now(), null);
        store.appRoleAssignments().save(call.tenant(), assignment);
        Audits.record(store, call, "Add app role assignment to service principal", "Assign", principalId.get().toString(),
                null, principalType.get(), Audits.changed("AppRole.Id", null, appRoleId.get()),
                Audits.changed("ServicePrincipal.DisplayName", null, resource.displayName()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.context", call.context(context));
        out.putAll(assignment(call, assignment));
        return GraphAnswer.json(201, out);
    }

    /**
     * {@code DELETE .../appRoleAssignedTo/{assignmentId}} or {@code .../appRoleAssignments/{assignmentId}}: 204, or 404
     * when there is no such assignment at the end the path names ({@code ofPath}).
     */
    private GraphAnswer unassign(GraphCall call, java.util.function.Predicate<AppRoleAssignment> ofPath) {
        String id = segment(call, 3);
        Optional<AppRoleAssignment> assignment = store.appRoleAssignments().find(call.tenant(), id).filter(ofPath);
        if (assignment.isEmpty()) {
            return GraphAnswer.notFound(id);
        }
        store.appRoleAssignments().delete(call.tenant(), assignment.get().id());
        Audits.record(store, call, "Remove app role assignment from service principal", "Unassign",
                assignment.get().principalId().toString(), null, assignment.get().principalType(),
                Audits.changed("AppRole.Id", assignment.get().appRoleId(), null));
        return GraphAnswer.empty(204, Map.of());
    }

    /** The roles {@code resource} defines: its own, and for a built-in resource the built-in ones it does not list. */
    private List<AppRole> roles(GraphCall call, ServicePrincipal resource) {
        try {
            return resources.resolve(call.tenant(), resource.appId().toString()).appRoles();
        } catch (FailureException e) {
            return resource.appRoles();
        }
    }

    /** Graph's {@code principalType} of a directory object of the tenant, or empty when there is none with that id. */
    private Optional<String> principalType(GraphCall call, ObjectId id) {
        if (store.servicePrincipals().find(call.tenant(), id).isPresent()) {
            return Optional.of("ServicePrincipal");
        }
        if (store.users().find(call.tenant(), id).isPresent()) {
            return Optional.of("User");
        }
        return store.groups().find(call.tenant(), id).map(g -> "Group");
    }

    private Map<String, Object> assignment(GraphCall call, AppRoleAssignment a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", a.id());
        row.put("appRoleId", a.appRoleId().toString());
        row.put("createdDateTime", a.createdDateTime() == null ? null : a.createdDateTime().toString());
        row.put("deletedDateTime", null);
        row.put("principalDisplayName", displayName(call, a.principalId()).orElse(null));
        row.put("principalId", a.principalId().toString());
        row.put("principalType", a.principalType());
        row.put("resourceDisplayName", store.servicePrincipals().find(call.tenant(), a.resourceId())
                .map(ServicePrincipal::displayName).orElse(null));
        row.put("resourceId", a.resourceId().toString());
        return row;
    }

    private Optional<String> displayName(GraphCall call, ObjectId id) {
        return store.servicePrincipals().find(call.tenant(), id).map(ServicePrincipal::displayName)
                .or(() -> store.users().find(call.tenant(), id).map(u -> u.displayName()))
                .or(() -> store.groups().find(call.tenant(), id).map(g -> g.displayName()));
    }

    /**
     * {@code POST /oauth2PermissionGrants} (https://learn.microsoft.com/graph/api/oauth2permissiongrant-post):
     * {@code clientId}, {@code consentType} ({@code AllPrincipals} or {@code Principal}), {@code principalId} (for
     * {@code Principal} only), {@code resourceId} and {@code scope}. One grant per client, resource and principal, as
     * Entra keeps them: a second is Graph's 409 "Permission entry already exists.". 201 with the grant.
     */
    private GraphAnswer createGrant(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object with clientId, consentType, resourceId and scope.");
        }
        ObjectNode b = body.get();
        Optional<ObjectId> clientId = objectId(b, "clientId");
        if (clientId.isEmpty()) {
            return ApplicationResources.invalidValue("clientId", "OAuth2PermissionGrant");
        }
        Optional<ObjectId> resourceId = objectId(b, "resourceId");
        if (resourceId.isEmpty()) {
            return ApplicationResources.invalidValue("resourceId", "OAuth2PermissionGrant");
        }
        String consentType = b.path("consentType").asText("");
        if (!consentType.equals(OAuth2PermissionGrant.ALL_PRINCIPALS) && !consentType.equals(OAuth2PermissionGrant.PRINCIPAL)) {
            return ApplicationResources.invalidValue("consentType", "OAuth2PermissionGrant");
        }
        boolean hasPrincipal = b.hasNonNull("principalId");
        Optional<ObjectId> principalId = objectId(b, "principalId");
        if (consentType.equals(OAuth2PermissionGrant.PRINCIPAL) ? principalId.isEmpty() : hasPrincipal) {
            // Principal grants name their user; AllPrincipals grants cover everyone and name nobody.
            return ApplicationResources.invalidValue("principalId", "OAuth2PermissionGrant");
        }
        if (!b.path("scope").isTextual()) {
            return ApplicationResources.invalidValue("scope", "OAuth2PermissionGrant");
        }
        if (store.servicePrincipals().find(call.tenant(), clientId.get()).isEmpty()) {
            return GraphAnswer.notFound(clientId.get().toString());
        }
        Optional<ServicePrincipal> resource = store.servicePrincipals().find(call.tenant(), resourceId.get());
        if (resource.isEmpty()) {
            return GraphAnswer.notFound(resourceId.get().toString());
        }
        if (principalId.isPresent() && store.users().find(call.tenant(), principalId.get()).isEmpty()) {
            return GraphAnswer.notFound(principalId.get().toString());
        }
        Optional<GraphAnswer> badScope = checkScopes(call, resource.get(), b.get("scope").asText());
        if (badScope.isPresent()) {
            return badScope.get();
        }
        boolean exists = store.permissionGrants().listByClient(call.tenant(), clientId.get()).stream()
                .anyMatch(g -> g.resourceId().equals(resourceId.get()) && g.consentType().equals(consentType)
                        && java.util.Objects.equals(g.principalId(), principalId.orElse(null)));
        if (exists) {
            return GraphAnswer.error(409, "Request_MultipleObjectsWithSameKeyValue", "Permission entry already exists.");
        }
        OAuth2PermissionGrant grant = new OAuth2PermissionGrant(newId(), clientId.get(), consentType, principalId.orElse(null),
                resourceId.get(), normalised(b.get("scope").asText()), call.now(), null);
        store.permissionGrants().save(call.tenant(), grant);
        Audits.record(store, call, "Add delegated permission grant", "Add", grant.clientId().toString(), null,
                "ServicePrincipal", Audits.changed("DelegatedPermissionGrant.Scope", null, grant.scope()));
        return GraphAnswer.created(call, "oauth2PermissionGrants", grant.id(), grant(grant));
    }

    /**
     * {@code PATCH /oauth2PermissionGrants/{id}} with {@code scope} (https://learn.microsoft.com/graph/api/oauth2permissiongrant-update):
     * the new scope replaces the old one; 204. The grant keeps its {@code createdDateTime} unless scopes are added, in
     * which case it becomes the call's instant, so that a token issued before the addition is told apart.
     */
    private GraphAnswer updateGrant(GraphCall call, OAuth2PermissionGrant g) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a JSON object, e.g. {\"scope\": \"User.Read\"}.");
        }
        for (var names = body.get().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("scope") && !name.startsWith("@odata.")) {
                return GraphAnswer.error(400, "BadRequest", "Property '" + name
                        + "' does not exist on type 'microsoft.graph.oAuth2PermissionGrant' or cannot be changed.");
            }
        }
        JsonNode scope = body.get().path("scope");
        if (!scope.isTextual()) {
            return ApplicationResources.invalidValue("scope", "OAuth2PermissionGrant");
        }
        Optional<ServicePrincipal> resource = store.servicePrincipals().find(call.tenant(), g.resourceId());
        if (resource.isPresent()) {
            Optional<GraphAnswer> badScope = checkScopes(call, resource.get(), scope.asText());
            if (badScope.isPresent()) {
                return badScope.get();
            }
        }
        String value = normalised(scope.asText());
        Set<String> before = new LinkedHashSet<>(lower(g.scopes()));
        boolean added = !before.containsAll(lower(List.of(value.isEmpty() ? new String[0] : value.split(" "))));
        store.permissionGrants().save(call.tenant(), new OAuth2PermissionGrant(g.id(), g.clientId(), g.consentType(),
                g.principalId(), g.resourceId(), value, added ? call.now() : g.createdDateTime(), g.additionalProperties()));
        Audits.record(store, call, "Update delegated permission grant", "Update", g.clientId().toString(), null,
                "ServicePrincipal", Audits.changed("DelegatedPermissionGrant.Scope", g.scope(), value));
        return GraphAnswer.empty(204, Map.of());
    }

    /** A refusal naming the first scope value the resource does not define as a delegated permission. */
    private Optional<GraphAnswer> checkScopes(GraphCall call, ServicePrincipal resource, String scope) {
        List<PermissionScope> defined;
        try {
            ResolvedResource r = resources.resolve(call.tenant(), resource.appId().toString());
            defined = r.scopes();
        } catch (FailureException e) {
            defined = resource.oauth2PermissionScopes();
        }
        Set<String> names = new LinkedHashSet<>(lower(defined.stream().map(PermissionScope::value).toList()));
        if (resource.appId().equals(dev.consentry.core.builtin.WellKnown.GRAPH_APP_ID)) {
            names.addAll(Set.of("openid", "profile", "email", "offline_access")); // on Graph's principal, not in the catalogue
        }
        for (String s : normalised(scope).split(" ")) {
            if (!s.isEmpty() && !names.contains(s.toLowerCase(Locale.ROOT))) {
                return Optional.of(GraphAnswer.error(400, "Request_BadRequest", "The scope value '" + s
                        + "' is not a delegated permission of the resource '" + resource.appId() + "'."));
            }
        }
        return Optional.empty();
    }

    static Map<String, Object> grant(OAuth2PermissionGrant g) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("clientId", g.clientId().toString());
        row.put("consentType", g.consentType());
        row.put("id", g.id());
        row.put("principalId", g.principalId() == null ? null : g.principalId().toString());
        row.put("resourceId", g.resourceId().toString());
        row.put("scope", g.scope());
        return row;
    }

    private static Optional<ObjectId> objectId(ObjectNode b, String name) {
        return b.path(name).isTextual() ? ObjectId.tryParse(b.get(name).asText()) : Optional.empty();
    }

    private static String normalised(String scope) {
        return String.join(" ", scope.trim().split("\\s+")).trim();
    }

    private static List<String> lower(List<String> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
        return out;
    }

    /** An id in the form Graph gives assignments and grants: 32 bytes, base64url, without padding. */
    private static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
