package dev.consentry.identity.grant;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.explain.Check;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.client.ClientAuthenticator;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.resource.ResolvedResource;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.token.AccessTokenFactory.IssuedToken;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The client credentials grant (RFC 6749, section 4.4; Entra's "client credentials flow"): a
 * confidential client asks for {@code {resource}/.default} and gets an app-only token whose
 * {@code roles} are the app roles its service principal holds on that resource.
 *
 * <p>As Entra: the tenant must be specific; the OIDC scopes MSAL adds ({@code openid profile
 * offline_access}) are accepted and ignored; any other scope than one {@code /.default} is refused
 * (AADSTS1002012); two resources are refused (AADSTS70011); no refresh or id token is issued.
 */
final class ClientCredentialsGrant implements Grant {
    private static final String DEFAULT_SUFFIX = "/.default";
    private static final String GRAPH = "https://graph.microsoft.com";

    private final Store store;
    private final ClientAuthenticator clients;
    private final ResourceResolver resources;
    private final AccessTokenFactory tokens;

    ClientCredentialsGrant(Store store, ClientAuthenticator clients, ResourceResolver resources,
                           AccessTokenFactory tokens) {
        this.store = store;
        this.clients = clients;
        this.resources = resources;
        this.tokens = tokens;
    }

    @Override
    public Map<String, Object> issue(TokenCall call, TenantPath path) {
        if (!(path instanceof TenantPath.Specific specific)) {
            throw Failure.of(Cause.TENANT_REQUIRED_FOR_FLOW, "grantType", GrantType.CLIENT_CREDENTIALS.wireName(),
                    "tenant", path.pathValue()).toException();
        }
        TenantId tenant = specific.id();
        AuthenticatedClient client = clients.authenticate(tenant, call.params(), call.authorization(),
                call.urls().assertionAudiences(call.tenantPathValue(), tenant), call.now());
        call.steps().passed(Check.CLIENT_AUTHENTICATION, ClientAuthenticator.describe(client));
        String resourceId = defaultScopeResource(call.params().get("scope").orElseThrow(() ->
                Failure.of(Cause.SCOPE_MISSING, "grantType", GrantType.CLIENT_CREDENTIALS.wireName()).toException()));
        ResolvedResource resource = resources.resolve(tenant, resourceId);
        List<String> roles = rolesOn(store, tenant, client, resource);
        IssuedToken token = tokens.appOnly(call.urls(), tenant, client, resource, roles, call.now());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresIn());
        body.put("ext_expires_in", token.expiresIn());
        body.put("access_token", token.compact());
        return body;
    }

    /** The resource named by the one {@code {resource}/.default} scope, refusing anything else. */
    static String defaultScopeResource(String scope) {
        List<String> resourceScopes = new ArrayList<>();
        for (String s : scope.trim().split("\\s+")) {
            if (!s.isEmpty() && !DelegatedScopes.OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                resourceScopes.add(s);
            }
        }
        if (resourceScopes.isEmpty()) {
            throw Failure.of(Cause.SCOPE_INVALID_FOR_FLOW, "scope", scope.trim(),
                    "suggestion", GRAPH + DEFAULT_SUFFIX).toException();
        }
        for (String s : resourceScopes) {
            if (!s.toLowerCase(Locale.ROOT).endsWith(DEFAULT_SUFFIX)) {
                throw Failure.of(Cause.SCOPE_INVALID_FOR_FLOW, "scope", s, "suggestion", suggestDefault(s)).toException();
            }
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String s : resourceScopes) {
            distinct.add(s.substring(0, s.length() - DEFAULT_SUFFIX.length()).toLowerCase(Locale.ROOT));
        }
        if (distinct.size() > 1) {
            throw Failure.of(Cause.SCOPE_INVALID, "scope", String.join(" ", resourceScopes), "problem",
                    "The scopes name " + distinct.size() + " resources (" + String.join(", ", distinct)
                            + "); a token is for exactly one resource.").toException();
        }
        String first = resourceScopes.get(0);
        String resource = first.substring(0, first.length() - DEFAULT_SUFFIX.length());
        if (resource.isEmpty()) {
            throw Failure.of(Cause.SCOPE_INVALID, "scope", first, "problem",
                    "The scope '/.default' names no resource.").toException();
        }
        return resource;
    }

    /** What the client should have asked for instead of {@code scope}. */
    private static String suggestDefault(String scope) {
        int slash = scope.lastIndexOf('/');
        if (slash <= 0 || scope.startsWith("api://") && scope.indexOf('/', "api://".length()) < 0) {
            return GRAPH + DEFAULT_SUFFIX; // a bare permission name such as User.Read means Microsoft Graph
        }
        return scope.substring(0, slash) + DEFAULT_SUFFIX;
    }

    /**
     * The values of the enabled app roles the client's service principal holds on the resource and that applications
     * may hold. A role whose {@code allowedMemberTypes} lacks "Application" is for users and groups: Entra never puts
     * it in an app-only token, even when a store holds such an assignment (Graph and the tenant file refuse to make one).
     */
    static List<String> rolesOn(Store store, TenantId tenant, AuthenticatedClient client, ResolvedResource resource) {
        Set<String> roles = new LinkedHashSet<>();
        for (AppRoleAssignment a : store.appRoleAssignments().listByPrincipal(tenant, client.servicePrincipal().id())) {
            if (a.resourceId().equals(resource.servicePrincipal().id())) {
                resource.appRole(a.appRoleId()).filter(AppRole::forApplications).ifPresent(r -> roles.add(r.value()));
            }
        }
        return List.copyOf(roles);
    }
}
