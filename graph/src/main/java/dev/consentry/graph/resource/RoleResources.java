package dev.consentry.graph.resource;

import static dev.consentry.graph.resource.DirectoryRows.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.permission.DirectoryRoleCatalogue;
import dev.consentry.store.Store;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Graph's {@code directoryRole} resource. Graph lists a role once it is activated in the tenant; here a role is
 * listed when someone holds it tenant-wide, and its id is its role template id (Graph also addresses roles by
 * template id). Adding a member ({@code $ref}) stores a tenant-wide role assignment, which the authorization
 * engine reads on the next call; removing one deletes it.
 */
final class RoleResources {
    private final Store store;
    private final DirectoryRows rows;

    RoleResources(Store store, DirectoryRows rows) {
        this.store = store;
        this.rows = rows;
    }

    void declare(GraphRoutes routes) {
        routes.on("GET", "/rolemanagement/directory/roleassignments", call -> ODataQuery.collection(call, ROLE_ASSIGNMENTS,
                store.roleAssignments().list(call.tenant()).stream().map(RoleResources::roleAssignment).toList()));
        routes.on("POST", "/rolemanagement/directory/roleassignments", this::assign);
        routes.on("GET", "/rolemanagement/directory/roleassignments/{id}", call -> {
            String id = segment(call, 3);
            return assignment(call, id).map(a -> ODataQuery.single(call, ROLE_ASSIGNMENTS, roleAssignment(a)))
                    .orElseGet(() -> GraphAnswer.notFound(id));
        });
        routes.on("DELETE", "/rolemanagement/directory/roleassignments/{id}", call -> {
            String id = segment(call, 3);
            return assignment(call, id).map(a -> {
                store.roleAssignments().delete(call.tenant(), a.id());
                return GraphAnswer.empty(204, Map.of());
            }).orElseGet(() -> GraphAnswer.notFound(id));
        });
        routes.on("GET", "/directoryroles", call -> ODataQuery.collection(call, DIRECTORY_ROLES, rows.activeRoles(call).stream()
                .map(DirectoryRows::directoryRole).toList()));
        routes.on("GET", "/directoryroles/{id}", call -> {
            String id = segment(call, 1);
            return rows.role(call, id).map(r -> ODataQuery.single(call, DIRECTORY_ROLES, directoryRole(r)))
                    .orElseGet(() -> GraphAnswer.notFound(id));
        });
        routes.on("GET", "/directoryroles/{id}/members", call -> {
            String id = segment(call, 1);
            return rows.role(call, id).map(r -> ODataQuery.collection(call, DIRECTORY_OBJECTS, rows.holders(call, r.templateId())
                            .stream().map(m -> rows.directoryObject(call, m)).flatMap(Optional::stream).toList()))
                    .orElseGet(() -> GraphAnswer.notFound(id));
        });
        routes.on("POST", "/directoryroles/{id}/members", DirectoryRows::isRef, this::addRoleMember);
        routes.on("DELETE", "/directoryroles/{id}/members/{id}", DirectoryRows::isRef, this::removeRoleMember);
    }

    /**
     * {@code POST /roleManagement/directory/roleAssignments}: a tenant-wide assignment ({@code directoryScopeId} "/")
     * of a built-in role, by its template id, to a user or a service principal of the tenant.
     */
    private GraphAnswer assign(GraphCall call) {
        Optional<ObjectNode> body = call.bodyObject();
        if (body.isEmpty()) {
            return GraphAnswer.badBody("The request body must be a unifiedRoleAssignment: {\"principalId\", "
                    + "\"roleDefinitionId\", \"directoryScopeId\": \"/\"}.");
        }
        String principalText = body.get().path("principalId").asText("");
        String roleText = body.get().path("roleDefinitionId").asText("");
        String scope = body.get().path("directoryScopeId").asText("/");
        Optional<ObjectId> principal = ObjectId.tryParse(principalText);
        if (principal.isEmpty()) {
            return GraphAnswer.error(400, "Request_BadRequest", "Invalid value specified for property 'principalId' of "
                    + "resource 'UnifiedRoleAssignment'.");
        }
        Optional<DirectoryRoleCatalogue.DirectoryRole> role = rows.role(call, roleText);
        if (role.isEmpty()) {
            return GraphAnswer.error(400, "Request_BadRequest", "Invalid value specified for property 'roleDefinitionId' "
                    + "of resource 'UnifiedRoleAssignment'.");
        }
        if (!"/".equals(scope)) {
            return GraphAnswer.error(400, "Request_BadRequest", "Consentry assigns roles tenant-wide only: "
                    + "directoryScopeId must be '/'.");
        }
        if (!holdsRoles(call, principal.get())) {
            return GraphAnswer.notFound(principal.get().toString());
        }
        if (rows.holders(call, role.get().templateId()).contains(principal.get())) {
            return GraphAnswer.error(409, "Request_BadRequest", "A conflicting object with one or more of the specified "
                    + "property values is present in the directory.");
        }
        RoleAssignment made = new RoleAssignment(UUID.randomUUID().toString(), principal.get(), role.get().templateId(), "/",
                null);
        store.roleAssignments().save(call.tenant(), made);
        return GraphAnswer.created(call, "roleManagement/directory/roleAssignments", made.id(), roleAssignment(made));
    }

    /** Whether {@code id} is a user or a service principal of the tenant: the directory objects that hold roles here. */
    private boolean holdsRoles(GraphCall call, ObjectId id) {
        return store.users().find(call.tenant(), id).isPresent() || store.servicePrincipals().find(call.tenant(), id).isPresent();
    }

    private Optional<RoleAssignment> assignment(GraphCall call, String id) {
        return store.roleAssignments().list(call.tenant()).stream().filter(a -> a.id().equalsIgnoreCase(id)).findFirst();
    }

    /** Graph's {@code unifiedRoleAssignment}. */
    private static Map<String, Object> roleAssignment(RoleAssignment a) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("id", a.id());
        row.put("principalId", a.principalId().toString());
        row.put("roleDefinitionId", a.roleDefinitionId());
        row.put("directoryScopeId", a.directoryScopeId());
        return row;
    }

    private GraphAnswer addRoleMember(GraphCall call) {
        String roleId = segment(call, 1);
        Optional<DirectoryRoleCatalogue.DirectoryRole> role = rows.role(call, roleId);
        if (role.isEmpty()) {
            return GraphAnswer.notFound(roleId);
        }
        Optional<ObjectNode> body = call.bodyObject();
        String ref = body.map(b -> b.path("@odata.id").asText("")).orElse("");
        Optional<ObjectId> member = ObjectId.tryParse(ref.substring(ref.lastIndexOf('/') + 1));
        if (member.isEmpty()) {
            return GraphAnswer.badBody("The request body must be {\"@odata.id\": \"https://graph.microsoft.com/v1.0/"
                    + "directoryObjects/{id}\"}.");
        }
        if (!holdsRoles(call, member.get())) {
            return GraphAnswer.notFound(member.get().toString());
        }
        if (rows.holders(call, role.get().templateId()).contains(member.get())) {
            return GraphAnswer.error(400, "Request_BadRequest",
                    "One or more added object references already exist for the following modified properties: 'members'.");
        }
        store.roleAssignments().save(call.tenant(), new RoleAssignment(UUID.randomUUID().toString(), member.get(),
                role.get().templateId(), "/", null));
        return GraphAnswer.empty(204, Map.of());
    }

    private GraphAnswer removeRoleMember(GraphCall call) {
        String roleId = segment(call, 1);
        String memberId = segment(call, 3);
        Optional<ObjectId> member = ObjectId.tryParse(memberId);
        List<RoleAssignment> held = member.isEmpty() ? List.of() : store.roleAssignments().listByPrincipal(call.tenant(), member.get())
                .stream().filter(r -> "/".equals(r.directoryScopeId()) && r.roleDefinitionId().equalsIgnoreCase(roleId)).toList();
        if (held.isEmpty()) {
            return GraphAnswer.notFound(memberId);
        }
        held.forEach(r -> store.roleAssignments().delete(call.tenant(), r.id()));
        return GraphAnswer.empty(204, Map.of());
    }
}
