package dev.consentry.store;

import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;

/** Users of a tenant. */
public interface UserStore {

    /** The object with that id in the tenant; empty when none. */
    Optional<User> find(TenantId tenant, ObjectId id);

    /** Every such object of the tenant, ordered by id. */
    List<User> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, User value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, ObjectId id);

    /** The user with that user principal name (case-insensitive); empty when none. */
    Optional<User> findByUserPrincipalName(TenantId tenant, String userPrincipalName);
}
