package dev.consentry.server.sts;

import dev.consentry.server.http.RequestIds;
import dev.consentry.server.http.StsResponses;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The user realm lookup MSAL makes before a username/password grant
 * ({@code GET /common/userrealm/{upn}?api-version=1.0}; wire spec, section 1.9): {@code Managed} for a
 * domain one of the tenants has verified, {@code Unknown} otherwise. Consentry federates nothing.
 */
public final class UserRealmHandler {
    private final Store store;

    public UserRealmHandler(Store store) {
        this.store = store;
    }

    public void handle(Context ctx) {
        String upn = ctx.pathParam("upn");
        int at = upn.lastIndexOf('@');
        String domain = at < 0 ? "" : upn.substring(at + 1).toLowerCase(Locale.ROOT);
        boolean known = !domain.isEmpty() && store.tenants().findByDomain(domain).isPresent();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ver", "1.0");
        body.put("account_type", known ? "Managed" : "Unknown");
        body.put("domain_name", domain);
        body.put("cloud_instance_name", "microsoftonline.com");
        body.put("cloud_audience_urn", "urn:federation:MicrosoftOnline");
        StsResponses.ok(ctx, RequestIds.of(ctx), body);
    }
}
