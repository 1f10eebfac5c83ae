package dev.consentry.server.sts;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.RequestIds;
import dev.consentry.server.http.StsResponses;
import io.javalin.http.Context;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Instance discovery as MSAL calls it ({@code GET /common/discovery/instance?api-version=1.1&authorization_endpoint=...};
 * wire spec, section 1.8): one metadata entry whose aliases are this server's host name, and the
 * discovery document of the tenant named in the authorization endpoint. An authorization endpoint on
 * another host is refused with {@code invalid_instance} (AADSTS50049).
 */
public final class InstanceDiscoveryHandler {
    private final Origins origins;
    private final StsResponses sts;

    public InstanceDiscoveryHandler(Origins origins, StsResponses sts) {
        this.origins = origins;
        this.sts = sts;
    }

    public void handle(Context ctx) {
        String origin = origins.of(ctx);
        String host = Origins.hostOf(origin);
        String tenant = "common";
        String endpoint = ctx.queryParam("authorization_endpoint");
        if (endpoint != null && !endpoint.isBlank()) {
            URI uri;
            try {
                uri = URI.create(endpoint.trim());
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || !uri.getHost().equalsIgnoreCase(host)) {
                sts.error(ctx, Failure.of(Cause.INSTANCE_UNKNOWN, "authority", endpoint, "origin", origin));
                return;
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            String[] segments = path.split("/");
            if (segments.length > 1 && !segments[1].isBlank()) {
                tenant = segments[1];
            }
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("preferred_network", host);
        entry.put("preferred_cache", host);
        entry.put("aliases", List.of(host));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_discovery_endpoint", origin + "/" + tenant + "/v2.0/.well-known/openid-configuration");
        body.put("api-version", "1.1");
        body.put("metadata", List.of(entry));
        StsResponses.ok(ctx, RequestIds.of(ctx), body);
    }
}
