package dev.consentry.store;

import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.Optional;

/** Users of a tenant. */
public interface UserStore extends TenantObjectStore<User, ObjectId> {

    /** The user with that user principal name (case-insensitive); empty when none. */
    Optional<User> findByUserPrincipalName(TenantId tenant, String userPrincipalName);
}
