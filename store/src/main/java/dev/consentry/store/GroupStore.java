package dev.consentry.store;

import dev.consentry.core.directory.Group;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;

/** Groups of a tenant. */
public interface GroupStore {

    /** The object with that id in the tenant; empty when none. */
    Optional<Group> find(TenantId tenant, ObjectId id);

    /** Every such object of the tenant, ordered by id. */
    List<Group> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, Group value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, ObjectId id);

    /** Groups whose {@code members} include {@code memberId}, ordered by id. */
    List<Group> listByMember(TenantId tenant, ObjectId memberId);
}
