package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A service principal: an application's (or a resource's) instance in one tenant, with Graph's
 * {@code servicePrincipal} property names. As a resource it carries the app roles and delegated
 * scopes it exposes; {@code servicePrincipalNames} holds its app id and identifier URIs.
 *
 * @param keyCredentials the principal's own certificates (Graph's {@code servicePrincipal.keyCredentials}); empty when it
 *     has none
 * @param owners the object ids of the users and service principals that own it (Graph's {@code owners} relationship,
 *     https://learn.microsoft.com/graph/api/serviceprincipal-post-owners), in the order they were added, without
 *     repeats; empty when it has none
 */
public record ServicePrincipal(
        ObjectId id,
        AppId appId,
        String displayName,
        Boolean accountEnabled,
        String servicePrincipalType,
        TenantId appOwnerOrganizationId,
        Boolean appRoleAssignmentRequired,
        List<String> servicePrincipalNames,
        List<AppRole> appRoles,
        List<PermissionScope> oauth2PermissionScopes,
        List<KeyCredential> keyCredentials,
        List<ObjectId> owners,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public ServicePrincipal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appId, "appId");
        accountEnabled = accountEnabled == null ? Boolean.TRUE : accountEnabled;
        servicePrincipalType = servicePrincipalType == null ? "Application" : servicePrincipalType;
        servicePrincipalNames = Extra.list(servicePrincipalNames);
        appRoles = Extra.list(appRoles);
        oauth2PermissionScopes = Extra.list(oauth2PermissionScopes);
        keyCredentials = Extra.list(keyCredentials);
        owners = owners == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(owners));
        additionalProperties = Extra.copy(additionalProperties);
    }

    /**
     * A new service principal without certificates or owners (a copy of an existing one keeps them: use the canonical
     * constructor).
     */
    public ServicePrincipal(ObjectId id, AppId appId, String displayName, Boolean accountEnabled, String servicePrincipalType,
                            TenantId appOwnerOrganizationId, Boolean appRoleAssignmentRequired,
                            List<String> servicePrincipalNames, List<AppRole> appRoles,
                            List<PermissionScope> oauth2PermissionScopes, Map<String, Object> additionalProperties) {
        this(id, appId, displayName, accountEnabled, servicePrincipalType, appOwnerOrganizationId, appRoleAssignmentRequired,
                servicePrincipalNames, appRoles, oauth2PermissionScopes, List.of(), List.of(), additionalProperties);
    }

    /** A copy with other certificates, everything else kept. */
    public ServicePrincipal withKeyCredentials(List<KeyCredential> certificates) {
        return new ServicePrincipal(id, appId, displayName, accountEnabled, servicePrincipalType, appOwnerOrganizationId,
                appRoleAssignmentRequired, servicePrincipalNames, appRoles, oauth2PermissionScopes, certificates, owners,
                additionalProperties);
    }

    /** A copy with other owners, everything else kept. */
    public ServicePrincipal withOwners(List<ObjectId> newOwners) {
        return new ServicePrincipal(id, appId, displayName, accountEnabled, servicePrincipalType, appOwnerOrganizationId,
                appRoleAssignmentRequired, servicePrincipalNames, appRoles, oauth2PermissionScopes, keyCredentials, newOwners,
                additionalProperties);
    }

    public boolean enabled() {
        return accountEnabled;
    }

    /**
     * The service principal Entra creates for {@code app} in a tenant (the portal's registration, Graph's
     * {@code POST /servicePrincipals}, or the first consent in another tenant): the app's id, name, identifier URIs,
     * app roles and delegated permissions, {@code appOwnerOrganizationId} the tenant that registered it.
     */
    public static ServicePrincipal of(ObjectId id, Application app, TenantId appOwner, boolean enabled,
                                      boolean appRoleAssignmentRequired, Map<String, Object> additionalProperties) {
        List<String> names = new java.util.ArrayList<>();
        names.add(app.appId().toString());
        names.addAll(app.identifierUris());
        return new ServicePrincipal(id, app.appId(), app.displayName(), enabled, "Application", appOwner,
                appRoleAssignmentRequired, names, app.appRoles(), app.api().oauth2PermissionScopes(), additionalProperties);
    }

    /**
     * The id Consentry gives the service principal of {@code appId} in {@code tenant} when it creates one itself: the
     * same on every load of a tenant file and on every node, so that nothing needs to be told which id was chosen.
     */
    public static ObjectId stableId(TenantId tenant, AppId appId) {
        return new ObjectId(java.util.UUID.nameUUIDFromBytes(("consentry:sp:" + tenant + ":" + appId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

}
