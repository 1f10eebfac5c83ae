package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one tenant holds, as one value: the unit of the tenant file, of import (which replaces
 * the stored tenant with the same id as a whole) and of export.
 *
 * <p>Property names are those of the tenant file (product brief, section 3). Guaranteed: lists are
 * never null. No referential checks happen here; {@code TenantFile} validates references on load.
 */
public record TenantDirectory(
        TenantId id,
        String displayName,
        List<VerifiedDomain> verifiedDomains,
        List<User> users,
        List<Group> groups,
        List<Application> applications,
        List<ServicePrincipal> servicePrincipals,
        List<AppRoleAssignment> appRoleAssignments,
        List<OAuth2PermissionGrant> oauth2PermissionGrants,
        List<RoleAssignment> roleAssignments,
        List<SubscribedSku> subscribedSkus,
        List<ConditionalAccessPolicy> conditionalAccessPolicies,
        List<AppConsentRequest> appConsentRequests,
        List<SoftwareOathMethod> softwareOathMethods,
        List<NamedLocation> namedLocations,
        List<Device> devices,
        List<AuthenticationContextClassReference> authenticationContextClassReferences,
        AuthorizationPolicy authorizationPolicy,
        AdminConsentRequestPolicy adminConsentRequestPolicy,
        TenantSettings settings,
        @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {

    public TenantDirectory {
        Objects.requireNonNull(id, "id");
        verifiedDomains = Extra.list(verifiedDomains);
        users = Extra.list(users);
        groups = Extra.list(groups);
        applications = Extra.list(applications);
        servicePrincipals = Extra.list(servicePrincipals);
        appRoleAssignments = Extra.list(appRoleAssignments);
        oauth2PermissionGrants = Extra.list(oauth2PermissionGrants);
        roleAssignments = Extra.list(roleAssignments);
        subscribedSkus = Extra.list(subscribedSkus);
        conditionalAccessPolicies = Extra.list(conditionalAccessPolicies);
        appConsentRequests = Extra.list(appConsentRequests);
        softwareOathMethods = Extra.list(softwareOathMethods);
        namedLocations = Extra.list(namedLocations);
        devices = Extra.list(devices);
        authenticationContextClassReferences = Extra.list(authenticationContextClassReferences);
        authorizationPolicy = authorizationPolicy == null ? AuthorizationPolicy.DEFAULT : authorizationPolicy;
        adminConsentRequestPolicy = adminConsentRequestPolicy == null ? AdminConsentRequestPolicy.DEFAULT
                : adminConsentRequestPolicy;
        settings = settings == null ? TenantSettings.DEFAULT : settings;
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** The tenant's own record (id, name, domains, policies, settings). */
    @JsonIgnore
    public Tenant tenant() {
        return new Tenant(id, displayName, verifiedDomains, authorizationPolicy, adminConsentRequestPolicy, settings);
    }

    /** This directory with {@code policy} in place of its policy of that kind; everything else unchanged. */
    public TenantDirectory withPolicy(TenantPolicy policy) {
        return new TenantDirectory(id, displayName, verifiedDomains, users, groups, applications, servicePrincipals,
                appRoleAssignments, oauth2PermissionGrants, roleAssignments, subscribedSkus, conditionalAccessPolicies,
                appConsentRequests, softwareOathMethods, namedLocations, devices, authenticationContextClassReferences,
                policy instanceof AuthorizationPolicy a ? a : authorizationPolicy,
                policy instanceof AdminConsentRequestPolicy r ? r : adminConsentRequestPolicy, settings, additionalProperties);
    }

}
