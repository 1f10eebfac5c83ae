package dev.consentry.identity.protocol;

import dev.consentry.core.id.TenantId;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Every URL the STS publishes, built on one origin: the one the client used, or the configured public
 * base URL. Never another spelling of it ({@code localhost} vs {@code 127.0.0.1}): msal-node refuses an
 * issuer on another origin (wire spec, section 2.10).
 *
 * @param origin scheme, host and port, without a trailing slash, e.g. {@code https://localhost:8443}
 */
public record StsUrls(String origin) {
    /** The v1.0 issuer prefix Entra puts in v1.0 access tokens (wire spec, section 4.3). */
    public static final String V1_ISSUER_PREFIX = "https://sts.windows.net/";

    public StsUrls {
        if (origin.endsWith("/")) {
            origin = origin.substring(0, origin.length() - 1);
        }
    }

    /** The v2.0 issuer of a tenant: {@code {origin}/{tid}/v2.0}. */
    public String issuerV2(TenantId tenant) {
        return origin + "/" + tenant + "/v2.0";
    }

    /** The v2.0 issuer template of the multi-tenant documents: {@code {origin}/{tenantid}/v2.0}. */
    public String issuerV2Template() {
        return origin + "/{tenantid}/v2.0";
    }

    /** The v1.0 issuer of a tenant, as Entra's: {@code https://sts.windows.net/{tid}/}. */
    public static String issuerV1(TenantId tenant) {
        return V1_ISSUER_PREFIX + tenant + "/";
    }

    /** {@code {origin}/{tenant}/oauth2/v2.0/token}. */
    public String tokenEndpoint(String tenantPathValue) {
        return origin + "/" + tenantPathValue + "/oauth2/v2.0/token";
    }

    /** {@code {origin}/{tenant}/oauth2/v2.0/authorize}. */
    public String authorizationEndpoint(String tenantPathValue) {
        return origin + "/" + tenantPathValue + "/oauth2/v2.0/authorize";
    }

    /** {@code {origin}/{tenant}/oauth2/v2.0/devicecode}. */
    public String deviceCodeEndpoint(String tenantPathValue) {
        return origin + "/" + tenantPathValue + "/oauth2/v2.0/devicecode";
    }

    /** {@code {origin}/{tenant}/oauth2/v2.0/logout}. */
    public String logoutEndpoint(String tenantPathValue) {
        return origin + "/" + tenantPathValue + "/oauth2/v2.0/logout";
    }

    /** {@code {origin}/{tenant}/discovery/v2.0/keys}. */
    public String jwksUri(String tenantPathValue) {
        return origin + "/" + tenantPathValue + "/discovery/v2.0/keys";
    }

    /**
     * The audiences a client assertion may carry for a request to {@code tenantPathValue} of
     * {@code tenant}: the v2.0 and v1.0 token endpoints under the path value and under the tenant id,
     * lower-case (MSAL lower-cases the authority).
     */
    public Set<String> assertionAudiences(String tenantPathValue, TenantId tenant) {
        Set<String> all = new LinkedHashSet<>();
        for (String t : new String[] {tenantPathValue, tenant.toString()}) {
            all.add((origin + "/" + t + "/oauth2/v2.0/token").toLowerCase(Locale.ROOT));
            all.add((origin + "/" + t + "/oauth2/token").toLowerCase(Locale.ROOT));
        }
        return all;
    }
}
