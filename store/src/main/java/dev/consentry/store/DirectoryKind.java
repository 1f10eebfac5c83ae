package dev.consentry.store;

import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The kinds of tenant-scoped directory objects a store keeps, each with how to find its list in a
 * {@link TenantDirectory}, how to put a new list back, its id and its lookup key (app id, UPN). Both
 * store implementations are written once against these descriptors.
 *
 * @param name the stable name used in the JDBC schema's {@code kind} column
 */
public record DirectoryKind<T>(String name, Class<T> type, Function<TenantDirectory, List<T>> list,
                      BiFunction<TenantDirectory, List<T>, TenantDirectory> with, Function<T, String> id,
                      Function<T, String> lookupKey) {

    public static final DirectoryKind<User> USER = new DirectoryKind<>("user", User.class, TenantDirectory::users,
            (d, l) -> copy(d, l, null, null, null, null, null, null, null, null), u -> u.id().toString(),
            u -> u.userPrincipalName().toLowerCase(Locale.ROOT));
    public static final DirectoryKind<Group> GROUP = new DirectoryKind<>("group", Group.class, TenantDirectory::groups,
            (d, l) -> copy(d, null, l, null, null, null, null, null, null, null), g -> g.id().toString(), g -> null);
    public static final DirectoryKind<Application> APPLICATION = new DirectoryKind<>("application", Application.class,
            TenantDirectory::applications, (d, l) -> copy(d, null, null, l, null, null, null, null, null, null),
            a -> a.id().toString(), a -> a.appId().toString());
    public static final DirectoryKind<ServicePrincipal> SERVICE_PRINCIPAL = new DirectoryKind<>("servicePrincipal", ServicePrincipal.class,
            TenantDirectory::servicePrincipals, (d, l) -> copy(d, null, null, null, l, null, null, null, null, null),
            s -> s.id().toString(), s -> s.appId().toString());
    public static final DirectoryKind<AppRoleAssignment> APP_ROLE_ASSIGNMENT = new DirectoryKind<>("appRoleAssignment",
            AppRoleAssignment.class, TenantDirectory::appRoleAssignments,
            (d, l) -> copy(d, null, null, null, null, l, null, null, null, null), AppRoleAssignment::id,
            a -> a.principalId().toString());
    public static final DirectoryKind<OAuth2PermissionGrant> PERMISSION_GRANT = new DirectoryKind<>("oauth2PermissionGrant",
            OAuth2PermissionGrant.class, TenantDirectory::oauth2PermissionGrants,
            (d, l) -> copy(d, null, null, null, null, null, l, null, null, null), OAuth2PermissionGrant::id,
            g -> g.clientId().toString());
    public static final DirectoryKind<RoleAssignment> ROLE_ASSIGNMENT = new DirectoryKind<>("roleAssignment", RoleAssignment.class,
            TenantDirectory::roleAssignments, (d, l) -> copy(d, null, null, null, null, null, null, l, null, null),
            RoleAssignment::id, r -> r.principalId().toString());
    public static final DirectoryKind<SubscribedSku> SUBSCRIBED_SKU = new DirectoryKind<>("subscribedSku", SubscribedSku.class,
            TenantDirectory::subscribedSkus, (d, l) -> copy(d, null, null, null, null, null, null, null, l, null),
            s -> s.skuId().toString(), s -> null);
    public static final DirectoryKind<ConditionalAccessPolicy> POLICY = new DirectoryKind<>("conditionalAccessPolicy",
            ConditionalAccessPolicy.class, TenantDirectory::conditionalAccessPolicies,
            (d, l) -> copy(d, null, null, null, null, null, null, null, null, l), ConditionalAccessPolicy::id, p -> null);

    /** Every kind, in the order a tenant is written (referenced objects first). */
    public static final List<DirectoryKind<?>> ALL = List.of(SUBSCRIBED_SKU, USER, GROUP, APPLICATION, SERVICE_PRINCIPAL,
            APP_ROLE_ASSIGNMENT, PERMISSION_GRANT, ROLE_ASSIGNMENT, POLICY);

    @SuppressWarnings("unchecked")
    private static TenantDirectory copy(TenantDirectory d, List<?> users, List<?> groups, List<?> apps, List<?> sps,
                                        List<?> assignments, List<?> grants, List<?> roles, List<?> skus, List<?> policies) {
        return new TenantDirectory(d.id(), d.displayName(), d.verifiedDomains(),
                users != null ? (List<User>) users : d.users(),
                groups != null ? (List<Group>) groups : d.groups(),
                apps != null ? (List<Application>) apps : d.applications(),
                sps != null ? (List<ServicePrincipal>) sps : d.servicePrincipals(),
                assignments != null ? (List<AppRoleAssignment>) assignments : d.appRoleAssignments(),
                grants != null ? (List<OAuth2PermissionGrant>) grants : d.oauth2PermissionGrants(),
                roles != null ? (List<RoleAssignment>) roles : d.roleAssignments(),
                skus != null ? (List<SubscribedSku>) skus : d.subscribedSkus(),
                policies != null ? (List<ConditionalAccessPolicy>) policies : d.conditionalAccessPolicies(),
                d.authorizationPolicy(), d.settings(), d.additionalProperties());
    }
}
