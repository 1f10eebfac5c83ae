package dev.consentry.store;

import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
/** Delegated permission grants (oauth2PermissionGrants): the consent records. */
public interface PermissionGrantStore extends TenantObjectStore<OAuth2PermissionGrant, String> {

    /** Grants whose {@code clientId} is that client service principal, ordered by id. */
    List<OAuth2PermissionGrant> listByClient(TenantId tenant, ObjectId clientServicePrincipalId);
}
