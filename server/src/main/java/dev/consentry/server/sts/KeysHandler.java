package dev.consentry.server.sts;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys as a JWKS ({@code GET /{tenant}/discovery/v2.0/keys}, and the v1.0
 * {@code /{tenant}/discovery/keys}); wire spec, section 1.3. The body is pre-built per origin by
 * {@code SigningKeys}; a tenant path value is checked once and then remembered.
 *
 * <pre>curl --cacert .consentry/ca.pem https://localhost:8443/common/discovery/v2.0/keys</pre>
 */
public final class KeysHandler {
    private static final int MAX_REMEMBERED = 4096;
    private final Store store;
    private final SigningKeys keys;
    private final Origins origins;
    private final StsResponses sts;
    private final Set<String> knownTenantValues = ConcurrentHashMap.newKeySet();

    public KeysHandler(Store store, SigningKeys keys, Origins origins, StsResponses sts) {
        this.store = store;
        this.keys = keys;
        this.origins = origins;
        this.sts = sts;
    }

    public void handle(Context ctx) {
        String tenantValue = ctx.pathParam("tenant").toLowerCase(Locale.ROOT);
        if (!knownTenantValues.contains(tenantValue)) {
            if (TenantPath.resolve(tenantValue, store.tenants()).isEmpty()) {
                sts.error(ctx, Failure.of(Cause.TENANT_NOT_FOUND, "tenant", tenantValue, "knownTenants",
                        "(see the tenant file)"));
                return;
            }
            if (knownTenantValues.size() >= MAX_REMEMBERED) {
                knownTenantValues.clear();
            }
            knownTenantValues.add(tenantValue);
        }
        ctx.header("Cache-Control", "max-age=86400, private");
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.contentType(StsResponses.JSON_UTF8).result(keys.jwks(origins.of(ctx)));
    }

    /** Forgets which tenant values were valid (after tenants change). */
    public void clear() {
        knownTenantValues.clear();
    }
}
