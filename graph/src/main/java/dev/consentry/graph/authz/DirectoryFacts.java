package dev.consentry.graph.authz;

import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.permission.GraphPath;
import dev.consentry.identity.access.AccessDecision;
import dev.consentry.identity.access.AccessRequest;
import dev.consentry.identity.access.ConditionalAccess;
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

        /** The SKUs the tenant subscribes to. */
        List<SubscribedSku> subscribedSkus();

        /** The app registration of {@code appId}, in its home tenant (which may be another one). */
        Optional<ApplicationStore.HomedApplication> registration(AppId appId);

        Optional<ServicePrincipal> servicePrincipal(AppId appId);

        /** The tenant's service principal with that object id. */
        Optional<ServicePrincipal> servicePrincipalById(ObjectId id);

        /** The tenant's own app registration with that object id. */
        Optional<Application> application(ObjectId id);

        /** The tenant's own app registration of {@code appId} (not one homed in another tenant). */
        Optional<Application> applicationByAppId(AppId appId);

        /**
         * The application or service principal {@code named} (by object id or app id) of this tenant, with its owners;
         * empty when the tenant has none by that name.
         */
        default Optional<Owned> owned(GraphPath.NamedApp named) {
            if (named.servicePrincipal()) {
                Optional<ServicePrincipal> sp = named.byAppId() ? AppId.tryParse(named.key()).flatMap(this::servicePrincipal)
                        : ObjectId.tryParse(named.key()).flatMap(this::servicePrincipalById);
                return sp.map(s -> new Owned("service principal", s.id(), s.appId(), s.displayName(), s.owners()));
            }
            Optional<Application> app = named.byAppId() ? AppId.tryParse(named.key()).flatMap(this::applicationByAppId)
                    : ObjectId.tryParse(named.key()).flatMap(this::application);
            return app.map(a -> new Owned("application", a.id(), a.appId(), a.displayName(), a.owners()));
        }

        List<OAuth2PermissionGrant> delegatedGrants(ObjectId clientServicePrincipal);

        List<AppRoleAssignment> appRoleAssignments(ObjectId principal);

        /** The tenant's Consentry settings ({@link TenantSettings#DEFAULT} when they cannot be seen). */
        default TenantSettings settings() {
            return TenantSettings.DEFAULT;
        }

        /** The registered device whose {@code deviceId} a token states; empty when none is known. */
        default Optional<Device> device(String deviceId) {
            return Optional.empty();
        }

        /**
         * The tenant's location policies evaluated for {@code request} (ConditionalAccess#evaluateLocations, what a
         * resource enforcing continuous access evaluation checks at each call); empty when the policies cannot be seen.
         */
        default Optional<AccessDecision> locationPolicies(
                AccessRequest request) {
            return Optional.empty();
        }

        /** The user with that object id or user principal name, as Graph accepts either in a path. */
        default Optional<User> userByIdOrName(String idOrName) {
            return ObjectId.tryParse(idOrName).flatMap(this::user).or(() -> userByPrincipalName(idOrName));
        }
    }

    /**
     * An application or service principal as the stages need it to decide who may manage it.
     *
     * @param kind {@code application} or {@code service principal}, as a sentence names it
     * @param owners its owners' object ids; empty when it has none
     */
    record Owned(String kind, ObjectId id, AppId appId, String displayName, List<ObjectId> owners) {
        /** How a sentence names it: {@code application 'Orders API' (id ...)}. */
        public String label() {
            return kind + " '" + displayName + "' (" + id + ")";
        }
    }

    /** The facts of the tenants in {@code store}; a tenant it does not hold is unknown. */
    static DirectoryFacts of(Store store) {
        return tenant -> Optional.of(new View() {
            @Override
            public TenantSettings settings() {
                return store.tenants().find(tenant).map(dev.consentry.core.directory.Tenant::settings)
                        .orElse(TenantSettings.DEFAULT);
            }

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

            public List<SubscribedSku> subscribedSkus() {
                return store.subscribedSkus().list(tenant);
            }

            @Override
            public Optional<SubscribedSku> subscribedSku(UUID skuId) {
                return store.subscribedSkus().find(tenant, skuId);
            }

            public Optional<ApplicationStore.HomedApplication> registration(AppId appId) {
                return store.applications().findByAppIdInAnyTenant(appId);
            }

            public Optional<ServicePrincipal> servicePrincipal(AppId appId) {
                return store.servicePrincipals().findByAppId(tenant, appId);
            }

            public Optional<ServicePrincipal> servicePrincipalById(ObjectId id) {
                return store.servicePrincipals().find(tenant, id);
            }

            public Optional<Application> application(ObjectId id) {
                return store.applications().find(tenant, id);
            }

            public Optional<Application> applicationByAppId(AppId appId) {
                return store.applications().findByAppId(tenant, appId);
            }

            public List<OAuth2PermissionGrant> delegatedGrants(ObjectId clientServicePrincipal) {
                return store.permissionGrants().listByClient(tenant, clientServicePrincipal);
            }

            public List<AppRoleAssignment> appRoleAssignments(ObjectId principal) {
                return store.appRoleAssignments().listByPrincipal(tenant, principal);
            }

            @Override
            public Optional<Device> device(String deviceId) {
                return store.devices().findByDeviceId(tenant, deviceId);
            }

            @Override
            public Optional<AccessDecision> locationPolicies(
                    AccessRequest request) {
                return Optional.of(new ConditionalAccess(store).evaluateLocations(request));
            }
        });
    }

    /** No tenant is visible: every fact beyond the token is unknown. */
    static DirectoryFacts unknown() {
        return tenant -> Optional.empty();
    }
}
