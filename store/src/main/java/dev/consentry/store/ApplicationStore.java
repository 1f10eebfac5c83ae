package dev.consentry.store;

import dev.consentry.core.directory.Application;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;

/** App registrations of a tenant (the tenant that owns them). */
public interface ApplicationStore {

    /** The object with that id in the tenant; empty when none. */
    Optional<Application> find(TenantId tenant, ObjectId id);

    /** Every such object of the tenant, ordered by id. */
    List<Application> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, Application value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, ObjectId id);

    /** The application with that app (client) id; empty when none. */
    Optional<Application> findByAppId(TenantId tenant, AppId appId);

    /** The application with that app id in any tenant (its home tenant), for multi-tenant apps. */
    Optional<HomedApplication> findByAppIdInAnyTenant(AppId appId);

    /** An application with the tenant that owns it. */
    record HomedApplication(TenantId tenant, Application application) {}
}
