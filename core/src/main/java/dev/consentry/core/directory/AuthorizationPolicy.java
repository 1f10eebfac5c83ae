package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * A tenant's authorization policy in Microsoft Graph's shape ({@code GET /v1.0/policies/authorizationPolicy}, the
 * {@code authorizationPolicy} entity of Graph's v1.0 metadata). Consentry decides with one of its properties:
 * {@code defaultUserRolePermissions.permissionGrantPoliciesAssigned}, the permission grant policies under which users
 * may consent to apps for themselves (Microsoft Learn, "Configure how users consent to applications"). Every other
 * property is kept as given and answered back.
 *
 * <p>Guaranteed: {@code defaultUserRolePermissions} is never null; a policy read without
 * {@code permissionGrantPoliciesAssigned} assigns {@link #DEFAULT_GRANT_POLICIES}.
 *
 * @param defaultUserRolePermissions what every member user may do, by default
 * @param additionalProperties Graph's other properties (allowInvitesFrom, guestUserRoleId, ...), kept
 */
public record AuthorizationPolicy(DefaultUserRolePermissions defaultUserRolePermissions,
                                  @JsonAnySetter Map<String, Object> additionalProperties)
        implements KeepsUnknownProperties, TenantPolicy {

    /** Users may consent to any app for permissions that do not need an administrator's consent. */
    public static final String USER_CONSENT_LEGACY = "ManagePermissionGrantsForSelf.microsoft-user-default-legacy";
    /**
     * Users may consent only to apps of verified publishers or of their own tenant, and only for permissions the
     * resource classifies as low impact ({@code delegatedPermissionClassifications}).
     */
    public static final String USER_CONSENT_LOW = "ManagePermissionGrantsForSelf.microsoft-user-default-low";
    /** The prefix of every policy that governs consent for oneself. */
    public static final String FOR_SELF = "ManagePermissionGrantsForSelf.";
    /**
     * What a tenant without a stated policy assigns: user consent allowed, as Consentry has always let users consent
     * (and as tenants created before Microsoft's newer defaults still are).
     */
    public static final List<String> DEFAULT_GRANT_POLICIES = List.of(USER_CONSENT_LEGACY);
    public static final AuthorizationPolicy DEFAULT = new AuthorizationPolicy(null, null);

    public AuthorizationPolicy {
        defaultUserRolePermissions = defaultUserRolePermissions == null
                ? new DefaultUserRolePermissions(null, null) : defaultUserRolePermissions;
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** The policies assigned for consent for oneself ({@link #FOR_SELF}), in the order given. */
    @JsonIgnore
    public List<String> userConsentPolicies() {
        return defaultUserRolePermissions.permissionGrantPoliciesAssigned().stream()
                .filter(p -> p.regionMatches(true, 0, FOR_SELF, 0, FOR_SELF.length())).toList();
    }

    /** This policy with {@code permissionGrantPoliciesAssigned} replaced by {@code policies}. */
    public AuthorizationPolicy withGrantPolicies(List<String> policies) {
        return new AuthorizationPolicy(new DefaultUserRolePermissions(policies,
                defaultUserRolePermissions.additionalProperties()), additionalProperties);
    }

    /**
     * Graph's {@code defaultUserRolePermissions}.
     *
     * @param permissionGrantPoliciesAssigned the ids of the permission grant policies assigned to the default user
     *     role; an empty list lets no user consent for themselves; never null
     * @param additionalProperties Graph's other properties (allowedToCreateApps, allowedToReadOtherUsers, ...), kept
     */
    public record DefaultUserRolePermissions(List<String> permissionGrantPoliciesAssigned,
                                             @JsonAnySetter Map<String, Object> additionalProperties)
            implements KeepsUnknownProperties {
        public DefaultUserRolePermissions {
            permissionGrantPoliciesAssigned = permissionGrantPoliciesAssigned == null ? DEFAULT_GRANT_POLICIES
                    : List.copyOf(permissionGrantPoliciesAssigned);
            additionalProperties = Extra.copy(additionalProperties);
        }
    }
}
