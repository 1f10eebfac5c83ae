package dev.consentry.identity.client;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.id.AppId;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.store.ApplicationStore.HomedApplication;
import dev.consentry.store.Store;

/** Finds the registration a browser or device flow names by {@code client_id}, before any credential is seen. */
public final class ClientRegistrations {
    private ClientRegistrations() {}

    /** The client id as sent, parsed; a value that is not a GUID names no app (AADSTS700016). */
    public static AppId parseClientId(String text, String tenant) {
        return AppId.tryParse(text).orElseThrow(() ->
                Failure.of(Cause.CLIENT_NOT_FOUND, "clientId", text, "tenant", tenant).toException());
    }

    /**
     * The app registration: in the authority's own tenant when it names one, else in whichever tenant owns
     * it (its audience is checked separately); refuses an unknown client with AADSTS700016.
     */
    public static HomedApplication find(Store store, TenantPath path, AppId clientId) {
        if (path instanceof TenantPath.Specific s) {
            var local = store.applications().findByAppId(s.id(), clientId);
            if (local.isPresent()) {
                return new HomedApplication(s.id(), local.get());
            }
        }
        return store.applications().findByAppIdInAnyTenant(clientId).orElseThrow(() ->
                Failure.of(Cause.CLIENT_NOT_FOUND, "clientId", clientId.toString(), "tenant", path.pathValue()).toException());
    }
}
