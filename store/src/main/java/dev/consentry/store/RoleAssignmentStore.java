package dev.consentry.store;

import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
/** Directory role assignments (unifiedRoleAssignment). */
public interface RoleAssignmentStore extends TenantObjectStore<RoleAssignment, String> {

    /** Role assignments of {@code principalId}, ordered by id. */
    List<RoleAssignment> listByPrincipal(TenantId tenant, ObjectId principalId);
}
