package dev.consentry.testkit;

import dev.consentry.core.directory.AdminConsentRequestPolicy;
import dev.consentry.core.directory.AppConsentRequest;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AuthenticationContextClassReference;
import dev.consentry.core.directory.AuthorizationPolicy;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tenant under construction: start from {@link TestTenants#contoso()} or {@link TestTenants#fabrikam()}, add what
 * the test needs with the {@code with...} methods, then {@link #build()}. Lists keep the order things were added in.
 * Nothing is validated here; the store (through {@code TenantFile.normalise}) checks references on import.
 */
public final class TenantBuilder {
    private final TenantId id;
    private String displayName;
    private final List<VerifiedDomain> domains = new ArrayList<>();
    private final List<User> users = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final List<Application> applications = new ArrayList<>();
    private final List<ServicePrincipal> servicePrincipals = new ArrayList<>();
    private final List<AppRoleAssignment> appRoleAssignments = new ArrayList<>();
    private final List<OAuth2PermissionGrant> grants = new ArrayList<>();
    private final List<RoleAssignment> roleAssignments = new ArrayList<>();
    private final List<SubscribedSku> skus = new ArrayList<>();
    private final List<ConditionalAccessPolicy> policies = new ArrayList<>();
    private TenantSettings settings;
    private AuthorizationPolicy authorizationPolicy;
    private AdminConsentRequestPolicy adminConsentRequestPolicy;
    private final List<AppConsentRequest> consentRequests = new ArrayList<>();
    private final List<SoftwareOathMethod> oathMethods = new ArrayList<>();
    private final List<NamedLocation> namedLocations = new ArrayList<>();
    private final List<Device> devices = new ArrayList<>();
    private final List<AuthenticationContextClassReference> contexts = new ArrayList<>();
    private Map<String, Object> additionalProperties;

    TenantBuilder(TenantId id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** A builder holding everything {@code tenant} holds, to change a copy of it. */
    public static TenantBuilder from(TenantDirectory tenant) {
        TenantBuilder b = new TenantBuilder(tenant.id(), tenant.displayName());
        b.domains.addAll(tenant.verifiedDomains());
        b.users.addAll(tenant.users());
        b.groups.addAll(tenant.groups());
        b.applications.addAll(tenant.applications());
        b.servicePrincipals.addAll(tenant.servicePrincipals());
        b.appRoleAssignments.addAll(tenant.appRoleAssignments());
        b.grants.addAll(tenant.oauth2PermissionGrants());
        b.roleAssignments.addAll(tenant.roleAssignments());
        b.skus.addAll(tenant.subscribedSkus());
        b.policies.addAll(tenant.conditionalAccessPolicies());
        b.settings = tenant.settings();
        b.authorizationPolicy = tenant.authorizationPolicy();
        b.adminConsentRequestPolicy = tenant.adminConsentRequestPolicy();
        b.consentRequests.addAll(tenant.appConsentRequests());
        b.oathMethods.addAll(tenant.softwareOathMethods());
        b.namedLocations.addAll(tenant.namedLocations());
        b.devices.addAll(tenant.devices());
        b.contexts.addAll(tenant.authenticationContextClassReferences());
        b.additionalProperties = tenant.additionalProperties();
        return b;
    }

    public TenantBuilder withDisplayName(String name) {
        this.displayName = name;
        return this;
    }

    /** Adds a verified domain (not the default one). */
    public TenantBuilder withDomain(String name) {
        domains.add(VerifiedDomain.named(name));
        return this;
    }

    /** Replaces the verified domains by {@code names}, the first being the default and initial one. */
    public TenantBuilder withOnlyDomains(String... names) {
        domains.clear();
        for (int i = 0; i < names.length; i++) {
            domains.add(i == 0 ? new VerifiedDomain(names[i], true, true, "Managed") : VerifiedDomain.named(names[i]));
        }
        return this;
    }

    public TenantBuilder withUser(User user) {
        users.add(user);
        return this;
    }

    public TenantBuilder withUsers(List<User> more) {
        users.addAll(more);
        return this;
    }

    /** Replaces the users (a changed copy of a tenant's users, say). */
    public TenantBuilder withOnlyUsers(List<User> replacement) {
        users.clear();
        return withUsers(replacement);
    }

    public TenantBuilder withGroup(Group group) {
        groups.add(group);
        return this;
    }

    public TenantBuilder withApplication(Application application) {
        applications.add(application);
        return this;
    }

    public TenantBuilder withServicePrincipal(ServicePrincipal servicePrincipal) {
        servicePrincipals.add(servicePrincipal);
        return this;
    }

    /** An app role held by a user, group or service principal (an application permission, for a service principal). */
    public TenantBuilder withAppRoleAssignment(AppRoleAssignment assignment) {
        appRoleAssignments.add(assignment);
        return this;
    }

    /** A delegated permission grant ({@code oauth2PermissionGrant}): consent for all users or for one. */
    public TenantBuilder withGrant(OAuth2PermissionGrant grant) {
        grants.add(grant);
        return this;
    }

    /** Replaces the delegated permission grants. */
    public TenantBuilder withOnlyGrants(List<OAuth2PermissionGrant> replacement) {
        grants.clear();
        grants.addAll(replacement);
        return this;
    }

    /** A directory role held by a principal. */
    public TenantBuilder withRoleAssignment(RoleAssignment assignment) {
        roleAssignments.add(assignment);
        return this;
    }

    public TenantBuilder withRoleAssignments(List<RoleAssignment> more) {
        roleAssignments.addAll(more);
        return this;
    }

    public TenantBuilder withSubscribedSku(SubscribedSku sku) {
        skus.add(sku);
        return this;
    }

    public TenantBuilder withNamedLocation(NamedLocation location) {
        namedLocations.add(location);
        return this;
    }

    public TenantBuilder withDevice(Device device) {
        devices.add(device);
        return this;
    }

    public TenantBuilder withAuthenticationContext(AuthenticationContextClassReference context) {
        contexts.add(context);
        return this;
    }

    /** Registers an authenticator app for a user of this tenant, with its Base32 {@code secretKey}. */
    public TenantBuilder withSoftwareOathMethod(SoftwareOathMethod method) {
        oathMethods.add(method);
        return this;
    }

    public TenantBuilder withConditionalAccessPolicy(ConditionalAccessPolicy policy) {
        policies.add(policy);
        return this;
    }

    public TenantBuilder withSettings(TenantSettings settings) {
        this.settings = settings;
        return this;
    }

    /** The tenant's authorization policy (who may consent for themselves), in Graph's shape. */
    public TenantBuilder withAuthorizationPolicy(AuthorizationPolicy policy) {
        this.authorizationPolicy = policy;
        return this;
    }

    /** The tenant's admin consent workflow ({@code adminConsentRequestPolicy}), in Graph's shape. */
    public TenantBuilder withAdminConsentRequestPolicy(AdminConsentRequestPolicy policy) {
        this.adminConsentRequestPolicy = policy;
        return this;
    }

    /**
     * The tenant's user-consent setting: {@code permissionGrantPoliciesAssigned} of its authorization policy, e.g.
     * {@link AuthorizationPolicy#USER_CONSENT_LOW}; none lets no user consent for themselves.
     */
    public TenantBuilder withUserConsentPolicies(String... policies) {
        this.authorizationPolicy = (authorizationPolicy == null ? AuthorizationPolicy.DEFAULT : authorizationPolicy)
                .withGrantPolicies(List.of(policies));
        return this;
    }

    /** The tenant as one value; the builder may be changed and built again afterwards. */
    public TenantDirectory build() {
        return new TenantDirectory(id, displayName, List.copyOf(domains), List.copyOf(users), List.copyOf(groups),
                List.copyOf(applications), List.copyOf(servicePrincipals), List.copyOf(appRoleAssignments),
                List.copyOf(grants), List.copyOf(roleAssignments), List.copyOf(skus), List.copyOf(policies), List.copyOf(consentRequests), List.copyOf(oathMethods), List.copyOf(namedLocations), List.copyOf(devices), List.copyOf(contexts),
                authorizationPolicy, adminConsentRequestPolicy, settings,
                additionalProperties);
    }
}
