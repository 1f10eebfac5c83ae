package dev.consentry.server.sts;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.identity.device.DeviceAuthorizations;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.RequestIds;
import dev.consentry.server.http.StsResponses;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /{tenant}/oauth2/v2.0/devicecode} (RFC 8628, section 3.1; wire spec, sections 1.6 and 2.7): a
 * form with {@code client_id} and {@code scope} gets a user code, a device code and Consentry's own
 * verification URI; errors have the STS error shape of the token endpoint.
 *
 * <pre>curl --cacert .consentry/ca.pem https://localhost:8443/organizations/oauth2/v2.0/devicecode \
 *   -d client_id=... --data-urlencode 'scope=openid offline_access User.Read'</pre>
 */
public final class DeviceCodeHandler {
    private static final Set<String> SINGLE_VALUED = Set.of("client_id", "scope");
    private final Origins origins;
    private final StsResponses sts;
    private final DeviceAuthorizations devices;

    public DeviceCodeHandler(Store store, Origins origins, StsResponses sts) {
        this.origins = origins;
        this.sts = sts;
        this.devices = new DeviceAuthorizations(store);
    }

    public void post(Context ctx) {
        RequestIds ids = RequestIds.of(ctx);
        Instant now = sts.now();
        try {
            var params = TokenHandler.readForm(ctx, SINGLE_VALUED);
            StsResponses.ok(ctx, ids, devices.start(new StsUrls(origins.of(ctx)), ctx.pathParam("tenant"), params, now));
        } catch (FailureException e) {
            sts.error(ctx, ids, e.failure(), now, List.of());
        }
    }

    /** Any other method. */
    public void wrongMethod(Context ctx) {
        sts.error(ctx, Failure.of(Cause.METHOD_NOT_ALLOWED, "allowed", "POST", "method", ctx.method().name(),
                "endpoint", "devicecode"));
    }
}
