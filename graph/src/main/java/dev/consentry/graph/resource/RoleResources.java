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

    Optional<GraphAnswer> serve(GraphCall call) {
        if (call.is("GET", "/directoryroles")) {
            return Optional.of(ODataQuery.collection(call, DIRECTORY_ROLES, rows.activeRoles(call).stream()
                    .map(DirectoryRows::directoryRole).toList()));
        }
        if (call.is("GET", "/directoryroles/{id}")) {
            String id = segment(call, 1);
            return Optional.of(rows.role(call, id).map(r -> ODataQuery.single(call, DIRECTORY_ROLES, directoryRole(r)))
                    .orElseGet(() -> GraphAnswer.notFound(id)));
        }
        if (call.is("GET", "/directoryroles/{id}/members")) {
            String id = segment(call, 1);
            return Optional.of(rows.role(call, id).map(r -> ODataQuery.collection(call, DIRECTORY_OBJECTS,
                    rows.holders(call, r.templateId()).stream().map(m -> rows.directoryObject(call, m)).flatMap(Optional::stream).toList()))
                    .orElseGet(() -> GraphAnswer.notFound(id)));
        }
        if (call.is("POST", "/directoryroles/{id}/members") && isRef(call)) {
            return Optional.of(addRoleMember(call));
        }
        if (call.is("DELETE", "/directoryroles/{id}/members/{id}") && isRef(call)) {
            return Optional.of(removeRoleMember(call));
        }
        return Optional.empty();
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
        if (store.users().find(call.tenant(), member.get()).isEmpty()
                && store.servicePrincipals().find(call.tenant(), member.get()).isEmpty()) {
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
