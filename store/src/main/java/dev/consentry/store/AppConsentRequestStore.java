package dev.consentry.store;

import dev.consentry.core.directory.AppConsentRequest;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import java.util.Optional;

/** Requests for an administrator's consent (the admin consent workflow), one per app and tenant. */
public interface AppConsentRequestStore extends TenantObjectStore<AppConsentRequest, String> {

    /** The tenant's request for the app {@code appId}; empty when nobody asked. */
    Optional<AppConsentRequest> findByAppId(TenantId tenant, AppId appId);
}
