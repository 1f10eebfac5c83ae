package dev.consentry.store;

import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantDirectory;
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
        public boolean delete(TenantId id) {
            boolean deleted = deleteTenant(id);
            if (deleted) {
                changed(id);
            }
            return deleted;
        }
    };

    private final UserStore users = new UserStore() {
        public Optional<User> find(TenantId t, ObjectId id) { return KindBackedStore.this.find(DirectoryKind.USER, t, id.toString()); }
        public List<User> list(TenantId t) { return KindBackedStore.this.list(DirectoryKind.USER, t); }
        public void save(TenantId t, User v) { KindBackedStore.this.save(DirectoryKind.USER, t, v); }
        public boolean delete(TenantId t, ObjectId id) { return KindBackedStore.this.delete(DirectoryKind.USER, t, id.toString()); }
        public Optional<User> findByUserPrincipalName(TenantId t, String upn) {
            return byLookup(DirectoryKind.USER, t, upn).stream().findFirst();
        }
    };

    private final GroupStore groups = new GroupStore() {
        public Optional<Group> find(TenantId t, ObjectId id) { return KindBackedStore.this.find(DirectoryKind.GROUP, t, id.toString()); }
        public List<Group> list(TenantId t) { return KindBackedStore.this.list(DirectoryKind.GROUP, t); }
        public void save(TenantId t, Group v) { KindBackedStore.this.save(DirectoryKind.GROUP, t, v); }
        public boolean delete(TenantId t, ObjectId id) { return KindBackedStore.this.delete(DirectoryKind.GROUP, t, id.toString()); }
        public List<Group> listByMember(TenantId t, ObjectId member) { return groupsByMember(t, member); }
    };

    private final ApplicationStore applications = new ApplicationStore() {
        public Optional<Application> find(TenantId t, ObjectId id) {
            return KindBackedStore.this.find(DirectoryKind.APPLICATION, t, id.toString());
        }
        public List<Application> list(TenantId t) { return KindBackedStore.this.list(DirectoryKind.APPLICATION, t); }
        public void save(TenantId t, Application v) { KindBackedStore.this.save(DirectoryKind.APPLICATION, t, v); }
        public boolean delete(TenantId t, ObjectId id) {
            return KindBackedStore.this.delete(DirectoryKind.APPLICATION, t, id.toString());
        }
        public Optional<Application> findByAppId(TenantId t, AppId appId) {
            return byLookup(DirectoryKind.APPLICATION, t, appId.toString()).stream().findFirst();
        }
        public Optional<HomedApplication> findByAppIdInAnyTenant(AppId appId) { return applicationInAnyTenant(appId); }
    };

    private final ServicePrincipalStore servicePrincipals = new ServicePrincipalStore() {
        public Optional<ServicePrincipal> find(TenantId t, ObjectId id) {
            return KindBackedStore.this.find(DirectoryKind.SERVICE_PRINCIPAL, t, id.toString());
        }
        public List<ServicePrincipal> list(TenantId t) { return KindBackedStore.this.list(DirectoryKind.SERVICE_PRINCIPAL, t); }
        public void save(TenantId t, ServicePrincipal v) { KindBackedStore.this.save(DirectoryKind.SERVICE_PRINCIPAL, t, v); }
        public boolean delete(TenantId t, ObjectId id) {
            return KindBackedStore.this.delete(DirectoryKind.SERVICE_PRINCIPAL, t, id.toString());
        }
        public Optional<ServicePrincipal> findByAppId(TenantId t, AppId appId) {
            return byLookup(DirectoryKind.SERVICE_PRINCIPAL, t, appId.toString()).stream().findFirst();
        }
        public Optional<ServicePrincipal> findByName(TenantId t, String name) { return servicePrincipalByName(t, name); }
    };

    private final AppRoleAssignmentStore appRoleAssignments = new AppRoleAssignmentStore() {
        public Optional<AppRoleAssignment> find(TenantId t, String id) {
            return KindBackedStore.this.find(DirectoryKind.APP_ROLE_ASSIGNMENT, t, id);
        }
        public List<AppRoleAssignment> list(TenantId t) { return KindBackedStore.this.list(DirectoryKind.APP_ROLE_ASSIGNMENT, t); }
        public void save(TenantId t, AppRoleAssignment v) { KindBackedStore.this.save(DirectoryKind.APP_ROLE_ASSIGNMENT, t, v); }
        public boolean delete(TenantId t, String id) { return KindBackedStore.this.delete(DirectoryKind.APP_ROLE_ASSIGNMENT, t, id); }
        public List<AppRoleAssignment> listByPrincipal(TenantId t, ObjectId p) {
            return byLookup(DirectoryKind.APP_ROLE_ASSIGNMENT, t, p.toString());
        }
    };

    private final PermissionGrantStore permissionGrants = new PermissionGrantStore() {
        public Optional<OAuth2PermissionGrant> find(TenantId t, String id) {
            return KindBackedStore.this.find(DirectoryKind.PERMISSION_GRANT, t, id);
        }
        public List<OAuth2PermissionGrant> list(TenantId t) { return KindBackedStore.this.list(DirectoryKind.PERMISSION_GRANT, t); }
        public void save(TenantId t, OAuth2PermissionGrant v) { KindBackedStore.this.save(DirectoryKind.PERMISSION_GRANT, t, v); }
        public boolean delete(TenantId t, String id) { return KindBackedStore.this.delete(DirectoryKind.PERMISSION_GRANT, t, id); }
        public List<OAuth2PermissionGrant> listByClient(TenantId t, ObjectId c) {
            return byLookup(DirectoryKind.PERMISSION_GRANT, t, c.toString());
        }
    };

    private final RoleAssignmentStore roleAssignments = new RoleAssignmentStore() {
        public Optional<RoleAssignment> find(TenantId t, String id) {
            return KindBackedStore.this.find(DirectoryKind.ROLE_ASSIGNMENT, t, id);
        }
        public List<RoleAssignment> list(TenantId t) { return KindBackedStore.this.list(DirectoryKind.ROLE_ASSIGNMENT, t); }
        public void save(TenantId t, RoleAssignment v) { KindBackedStore.this.save(DirectoryKind.ROLE_ASSIGNMENT, t, v); }
        public boolean delete(TenantId t, String id) { return KindBackedStore.this.delete(DirectoryKind.ROLE_ASSIGNMENT, t, id); }
        public List<RoleAssignment> listByPrincipal(TenantId t, ObjectId p) {
            return byLookup(DirectoryKind.ROLE_ASSIGNMENT, t, p.toString());
        }
    };

    private final SubscribedSkuStore subscribedSkus = new SubscribedSkuStore() {
        public Optional<SubscribedSku> find(TenantId t, UUID skuId) {
            return KindBackedStore.this.find(DirectoryKind.SUBSCRIBED_SKU, t, skuId.toString());
        }
        public List<SubscribedSku> list(TenantId t) { return KindBackedStore.this.list(DirectoryKind.SUBSCRIBED_SKU, t); }
        public void save(TenantId t, SubscribedSku v) { KindBackedStore.this.save(DirectoryKind.SUBSCRIBED_SKU, t, v); }
        public boolean delete(TenantId t, UUID skuId) {
            return KindBackedStore.this.delete(DirectoryKind.SUBSCRIBED_SKU, t, skuId.toString());
        }
    };

    private final ConditionalAccessPolicyStore conditionalAccessPolicies = new ConditionalAccessPolicyStore() {
        public Optional<ConditionalAccessPolicy> find(TenantId t, String id) {
            return KindBackedStore.this.find(DirectoryKind.POLICY, t, id);
        }
        public List<ConditionalAccessPolicy> list(TenantId t) { return KindBackedStore.this.list(DirectoryKind.POLICY, t); }
        public void save(TenantId t, ConditionalAccessPolicy v) { KindBackedStore.this.save(DirectoryKind.POLICY, t, v); }
        public boolean delete(TenantId t, String id) { return KindBackedStore.this.delete(DirectoryKind.POLICY, t, id); }
    };

    private <T> Optional<T> find(DirectoryKind<T> kind, TenantId tenant, String id) {
        return repository(kind).find(tenant, id);
    }

    protected final <T> List<T> list(DirectoryKind<T> kind, TenantId tenant) {
        return repository(kind).list(tenant);
    }

    private <T> List<T> byLookup(DirectoryKind<T> kind, TenantId tenant, String key) {
        return repository(kind).byLookup(tenant, key);
    }

    private <T> void save(DirectoryKind<T> kind, TenantId tenant, T value) {
        repository(kind).save(tenant, value);
        changed(tenant);
    }

    private <T> boolean delete(DirectoryKind<T> kind, TenantId tenant, String id) {
        boolean deleted = repository(kind).delete(tenant, id);
        if (deleted) {
            changed(tenant);
        }
        return deleted;
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
}
