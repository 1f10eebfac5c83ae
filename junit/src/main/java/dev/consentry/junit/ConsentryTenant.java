package dev.consentry.junit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.permission.DirectoryRoleCatalogue;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A tenant written in code: a tenant file ({@code docs/tenant-file.md}) built with methods instead of JSON, so that a
 * test says what it is about in a few lines and Consentry loads it exactly as it loads a file, with the same checks
 * and the same messages (a permission name that Microsoft Graph does not define fails the test class with the file
 * path of the mistake and the name probably meant).
 *
 * <pre>{@code
 * ConsentryTenant contoso = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
 *         .licence(ConsentryTenant.Sku.OFFICE_365_E3)
 *         .user("adele", u -> u.password("Passw0rd!").directoryRole("User Administrator").licence("ENTERPRISEPACK"))
 *         .app("Daemon", a -> a.secret("s3cret").applicationPermissions("User.Read.All"))
 *         .app("Desktop", a -> a.publicClient("http://localhost").delegatedPermissions("User.Read"));
 * }</pre>
 *
 * <p>Guaranteed: the same calls make the same file, ids included: the tenant's id, each user's object id and each
 * app's client id are derived from the names unless given ({@link #tenantId()}, {@link #userId}, {@link #clientId}),
 * and service principals get the ids the loader derives ({@code docs/tenant-file.md}).
 */
public final class ConsentryTenant {
    /** Microsoft Graph's app id, the resource of every permission these builders name. */
    static final String GRAPH = WellKnown.GRAPH_APP_ID.toString();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String displayName;
    private final List<String> domains = new ArrayList<>();
    private String id;
    private final Map<String, Sku> skus = new LinkedHashMap<>();
    private final List<UserSpec> users = new ArrayList<>();
    private final List<AppSpec> apps = new ArrayList<>();
    private final List<ObjectNode> policies = new ArrayList<>();
    private String errorProfile;

    private ConsentryTenant(String displayName, String domain) {
        this.displayName = Objects.requireNonNull(displayName, "displayName");
        this.domains.add(Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT));
    }

    /** A tenant named {@code displayName} whose default verified domain is {@code domain} (such as {@code contoso.onmicrosoft.com}). */
    public static ConsentryTenant named(String displayName, String domain) {
        return new ConsentryTenant(displayName, domain);
    }

    /** Its tenant id (a GUID); without this, one derived from the default domain. */
    public ConsentryTenant id(String tenantId) {
        this.id = UUID.fromString(tenantId).toString();
        return this;
    }

    /** Another verified domain. */
    public ConsentryTenant domain(String name) {
        domains.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** A subscription the tenant holds, so that its users may be given the licence ({@link UserSpec#licence}). */
    public ConsentryTenant licence(Sku sku) {
        skus.put(sku.partNumber(), sku);
        return this;
    }

    /**
     * A user {@code name}@ the default domain (or {@code name} as it is when it has an {@code @}), set up by
     * {@code spec}.
     */
    public ConsentryTenant user(String name, Consumer<UserSpec> spec) {
        UserSpec user = new UserSpec(name.contains("@") ? name : name + "@" + domains.get(0));
        spec.accept(user);
        users.add(user);
        return this;
    }

    /** An app registration named {@code displayName}, with its service principal in this tenant, set up by {@code spec}. */
    public ConsentryTenant app(String displayName, Consumer<AppSpec> spec) {
        AppSpec app = new AppSpec(displayName);
        spec.accept(app);
        apps.add(app);
        return this;
    }

    /**
     * A conditional access policy in Graph's JSON ({@code conditionalAccessPolicy}, as {@code POST
     * /identity/conditionalAccess/policies} takes it).
     */
    public ConsentryTenant conditionalAccessPolicy(String graphJson) {
        try {
            policies.add((ObjectNode) dev.consentry.core.directory.DirectoryJson.mapper().readTree(graphJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("not a JSON object: " + graphJson, e);
        }
        return this;
    }

    /** The error profile ({@code settings.errorProfile}): {@code graph-today} or {@code troubleshooting-guide}. */
    public ConsentryTenant errorProfile(String profile) {
        this.errorProfile = profile;
        return this;
    }

    /** The tenant id. */
    public String tenantId() {
        return id != null ? id : derived("tenant", domains.get(0));
    }

    /** The default domain. */
    public String domain() {
        return domains.get(0);
    }

    /** The client id of the app named {@code displayName}. */
    public String clientId(String displayName) {
        return apps.stream().filter(a -> a.displayName.equals(displayName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no app named " + displayName + " in " + this.displayName))
                .clientId();
    }

    /** The object id of the user made with {@code name} (a user principal name, or the part before its {@code @}). */
    public String userId(String name) {
        return derived("user", tenantId(), userPrincipalName(name).toLowerCase(Locale.ROOT));
    }

    /** The user principal name of the user made with {@code name}. */
    public String userPrincipalName(String name) {
        return name.contains("@") ? name : name + "@" + domains.get(0);
    }

    /** The id a builder derives from {@code parts}: a name-based UUID, so the same calls give the same ids. */
    static String derived(String... parts) {
        return UUID.nameUUIDFromBytes(("consentry-junit " + String.join(" ", parts)).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** This tenant as one entry of a tenant file's {@code tenants}. */
    ObjectNode toJson() {
        ObjectNode t = JSON.objectNode();
        t.put("id", tenantId());
        t.put("displayName", displayName);
        ArrayNode ds = t.putArray("verifiedDomains");
        for (int i = 0; i < domains.size(); i++) {
            ds.addObject().put("name", domains.get(i)).put("isDefault", i == 0);
        }
        ArrayNode subscribed = t.putArray("subscribedSkus");
        for (Sku sku : skus.values()) {
            ObjectNode s = subscribed.addObject().put("id", tenantId() + "_" + sku.skuId()).put("skuId", sku.skuId())
                    .put("skuPartNumber", sku.partNumber());
            ArrayNode plans = s.putArray("servicePlans");
            sku.servicePlans().forEach((planName, planId) -> plans.addObject().put("servicePlanId", planId)
                    .put("servicePlanName", planName).put("provisioningStatus", "Success").put("appliesTo", "User"));
        }
        ArrayNode us = t.putArray("users");
        ArrayNode roleAssignments = t.putArray("roleAssignments");
        for (UserSpec u : users) {
            String userId = userId(u.userPrincipalName);
            us.add(u.toJson(userId, skus));
            for (String role : u.roles) {
                roleAssignments.addObject().put("principalId", userId).put("roleDefinitionId", role)
                        .put("directoryScopeId", "/");
            }
        }
        ArrayNode applications = t.putArray("applications");
        ArrayNode assignments = t.putArray("appRoleAssignments");
        ArrayNode grants = t.putArray("oauth2PermissionGrants");
        for (AppSpec a : apps) {
            applications.add(a.toJson(this::clientId));
            Map<String, List<String>> roles = new LinkedHashMap<>();
            Map<String, List<String>> scopes = new LinkedHashMap<>();
            roles.put(GRAPH, a.consentedRoles);
            scopes.put(GRAPH, a.consentedScopes);
            a.rolesOn.forEach((api, values) -> roles.put(clientId(api), values));
            a.scopesOn.forEach((api, values) -> scopes.put(clientId(api), values));
            roles.forEach((resource, values) -> values.forEach(role -> assignments.addObject().put("principalId", a.clientId())
                    .put("resourceId", resource).put("appRoleId", role)));
            scopes.forEach((resource, values) -> {
                if (!values.isEmpty()) {
                    grants.addObject().put("clientId", a.clientId()).put("consentType", "AllPrincipals").put("resourceId", resource)
                            .put("scope", String.join(" ", values));
                }
            });
        }
        if (!policies.isEmpty()) {
            ArrayNode ps = t.putArray("conditionalAccessPolicies");
            policies.forEach(ps::add);
        }
        if (errorProfile != null) {
            t.putObject("settings").put("errorProfile", errorProfile);
        }
        return t;
    }

    /** A licence a tenant can subscribe to: Microsoft's SKU id and part number, and its service plans (name to id). */
    public record Sku(String skuId, String partNumber, Map<String, String> servicePlans) {
        /** Office 365 E3: Exchange Online (Plan 2) and SharePoint Online (Plan 2), the plans Graph's mail, calendar and files need. */
        public static final Sku OFFICE_365_E3 = new Sku("6fd2c87f-b296-42f0-b197-1e91e994b900", "ENTERPRISEPACK",
                Map.of("EXCHANGE_S_ENTERPRISE", "efb87545-963c-4e0d-99df-69c6916d9eb0",
                        "SHAREPOINTENTERPRISE", "5dbe027f-2339-4123-9542-606e4d348a72"));

        public Sku {
            UUID.fromString(skuId);
            servicePlans = Map.copyOf(servicePlans);
        }
    }

    /** A user under construction. */
    public static final class UserSpec {
        private final String userPrincipalName;
        private String displayName;
        private String password;
        private boolean enabled = true;
        private final List<String> roles = new ArrayList<>();
        private final List<String> licences = new ArrayList<>();

        private UserSpec(String userPrincipalName) {
            this.userPrincipalName = userPrincipalName;
        }

        /** The password the user signs in with (stored hashed, as a tenant file's {@code passwordProfile.password}). */
        public UserSpec password(String password) {
            this.password = password;
            return this;
        }

        /** The display name; without this, the part of the user principal name before the {@code @}. */
        public UserSpec displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        /** A disabled account ({@code accountEnabled: false}). */
        public UserSpec disabled() {
            this.enabled = false;
            return this;
        }

        /**
         * A directory role, by its display name in Entra ({@code User Administrator}, {@code Global Administrator}) or
         * its template id, assigned tenant-wide.
         *
         * @throws IllegalArgumentException for a name Entra does not have, with the names that come closest
         */
        public UserSpec directoryRole(String nameOrTemplateId) {
            DirectoryRoleCatalogue roles = DirectoryRoleCatalogue.builtin();
            String templateId = roles.byId(nameOrTemplateId).or(() -> roles.byName(nameOrTemplateId))
                    .map(DirectoryRoleCatalogue.DirectoryRole::templateId)
                    .orElseThrow(() -> new IllegalArgumentException("Entra has no directory role named '" + nameOrTemplateId
                            + "'" + closest(nameOrTemplateId, roles)));
            this.roles.add(templateId);
            return this;
        }

        /** A licence by the part number of a SKU the tenant holds ({@link ConsentryTenant#licence(Sku)}). */
        public UserSpec licence(String skuPartNumber) {
            licences.add(skuPartNumber);
            return this;
        }

        private ObjectNode toJson(String id, Map<String, Sku> skus) {
            ObjectNode u = JSON.objectNode();
            u.put("id", id);
            u.put("userPrincipalName", userPrincipalName);
            u.put("displayName", displayName != null ? displayName : userPrincipalName.substring(0, userPrincipalName.indexOf('@')));
            u.put("accountEnabled", enabled);
            if (password != null) {
                u.putObject("passwordProfile").put("password", password);
            }
            if (!licences.isEmpty()) {
                u.put("usageLocation", "US");
                ArrayNode assigned = u.putArray("assignedLicenses");
                for (String partNumber : licences) {
                    Sku sku = skus.get(partNumber);
                    if (sku == null) {
                        throw new IllegalArgumentException("user " + userPrincipalName + " is given the licence " + partNumber
                                + ", which the tenant does not hold; add it with licence(Sku) first (holds: "
                                + (skus.isEmpty() ? "none" : String.join(", ", skus.keySet())) + ")");
                    }
                    assigned.addObject().put("skuId", sku.skuId()).putArray("disabledPlans");
                }
            }
            return u;
        }

        private static String closest(String name, DirectoryRoleCatalogue roles) {
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> near = roles.roles().stream().map(DirectoryRoleCatalogue.DirectoryRole::displayName)
                    .filter(n -> n.toLowerCase(Locale.ROOT).contains(lower) || lower.contains(n.toLowerCase(Locale.ROOT))
                            || n.toLowerCase(Locale.ROOT).startsWith(lower.substring(0, Math.min(4, lower.length()))))
                    .limit(5).toList();
            return near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?";
        }
    }

    /**
     * An app registration under construction. The permissions of {@link #applicationPermissions} and
     * {@link #delegatedPermissions} are Microsoft Graph's; those of the {@code ...On} methods are defined by another app
     * of the tenant that exposes an API ({@link #exposesScope}, {@link #exposesAppRole}).
     */
    public static final class AppSpec {
        private final String displayName;
        private String clientId;
        private final List<String> secrets = new ArrayList<>();
        private final List<X509Certificate> certificates = new ArrayList<>();
        private final List<String> webRedirects = new ArrayList<>();
        private final List<String> spaRedirects = new ArrayList<>();
        private final List<String> publicRedirects = new ArrayList<>();
        private boolean publicClient;
        private final List<String> requestedRoles = new ArrayList<>();
        private final List<String> requestedScopes = new ArrayList<>();
        private final List<String> consentedRoles = new ArrayList<>();
        private final List<String> consentedScopes = new ArrayList<>();
        private final List<String> identifierUris = new ArrayList<>();
        private Integer accessTokenVersion;
        private final List<String> exposedScopes = new ArrayList<>();
        private final List<String> exposedRoles = new ArrayList<>();
        /** Permissions on the APIs of other apps of this tenant, by the API app's display name: granted ones. */
        private final Map<String, List<String>> rolesOn = new LinkedHashMap<>();
        private final Map<String, List<String>> scopesOn = new LinkedHashMap<>();

        private AppSpec(String displayName) {
            this.displayName = displayName;
        }

        /** Its client (application) id; without this, one derived from the display name. */
        public AppSpec clientId(String clientId) {
            this.clientId = UUID.fromString(clientId).toString();
            return this;
        }

        /** A client secret the app authenticates with (stored hashed). */
        public AppSpec secret(String secret) {
            secrets.add(secret);
            return this;
        }

        /** A certificate whose key signs the app's client assertions. */
        public AppSpec certificate(X509Certificate certificate) {
            certificates.add(certificate);
            return this;
        }

        /** A web redirect URI (a confidential app's sign-in). */
        public AppSpec webRedirectUri(String uri) {
            webRedirects.add(uri);
            return this;
        }

        /** A single-page app's redirect URI (cross-origin redemption with PKCE). */
        public AppSpec spaRedirectUri(String uri) {
            spaRedirects.add(uri);
            return this;
        }

        /**
         * A public client (desktop, mobile, CLI: no secret; device code and, where allowed, username and password)
         * with these redirect URIs ({@code http://localhost} for MSAL's interactive sign-in).
         */
        public AppSpec publicClient(String... redirectUris) {
            publicClient = true;
            publicRedirects.addAll(List.of(redirectUris));
            return this;
        }

        /** Application permissions the app requests and an administrator has granted (app role assignments). */
        public AppSpec applicationPermissions(String... names) {
            requestedRoles.addAll(List.of(names));
            consentedRoles.addAll(List.of(names));
            return this;
        }

        /** Delegated permissions the app requests and an administrator has granted for all users. */
        public AppSpec delegatedPermissions(String... names) {
            requestedScopes.addAll(List.of(names));
            consentedScopes.addAll(List.of(names));
            return this;
        }

        /** Application permissions the app requests without anyone having granted them. */
        public AppSpec requestedApplicationPermissions(String... names) {
            requestedRoles.addAll(List.of(names));
            return this;
        }

        /** Delegated permissions the app requests without anyone having consented to them. */
        public AppSpec requestedDelegatedPermissions(String... names) {
            requestedScopes.addAll(List.of(names));
            return this;
        }

        /** An application ID URI ({@code api://orders}): the audience of tokens for this app's API. */
        public AppSpec identifierUri(String uri) {
            identifierUris.add(uri);
            return this;
        }

        /**
         * The token version its API asks for ({@code api.requestedAccessTokenVersion}): 2 for v2.0 tokens (issuer
         * {@code .../{tenant}/v2.0}, as Spring Security's {@code issuer-uri} expects); left out, Entra issues v1.0
         * tokens for the API (issuer {@code https://sts.windows.net/{tenant}/}).
         */
        public AppSpec requestedAccessTokenVersion(int version) {
            this.accessTokenVersion = version;
            return this;
        }

        /** A delegated permission this app's API defines ({@code Orders.Read}), which admins or users consent to. */
        public AppSpec exposesScope(String value) {
            exposedScopes.add(value);
            return this;
        }

        /** An app role this app's API defines for other apps ({@code Orders.Read.All}), an application permission. */
        public AppSpec exposesAppRole(String value) {
            exposedRoles.add(value);
            return this;
        }

        /** Application permissions on the API of this tenant's app {@code apiAppName}, requested and granted. */
        public AppSpec applicationPermissionsOn(String apiAppName, String... roles) {
            rolesOn.computeIfAbsent(apiAppName, k -> new ArrayList<>()).addAll(List.of(roles));
            return this;
        }

        /** Delegated permissions on the API of this tenant's app {@code apiAppName}, requested and granted for all users. */
        public AppSpec delegatedPermissionsOn(String apiAppName, String... scopes) {
            scopesOn.computeIfAbsent(apiAppName, k -> new ArrayList<>()).addAll(List.of(scopes));
            return this;
        }

        String clientId() {
            return clientId != null ? clientId : derived("app", displayName);
        }

        private ObjectNode toJson(java.util.function.Function<String, String> clientIds) {
            ObjectNode a = JSON.objectNode();
            a.put("appId", clientId());
            a.put("displayName", displayName);
            if (publicClient) {
                a.put("isFallbackPublicClient", true);
                a.putObject("publicClient").set("redirectUris", strings(publicRedirects));
            }
            if (!webRedirects.isEmpty()) {
                a.putObject("web").set("redirectUris", strings(webRedirects));
            }
            if (!spaRedirects.isEmpty()) {
                a.putObject("spa").set("redirectUris", strings(spaRedirects));
            }
            if (!secrets.isEmpty()) {
                ArrayNode creds = a.putArray("passwordCredentials");
                for (int i = 0; i < secrets.size(); i++) {
                    String keyId = derived("secret", clientId(), String.valueOf(i));
                    creds.addObject().put("keyId", keyId).put("displayName", "secret " + (i + 1)).put("secretText", secrets.get(i));
                }
            }
            if (!certificates.isEmpty()) {
                ArrayNode keys = a.putArray("keyCredentials");
                for (int i = 0; i < certificates.size(); i++) {
                    X509Certificate c = certificates.get(i);
                    String keyId = derived("certificate", clientId(), String.valueOf(i));
                    try {
                        keys.addObject().put("keyId", keyId).put("type", "AsymmetricX509Cert").put("usage", "Verify")
                                .put("key", Base64.getEncoder().encodeToString(c.getEncoded()));
                    } catch (CertificateEncodingException e) {
                        throw new IllegalArgumentException("the certificate of " + displayName + " cannot be encoded", e);
                    }
                }
            }
            if (!identifierUris.isEmpty()) {
                a.set("identifierUris", strings(identifierUris));
            }
            ObjectNode api = JSON.objectNode();
            if (accessTokenVersion != null) {
                api.put("requestedAccessTokenVersion", accessTokenVersion);
            }
            if (!exposedScopes.isEmpty()) {
                ArrayNode scopes = api.putArray("oauth2PermissionScopes");
                for (String value : exposedScopes) {
                    scopes.addObject().put("id", derivedId("scope", value)).put("value", value).put("type", "User")
                            .put("adminConsentDisplayName", value).put("userConsentDisplayName", value).put("isEnabled", true);
                }
            }
            if (!api.isEmpty()) {
                a.set("api", api);
            }
            if (!exposedRoles.isEmpty()) {
                ArrayNode roles = a.putArray("appRoles");
                for (String value : exposedRoles) {
                    roles.addObject().put("id", derivedId("role", value)).put("value", value).put("displayName", value)
                            .put("description", value).put("isEnabled", true).putArray("allowedMemberTypes").add("Application");
                }
            }
            ArrayNode required = JSON.arrayNode();
            if (!requestedRoles.isEmpty() || !requestedScopes.isEmpty()) {
                required.add(resourceAccess(GRAPH, requestedScopes, requestedRoles));
            }
            java.util.Set<String> apis = new java.util.LinkedHashSet<>(scopesOn.keySet());
            apis.addAll(rolesOn.keySet());
            for (String other : apis) {
                required.add(resourceAccess(clientIds.apply(other), scopesOn.getOrDefault(other, List.of()),
                        rolesOn.getOrDefault(other, List.of())));
            }
            if (!required.isEmpty()) {
                a.set("requiredResourceAccess", required);
            }
            return a;
        }

        private static ObjectNode resourceAccess(String resourceAppId, List<String> scopes, List<String> roles) {
            ObjectNode resource = JSON.objectNode().put("resourceAppId", resourceAppId);
            ArrayNode access = resource.putArray("resourceAccess");
            scopes.forEach(s -> access.addObject().put("id", s).put("type", "Scope"));
            roles.forEach(r -> access.addObject().put("id", r).put("type", "Role"));
            return resource;
        }

        private String derivedId(String kind, String value) {
            return derived(kind, clientId(), value);
        }

        private static ArrayNode strings(List<String> values) {
            ArrayNode array = JSON.arrayNode();
            values.forEach(array::add);
            return array;
        }
    }
}
