package dev.consentry.store;

import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;

/** App role assignments: application permissions granted to client service principals, and app roles of users and groups. */
public interface AppRoleAssignmentStore {

    /** The object with that id in the tenant; empty when none. */
    Optional<AppRoleAssignment> find(TenantId tenant, String id);

    /** Every such object of the tenant, ordered by id. */
    List<AppRoleAssignment> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, AppRoleAssignment value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, String id);

    /** Assignments held by {@code principalId}, ordered by id. */
    List<AppRoleAssignment> listByPrincipal(TenantId tenant, ObjectId principalId);
}
