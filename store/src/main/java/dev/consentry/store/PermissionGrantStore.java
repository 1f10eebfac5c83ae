package dev.consentry.store;

import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;

/** Delegated permission grants (oauth2PermissionGrants): the consent records. */
public interface PermissionGrantStore {

    /** The object with that id in the tenant; empty when none. */
    Optional<OAuth2PermissionGrant> find(TenantId tenant, String id);

    /** Every such object of the tenant, ordered by id. */
    List<OAuth2PermissionGrant> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, OAuth2PermissionGrant value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, String id);

    /** Grants whose {@code clientId} is that client service principal, ordered by id. */
    List<OAuth2PermissionGrant> listByClient(TenantId tenant, ObjectId clientServicePrincipalId);
}
