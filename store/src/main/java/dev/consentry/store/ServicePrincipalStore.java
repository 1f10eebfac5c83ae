package dev.consentry.store;

import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;

/** Service principals of a tenant, for client apps and for resources (APIs). */
public interface ServicePrincipalStore {

    /** The object with that id in the tenant; empty when none. */
    Optional<ServicePrincipal> find(TenantId tenant, ObjectId id);

    /** Every such object of the tenant, ordered by id. */
    List<ServicePrincipal> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, ServicePrincipal value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, ObjectId id);

    /** The service principal with that app id in the tenant; empty when none. */
    Optional<ServicePrincipal> findByAppId(TenantId tenant, AppId appId);

    /**
     * The service principal that has {@code name} among its {@code servicePrincipalNames}
     * (an identifier URI such as {@code api://...} or {@code https://graph.microsoft.com}), compared
     * case-insensitively and ignoring one trailing slash; empty when none.
     */
    Optional<ServicePrincipal> findByName(TenantId tenant, String name);
}
