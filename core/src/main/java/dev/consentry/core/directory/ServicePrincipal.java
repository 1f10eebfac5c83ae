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
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public ServicePrincipal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appId, "appId");
        accountEnabled = accountEnabled == null ? Boolean.TRUE : accountEnabled;
        servicePrincipalType = servicePrincipalType == null ? "Application" : servicePrincipalType;
        servicePrincipalNames = Extra.list(servicePrincipalNames);
        appRoles = Extra.list(appRoles);
        oauth2PermissionScopes = Extra.list(oauth2PermissionScopes);
        additionalProperties = Extra.copy(additionalProperties);
    }

    public boolean enabled() {
        return accountEnabled;
    }

}
