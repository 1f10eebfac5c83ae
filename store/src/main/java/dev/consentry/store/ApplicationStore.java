package dev.consentry.store;

import dev.consentry.core.directory.Application;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.Optional;

/** App registrations of a tenant (the tenant that owns them). */
public interface ApplicationStore extends TenantObjectStore<Application, ObjectId> {

    /** The application with that app (client) id; empty when none. */
    Optional<Application> findByAppId(TenantId tenant, AppId appId);

    /** The application with that app id in any tenant (its home tenant), for multi-tenant apps. */
    Optional<HomedApplication> findByAppIdInAnyTenant(AppId appId);

    /** An application with the tenant that owns it. */
    record HomedApplication(TenantId tenant, Application application) {}
}
