package dev.consentry.store;

import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;

/** Directory role assignments (unifiedRoleAssignment). */
public interface RoleAssignmentStore {

    /** The object with that id in the tenant; empty when none. */
    Optional<RoleAssignment> find(TenantId tenant, String id);

    /** Every such object of the tenant, ordered by id. */
    List<RoleAssignment> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, RoleAssignment value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, String id);

    /** Role assignments of {@code principalId}, ordered by id. */
    List<RoleAssignment> listByPrincipal(TenantId tenant, ObjectId principalId);
}
