package dev.consentry.store;

import dev.consentry.core.directory.AppConsentRequest;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AuthenticationContextClassReference;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantPolicy;
import dev.consentry.core.directory.User;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.workload.WorkloadItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The directory half of a store: tenants and the per-aggregate directory stores (users, groups, applications, ...),
 * written once over generic operations on a {@link DirectoryKind}. An implementation supplies those operations, the
 * three lookups that need more than one kind, and the tenant reads and writes; the rules every implementation shares
 * live here, once:
 * <ul>
 *   <li>a verified domain belongs to one tenant only ({@link TenantImport#requireFree});</li>
 *   <li>replacing a tenant reseeds its users' mail, calendar and files from the tenant file
 *       ({@link TenantImport#seeds()});</li>
 *   <li>every write that changed a tenant's directory is announced as {@link StoreEvent.DirectoryChanged} once it
 *       returned (committed), never when it failed or changed nothing.</li>
 * </ul>
 * Each store object is built once, with this directory.
 */
public abstract class KindBackedStore {
    private final StoreEvents events;

    /** {@code events} is where committed directory writes are announced. */
    protected KindBackedStore(StoreEvents events) {
        this.events = events;
    }

    private void changed(TenantId tenant) {
        events.publish(new StoreEvent.DirectoryChanged(tenant));
    }

    /** The generic operations on one kind of object, as each implementation stores it. */
    protected interface Repository<T> {
        /** The object with that id (case-insensitive). */
        Optional<T> find(TenantId tenant, String id);

        /** Every object of the kind in the tenant, ordered by id. */
        List<T> list(TenantId tenant);

        /** Objects whose lookup key is {@code key} (case-insensitive), ordered by id. */
        List<T> byLookup(TenantId tenant, String key);

        /** Creates or replaces, in place. The tenant must exist. */
        void save(TenantId tenant, T value);

        boolean delete(TenantId tenant, String id);
    }

    /**
     * A tenant about to replace the stored one, with what the shared rules derived from it: its verified domains
     * (lower-case, each listed once) and the workload items its users' file entries seed.
     *
     * @param domains lower-case domain to the name as the file wrote it, in file order
     */
    protected record TenantImport(TenantDirectory directory, Map<String, String> domains, List<WorkloadItem> seeds) {

        /** Checks what needs no stored state: a domain listed twice is refused here. */
        static TenantImport of(TenantDirectory directory) {
            Map<String, String> domains = new LinkedHashMap<>();
            for (VerifiedDomain domain : directory.verifiedDomains()) {
                if (domains.putIfAbsent(domain.name().toLowerCase(Locale.ROOT), domain.name()) != null) {
                    throw new IllegalArgumentException("the domain " + domain.name() + " already belongs to tenant "
                            + directory.id() + " (listed twice)");
                }
            }
            List<WorkloadItem> seeds = new ArrayList<>();
            for (User user : directory.users()) {
                seeds.addAll(WorkloadItem.seedsOf(user));
            }
            return new TenantImport(directory, Collections.unmodifiableMap(domains), List.copyOf(seeds));
        }

        public TenantId id() {
            return directory.id();
        }

        /**
         * The one-domain-one-tenant rule, checked inside the implementation's atomic write: refuses the lower-case
         * {@code domain} when {@code holder}, the tenant that holds it now, is another tenant.
         */
        public void requireFree(String domain, Optional<TenantId> holder) {
            if (holder.isPresent() && !holder.get().equals(directory.id())) {
                throw new IllegalArgumentException("the domain " + domains.getOrDefault(domain, domain)
                        + " already belongs to tenant " + holder.get());
            }
        }
    }

    // ---- what an implementation supplies --------------------------------------------------------------

    /** The repository of {@code kind}. */
    protected abstract <T> Repository<T> repository(DirectoryKind<T> kind);

    protected abstract List<Group> groupsByMember(TenantId tenant, ObjectId member);

    protected abstract Optional<ApplicationStore.HomedApplication> applicationInAnyTenant(AppId appId);

    protected abstract Optional<ServicePrincipal> servicePrincipalByName(TenantId tenant, String name);

    /**
     * Replaces the tenant {@code tenant.id()} in one atomic write: drops everything it had (objects and workload
     * items), calls {@link TenantImport#requireFree} for each of {@code tenant.domains()} with the tenant that holds it
     * at that point, then writes the directory and {@code tenant.seeds()}. A failure leaves the previous tenant intact.
     */
    protected abstract void writeTenant(TenantImport tenant);

    /** Deletes the tenant, everything in it and its workload items; false when it did not exist. */
    protected abstract boolean deleteTenant(TenantId id);

    /** Replaces the tenant's policy of that kind in one atomic write; false when it does not exist. */
    protected abstract boolean writePolicy(TenantId id, TenantPolicy policy);

    protected abstract Optional<TenantDirectory> exportTenant(TenantId id);

    protected abstract Optional<Tenant> findTenant(TenantId id);

    /** {@code domain} as the caller gave it; the implementation compares case-insensitively. */
    protected abstract Optional<Tenant> findTenantByDomain(String domain);

    /** Ordered by id. */
    protected abstract List<Tenant> listTenants();

    // ---- the stores, built once -------------------------------------------------------------------------

    private final TenantStore tenants = new TenantStore() {
        @Override
        public void replace(TenantDirectory directory) {
            writeTenant(TenantImport.of(directory));
            changed(directory.id());
        }

        @Override
        public Optional<TenantDirectory> export(TenantId id) {
            return exportTenant(id);
        }

        @Override
        public Optional<Tenant> find(TenantId id) {
            return findTenant(id);
        }

        @Override
        public Optional<Tenant> findByDomain(String domain) {
            return findTenantByDomain(domain);
        }

        @Override
        public List<Tenant> list() {
            return listTenants();
        }

        @Override
        public boolean updatePolicy(TenantId id, TenantPolicy policy) {
            boolean written = writePolicy(id, policy);
            if (written) {
                changed(id);
            }
            return written;
        }

        @Override
        public boolean delete(TenantId id) {
            boolean deleted = deleteTenant(id);
            if (deleted) {
                changed(id);
            }
            return deleted;
        }
    };

    /** One aggregate's store over its kind's repository: ids are passed on as text, writes announced once done. */
    private class KindObjects<T, K> implements TenantObjectStore<T, K> {
        private final DirectoryKind<T> kind;

        KindObjects(DirectoryKind<T> kind) {
            this.kind = kind;
        }

        @Override
        public Optional<T> find(TenantId tenant, K id) {
            return repository(kind).find(tenant, id.toString());
        }

        @Override
        public List<T> list(TenantId tenant) {
            return repository(kind).list(tenant);
        }

        @Override
        public void save(TenantId tenant, T value) {
            repository(kind).save(tenant, value);
            changed(tenant);
        }

        @Override
        public boolean delete(TenantId tenant, K id) {
            boolean deleted = repository(kind).delete(tenant, id.toString());
            if (deleted) {
                changed(tenant);
            }
            return deleted;
        }

        /** The objects whose lookup key is {@code key}, ordered by id. */
        List<T> byLookup(TenantId tenant, Object key) {
            return repository(kind).byLookup(tenant, key.toString());
        }
    }

    private final class Users extends KindObjects<User, ObjectId> implements UserStore {
        Users() {
            super(DirectoryKind.USER);
        }

        @Override
        public Optional<User> findByUserPrincipalName(TenantId tenant, String upn) {
            return byLookup(tenant, upn).stream().findFirst();
        }
    }

    private final class Groups extends KindObjects<Group, ObjectId> implements GroupStore {
        Groups() {
            super(DirectoryKind.GROUP);
        }

        @Override
        public List<Group> listByMember(TenantId tenant, ObjectId member) {
            return groupsByMember(tenant, member);
        }
    }

    private final class Applications extends KindObjects<Application, ObjectId> implements ApplicationStore {
        Applications() {
            super(DirectoryKind.APPLICATION);
        }

        @Override
        public Optional<Application> findByAppId(TenantId tenant, AppId appId) {
            return byLookup(tenant, appId).stream().findFirst();
        }

        @Override
        public Optional<HomedApplication> findByAppIdInAnyTenant(AppId appId) {
            return applicationInAnyTenant(appId);
        }
    }

    private final class ServicePrincipals extends KindObjects<ServicePrincipal, ObjectId>
            implements ServicePrincipalStore {
        ServicePrincipals() {
            super(DirectoryKind.SERVICE_PRINCIPAL);
        }

        @Override
        public Optional<ServicePrincipal> findByAppId(TenantId tenant, AppId appId) {
            return byLookup(tenant, appId).stream().findFirst();
        }

        @Override
        public Optional<ServicePrincipal> findByName(TenantId tenant, String name) {
            return servicePrincipalByName(tenant, name);
        }
    }

    private final class AppRoleAssignments extends KindObjects<AppRoleAssignment, String>
            implements AppRoleAssignmentStore {
        AppRoleAssignments() {
            super(DirectoryKind.APP_ROLE_ASSIGNMENT);
        }

        @Override
        public List<AppRoleAssignment> listByPrincipal(TenantId tenant, ObjectId principal) {
            return byLookup(tenant, principal);
        }
    }

    private final class PermissionGrants extends KindObjects<OAuth2PermissionGrant, String>
            implements PermissionGrantStore {
        PermissionGrants() {
            super(DirectoryKind.PERMISSION_GRANT);
        }

        @Override
        public List<OAuth2PermissionGrant> listByClient(TenantId tenant, ObjectId client) {
            return byLookup(tenant, client);
        }
    }

    private final class RoleAssignments extends KindObjects<RoleAssignment, String> implements RoleAssignmentStore {
        RoleAssignments() {
            super(DirectoryKind.ROLE_ASSIGNMENT);
        }

        @Override
        public List<RoleAssignment> listByPrincipal(TenantId tenant, ObjectId principal) {
            return byLookup(tenant, principal);
        }
    }

    private final class SubscribedSkus extends KindObjects<SubscribedSku, UUID> implements SubscribedSkuStore {
        SubscribedSkus() {
            super(DirectoryKind.SUBSCRIBED_SKU);
        }
    }

    private final class Policies extends KindObjects<ConditionalAccessPolicy, String>
            implements ConditionalAccessPolicyStore {
        Policies() {
            super(DirectoryKind.POLICY);
        }
    }

    private final class AppConsentRequests extends KindObjects<AppConsentRequest, String> implements AppConsentRequestStore {
        AppConsentRequests() {
            super(DirectoryKind.APP_CONSENT_REQUEST);
        }

        @Override
        public Optional<AppConsentRequest> findByAppId(TenantId tenant, AppId appId) {
            return byLookup(tenant, appId.toString()).stream().findFirst();
        }
    }

    private final class SoftwareOathMethods extends KindObjects<SoftwareOathMethod, String>
            implements SoftwareOathMethodStore {
        SoftwareOathMethods() {
            super(DirectoryKind.SOFTWARE_OATH_METHOD);
        }

        @Override
        public List<SoftwareOathMethod> listByUser(TenantId tenant, ObjectId user) {
            return byLookup(tenant, user);
        }
    }

    private final class NamedLocations extends KindObjects<NamedLocation, String> implements NamedLocationStore {
        NamedLocations() {
            super(DirectoryKind.NAMED_LOCATION);
        }
    }

    private final class Devices extends KindObjects<Device, ObjectId> implements DeviceStore {
        Devices() {
            super(DirectoryKind.DEVICE);
        }

        @Override
        public Optional<Device> findByDeviceId(TenantId tenant, String deviceId) {
            return byLookup(tenant, deviceId).stream().findFirst();
        }
    }

    private final class AuthenticationContexts extends KindObjects<AuthenticationContextClassReference, String>
            implements AuthenticationContextStore {
        AuthenticationContexts() {
            super(DirectoryKind.AUTHENTICATION_CONTEXT);
        }
    }

    private final UserStore users = new Users();
    private final GroupStore groups = new Groups();
    private final ApplicationStore applications = new Applications();
    private final ServicePrincipalStore servicePrincipals = new ServicePrincipals();
    private final AppRoleAssignmentStore appRoleAssignments = new AppRoleAssignments();
    private final PermissionGrantStore permissionGrants = new PermissionGrants();
    private final RoleAssignmentStore roleAssignments = new RoleAssignments();
    private final SubscribedSkuStore subscribedSkus = new SubscribedSkus();
    private final ConditionalAccessPolicyStore conditionalAccessPolicies = new Policies();
    private final AppConsentRequestStore appConsentRequests = new AppConsentRequests();
    private final SoftwareOathMethodStore softwareOathMethods = new SoftwareOathMethods();
    private final NamedLocationStore namedLocations = new NamedLocations();
    private final DeviceStore devices = new Devices();
    private final AuthenticationContextStore authenticationContexts = new AuthenticationContexts();

    protected final <T> List<T> list(DirectoryKind<T> kind, TenantId tenant) {
        return repository(kind).list(tenant);
    }

    public TenantStore tenants() {
        return tenants;
    }

    public UserStore users() {
        return users;
    }

    public GroupStore groups() {
        return groups;
    }

    public ApplicationStore applications() {
        return applications;
    }

    public ServicePrincipalStore servicePrincipals() {
        return servicePrincipals;
    }

    public AppRoleAssignmentStore appRoleAssignments() {
        return appRoleAssignments;
    }

    public PermissionGrantStore permissionGrants() {
        return permissionGrants;
    }

    public RoleAssignmentStore roleAssignments() {
        return roleAssignments;
    }

    public SubscribedSkuStore subscribedSkus() {
        return subscribedSkus;
    }

    public ConditionalAccessPolicyStore conditionalAccessPolicies() {
        return conditionalAccessPolicies;
    }

    public AppConsentRequestStore appConsentRequests() {
        return appConsentRequests;
    }

    public SoftwareOathMethodStore softwareOathMethods() {
        return softwareOathMethods;
    }

    public NamedLocationStore namedLocations() {
        return namedLocations;
    }

    public DeviceStore devices() {
        return devices;
    }

    public AuthenticationContextStore authenticationContexts() {
        return authenticationContexts;
    }
}
