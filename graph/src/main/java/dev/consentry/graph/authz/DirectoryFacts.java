package dev.consentry.graph.authz;

import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.ApplicationStore;
import dev.consentry.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The directory facts the pipeline reads beyond the token (the app's registration and grants, users, their
 * directory roles, licences), behind a port that may answer "unknown": Consentry sees the directory of a tenant it
 * holds ({@link #of(Store)}), but not a real Entra tenant whose token the diagnosis explains ({@link #unknown()}).
 * A stage that needs a fact it cannot see records an {@code UNKNOWN} step saying what to check by hand, instead of
 * passing or failing.
 */
@FunctionalInterface
public interface DirectoryFacts {

    /** The directory of {@code tenant}, or empty when Consentry cannot see it. */
    Optional<View> tenant(TenantId tenant);

    /** The facts of one tenant the stages read; ids compare as the store compares them. */
    interface View {
        Optional<User> user(ObjectId id);

        Optional<User> userByPrincipalName(String userPrincipalName);

        /** The ids of the directory roles {@code principal} holds tenant-wide (scope "/"), lower case. */
        List<String> tenantWideRoles(ObjectId principal);

        Optional<SubscribedSku> subscribedSku(UUID skuId);

        /** The app registration of {@code appId}, in its home tenant (which may be another one). */
        Optional<ApplicationStore.HomedApplication> registration(AppId appId);

        Optional<ServicePrincipal> servicePrincipal(AppId appId);

        List<OAuth2PermissionGrant> delegatedGrants(ObjectId clientServicePrincipal);

        List<AppRoleAssignment> appRoleAssignments(ObjectId principal);

        /** The user with that object id or user principal name, as Graph accepts either in a path. */
        default Optional<User> userByIdOrName(String idOrName) {
            return ObjectId.tryParse(idOrName).flatMap(this::user).or(() -> userByPrincipalName(idOrName));
        }
    }

    /** The facts of the tenants in {@code store}; a tenant it does not hold is unknown. */
    static DirectoryFacts of(Store store) {
        return tenant -> Optional.of(new View() {
            public Optional<User> user(ObjectId id) {
                return store.users().find(tenant, id);
            }

            public Optional<User> userByPrincipalName(String userPrincipalName) {
                return store.users().findByUserPrincipalName(tenant, userPrincipalName);
            }

            public List<String> tenantWideRoles(ObjectId principal) {
                return store.roleAssignments().listByPrincipal(tenant, principal).stream()
                        .filter(r -> "/".equals(r.directoryScopeId()))
                        .map(r -> r.roleDefinitionId().toLowerCase(java.util.Locale.ROOT)).distinct().toList();
            }

            public Optional<SubscribedSku> subscribedSku(UUID skuId) {
                return store.subscribedSkus().find(tenant, skuId);
            }

            public Optional<ApplicationStore.HomedApplication> registration(AppId appId) {
                return store.applications().findByAppIdInAnyTenant(appId);
            }

            public Optional<ServicePrincipal> servicePrincipal(AppId appId) {
                return store.servicePrincipals().findByAppId(tenant, appId);
            }

            public List<OAuth2PermissionGrant> delegatedGrants(ObjectId clientServicePrincipal) {
                return store.permissionGrants().listByClient(tenant, clientServicePrincipal);
            }

            public List<AppRoleAssignment> appRoleAssignments(ObjectId principal) {
                return store.appRoleAssignments().listByPrincipal(tenant, principal);
            }
        });
    }

    /** No tenant is visible: every fact beyond the token is unknown. */
    static DirectoryFacts unknown() {
        return tenant -> Optional.empty();
    }
}
