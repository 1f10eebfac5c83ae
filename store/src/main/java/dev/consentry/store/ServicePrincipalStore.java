package dev.consentry.store;

import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.Optional;

/** Service principals of a tenant, for client apps and for resources (APIs). */
public interface ServicePrincipalStore extends TenantObjectStore<ServicePrincipal, ObjectId> {

    /** The service principal with that app id in the tenant; empty when none. */
    Optional<ServicePrincipal> findByAppId(TenantId tenant, AppId appId);

    /**
     * The service principal that has {@code name} among its {@code servicePrincipalNames}
     * (an identifier URI such as {@code api://...} or {@code https://graph.microsoft.com}), compared
     * case-insensitively and ignoring one trailing slash; empty when none.
     */
    Optional<ServicePrincipal> findByName(TenantId tenant, String name);
}
