package dev.consentry.store;

import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
/** App role assignments: application permissions granted to client service principals, and app roles of users and groups. */
public interface AppRoleAssignmentStore extends TenantObjectStore<AppRoleAssignment, String> {

    /** Assignments held by {@code principalId}, ordered by id. */
    List<AppRoleAssignment> listByPrincipal(TenantId tenant, ObjectId principalId);
}
