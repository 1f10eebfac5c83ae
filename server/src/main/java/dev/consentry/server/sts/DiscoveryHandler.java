package dev.consentry.server.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenID Provider metadata of a tenant (wire spec, section 1.2), v2.0
 * ({@code GET /{tenant}/v2.0/.well-known/openid-configuration}) and v1.0
 * ({@code GET /{tenant}/.well-known/openid-configuration}).
 *
 * <p>Guaranteed: every URL is on the request's origin (see {@code Origins}); a specific tenant's
 * document names it by GUID even when asked by domain; {@code common} and {@code organizations} publish
 * the {@code {tenantid}} issuer template. Documents are built once per origin and tenant and then
 * served as bytes.
 *
 * <pre>curl --cacert .consentry/ca.pem https://localhost:8443/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration</pre>
 */
public final class DiscoveryHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CACHED = 1024;
    private final Store store;
    private final Origins origins;
    private final StsResponses sts;
    private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();

    public DiscoveryHandler(Store store, Origins origins, StsResponses sts) {
        this.store = store;
        this.origins = origins;
        this.sts = sts;
    }

    /** The v2.0 document. */
    public void v2(Context ctx) {
        serve(ctx, true);
    }

    /** The v1.0 document (issuer {@code https://sts.windows.net/{tid}/}). */
    public void v1(Context ctx) {
        serve(ctx, false);
    }

    /** Forgets built documents (after tenants change). */
    public void clear() {
        cache.clear();
    }

    private void serve(Context ctx, boolean v2) {
        String origin = origins.of(ctx);
        String tenantValue = ctx.pathParam("tenant");
        String key = (v2 ? "2|" : "1|") + origin + "|" + tenantValue.toLowerCase(Locale.ROOT);
        byte[] body = cache.get(key);
        if (body == null) {
            Optional<TenantPath> tenant = TenantPath.resolve(tenantValue, store.tenants());
            if (tenant.isEmpty()) {
                sts.error(ctx, Failure.of(Cause.TENANT_NOT_FOUND, "tenant", tenantValue, "knownTenants",
                        "(see the tenant file)"));
                return;
            }
            body = build(new StsUrls(origin), tenant.get(), v2);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(key, body);
        }
        ctx.header("Cache-Control", "max-age=86400, private");
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Access-Control-Allow-Methods", "GET, OPTIONS");
        ctx.contentType(StsResponses.JSON_UTF8).result(body);
    }

    static byte[] build(StsUrls urls, TenantPath tenant, boolean v2) {
        String segment;
        String issuer;
        String regionScope;
        switch (tenant) {
            case TenantPath.Specific s -> {
                segment = s.id().toString();
                issuer = v2 ? urls.issuerV2(s.id()) : StsUrls.issuerV1(s.id());
                regionScope = "WW";
            }
            case TenantPath.Audience a when a.kind() == TenantPath.Kind.CONSUMERS -> {
                segment = a.pathValue().toLowerCase(Locale.ROOT);
                issuer = v2 ? urls.issuerV2(WellKnown.CONSUMERS_TENANT_ID) : StsUrls.issuerV1(WellKnown.CONSUMERS_TENANT_ID);
                regionScope = null;
            }
            case TenantPath.Audience a -> {
                segment = a.pathValue().toLowerCase(Locale.ROOT);
                issuer = v2 ? urls.issuerV2Template() : StsUrls.V1_ISSUER_PREFIX + "{tenantid}/";
                regionScope = null;
            }
        }
        String base = urls.origin() + "/" + segment;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("token_endpoint", v2 ? urls.tokenEndpoint(segment) : base + "/oauth2/token");
        d.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "private_key_jwt", "client_secret_basic"));
        d.put("jwks_uri", v2 ? urls.jwksUri(segment) : base + "/discovery/keys");
        d.put("response_modes_supported", List.of("query", "fragment", "form_post"));
        d.put("subject_types_supported", List.of("pairwise"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("response_types_supported", v2 ? List.of("code", "id_token", "code id_token", "id_token token")
                : List.of("code", "id_token", "code id_token", "token id_token", "token"));
        d.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        d.put("issuer", issuer);
        if (!v2) {
            d.put("microsoft_multi_refresh_token", true);
        }
        d.put("request_uri_parameter_supported", false);
        d.put("userinfo_endpoint", urls.origin() + "/oidc/userinfo");
        d.put("authorization_endpoint", v2 ? urls.authorizationEndpoint(segment) : base + "/oauth2/authorize");
        d.put("device_authorization_endpoint", v2 ? urls.deviceCodeEndpoint(segment) : base + "/oauth2/devicecode");
        d.put("http_logout_supported", true);
        d.put("frontchannel_logout_supported", true);
        d.put("end_session_endpoint", v2 ? urls.logoutEndpoint(segment) : base + "/oauth2/logout");
        d.put("claims_supported", List.of("sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce",
                "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"));
        d.put("kerberos_endpoint", base + "/kerberos");
        d.put("tenant_region_scope", regionScope);
        d.put("cloud_instance_name", "microsoftonline.com");
        d.put("cloud_graph_host_name", "graph.windows.net");
        d.put("msgraph_host", "graph.microsoft.com");
        d.put("rbac_url", "https://pas.windows.net");
        try {
            return JSON.writeValueAsBytes(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
