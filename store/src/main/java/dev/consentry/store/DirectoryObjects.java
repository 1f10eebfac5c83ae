package dev.consentry.store;

import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-aggregate directory stores, written once over five generic operations on a {@link Kind}; each
 * store implementation supplies those operations and the three lookups that need more than one kind.
 */
public abstract class DirectoryObjects implements Store {

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

    /** The repository of {@code kind}. */
    protected abstract <T> Repository<T> repository(Kind<T> kind);

    private <T> Optional<T> find(Kind<T> kind, TenantId tenant, String id) {
        return repository(kind).find(tenant, id);
    }

    protected final <T> List<T> list(Kind<T> kind, TenantId tenant) {
        return repository(kind).list(tenant);
    }

    private <T> List<T> byLookup(Kind<T> kind, TenantId tenant, String key) {
        return repository(kind).byLookup(tenant, key);
    }

    private <T> void save(Kind<T> kind, TenantId tenant, T value) {
        repository(kind).save(tenant, value);
    }

    private <T> boolean delete(Kind<T> kind, TenantId tenant, String id) {
        return repository(kind).delete(tenant, id);
    }

    protected abstract List<Group> groupsByMember(TenantId tenant, ObjectId member);

    protected abstract Optional<ApplicationStore.HomedApplication> applicationInAnyTenant(AppId appId);

    protected abstract Optional<ServicePrincipal> servicePrincipalByName(TenantId tenant, String name);

    @Override
    public UserStore users() {
        return new UserStore() {
            public Optional<User> find(TenantId t, ObjectId id) { return DirectoryObjects.this.find(Kind.USER, t, id.toString()); }
            public List<User> list(TenantId t) { return DirectoryObjects.this.list(Kind.USER, t); }
            public void save(TenantId t, User v) { DirectoryObjects.this.save(Kind.USER, t, v); }
            public boolean delete(TenantId t, ObjectId id) { return DirectoryObjects.this.delete(Kind.USER, t, id.toString()); }
            public Optional<User> findByUserPrincipalName(TenantId t, String upn) {
                return byLookup(Kind.USER, t, upn).stream().findFirst();
            }
        };
    }

    @Override
    public GroupStore groups() {
        return new GroupStore() {
            public Optional<Group> find(TenantId t, ObjectId id) { return DirectoryObjects.this.find(Kind.GROUP, t, id.toString()); }
            public List<Group> list(TenantId t) { return DirectoryObjects.this.list(Kind.GROUP, t); }
            public void save(TenantId t, Group v) { DirectoryObjects.this.save(Kind.GROUP, t, v); }
            public boolean delete(TenantId t, ObjectId id) { return DirectoryObjects.this.delete(Kind.GROUP, t, id.toString()); }
            public List<Group> listByMember(TenantId t, ObjectId member) { return groupsByMember(t, member); }
        };
    }

    @Override
    public ApplicationStore applications() {
        return new ApplicationStore() {
            public Optional<Application> find(TenantId t, ObjectId id) { return DirectoryObjects.this.find(Kind.APPLICATION, t, id.toString()); }
            public List<Application> list(TenantId t) { return DirectoryObjects.this.list(Kind.APPLICATION, t); }
            public void save(TenantId t, Application v) { DirectoryObjects.this.save(Kind.APPLICATION, t, v); }
            public boolean delete(TenantId t, ObjectId id) { return DirectoryObjects.this.delete(Kind.APPLICATION, t, id.toString()); }
            public Optional<Application> findByAppId(TenantId t, AppId appId) {
                return byLookup(Kind.APPLICATION, t, appId.toString()).stream().findFirst();
            }
            public Optional<HomedApplication> findByAppIdInAnyTenant(AppId appId) { return applicationInAnyTenant(appId); }
        };
    }

    @Override
    public ServicePrincipalStore servicePrincipals() {
        return new ServicePrincipalStore() {
            public Optional<ServicePrincipal> find(TenantId t, ObjectId id) {
                return DirectoryObjects.this.find(Kind.SERVICE_PRINCIPAL, t, id.toString());
            }
            public List<ServicePrincipal> list(TenantId t) { return DirectoryObjects.this.list(Kind.SERVICE_PRINCIPAL, t); }
            public void save(TenantId t, ServicePrincipal v) { DirectoryObjects.this.save(Kind.SERVICE_PRINCIPAL, t, v); }
            public boolean delete(TenantId t, ObjectId id) {
                return DirectoryObjects.this.delete(Kind.SERVICE_PRINCIPAL, t, id.toString());
            }
            public Optional<ServicePrincipal> findByAppId(TenantId t, AppId appId) {
                return byLookup(Kind.SERVICE_PRINCIPAL, t, appId.toString()).stream().findFirst();
            }
            public Optional<ServicePrincipal> findByName(TenantId t, String name) { return servicePrincipalByName(t, name); }
        };
    }

    @Override
    public AppRoleAssignmentStore appRoleAssignments() {
        return new AppRoleAssignmentStore() {
            public Optional<AppRoleAssignment> find(TenantId t, String id) { return DirectoryObjects.this.find(Kind.APP_ROLE_ASSIGNMENT, t, id); }
            public List<AppRoleAssignment> list(TenantId t) { return DirectoryObjects.this.list(Kind.APP_ROLE_ASSIGNMENT, t); }
            public void save(TenantId t, AppRoleAssignment v) { DirectoryObjects.this.save(Kind.APP_ROLE_ASSIGNMENT, t, v); }
            public boolean delete(TenantId t, String id) { return DirectoryObjects.this.delete(Kind.APP_ROLE_ASSIGNMENT, t, id); }
            public List<AppRoleAssignment> listByPrincipal(TenantId t, ObjectId p) {
                return byLookup(Kind.APP_ROLE_ASSIGNMENT, t, p.toString());
            }
        };
    }

    @Override
    public PermissionGrantStore permissionGrants() {
        return new PermissionGrantStore() {
            public Optional<OAuth2PermissionGrant> find(TenantId t, String id) { return DirectoryObjects.this.find(Kind.PERMISSION_GRANT, t, id); }
            public List<OAuth2PermissionGrant> list(TenantId t) { return DirectoryObjects.this.list(Kind.PERMISSION_GRANT, t); }
            public void save(TenantId t, OAuth2PermissionGrant v) { DirectoryObjects.this.save(Kind.PERMISSION_GRANT, t, v); }
            public boolean delete(TenantId t, String id) { return DirectoryObjects.this.delete(Kind.PERMISSION_GRANT, t, id); }
            public List<OAuth2PermissionGrant> listByClient(TenantId t, ObjectId c) {
                return byLookup(Kind.PERMISSION_GRANT, t, c.toString());
            }
        };
    }

    @Override
    public RoleAssignmentStore roleAssignments() {
        return new RoleAssignmentStore() {
            public Optional<RoleAssignment> find(TenantId t, String id) { return DirectoryObjects.this.find(Kind.ROLE_ASSIGNMENT, t, id); }
            public List<RoleAssignment> list(TenantId t) { return DirectoryObjects.this.list(Kind.ROLE_ASSIGNMENT, t); }
            public void save(TenantId t, RoleAssignment v) { DirectoryObjects.this.save(Kind.ROLE_ASSIGNMENT, t, v); }
            public boolean delete(TenantId t, String id) { return DirectoryObjects.this.delete(Kind.ROLE_ASSIGNMENT, t, id); }
            public List<RoleAssignment> listByPrincipal(TenantId t, ObjectId p) { return byLookup(Kind.ROLE_ASSIGNMENT, t, p.toString()); }
        };
    }

    @Override
    public SubscribedSkuStore subscribedSkus() {
        return new SubscribedSkuStore() {
            public Optional<SubscribedSku> find(TenantId t, UUID skuId) { return DirectoryObjects.this.find(Kind.SUBSCRIBED_SKU, t, skuId.toString()); }
            public List<SubscribedSku> list(TenantId t) { return DirectoryObjects.this.list(Kind.SUBSCRIBED_SKU, t); }
            public void save(TenantId t, SubscribedSku v) { DirectoryObjects.this.save(Kind.SUBSCRIBED_SKU, t, v); }
            public boolean delete(TenantId t, UUID skuId) { return DirectoryObjects.this.delete(Kind.SUBSCRIBED_SKU, t, skuId.toString()); }
        };
    }

    @Override
    public ConditionalAccessPolicyStore conditionalAccessPolicies() {
        return new ConditionalAccessPolicyStore() {
            public Optional<ConditionalAccessPolicy> find(TenantId t, String id) { return DirectoryObjects.this.find(Kind.POLICY, t, id); }
            public List<ConditionalAccessPolicy> list(TenantId t) { return DirectoryObjects.this.list(Kind.POLICY, t); }
            public void save(TenantId t, ConditionalAccessPolicy v) { DirectoryObjects.this.save(Kind.POLICY, t, v); }
            public boolean delete(TenantId t, String id) { return DirectoryObjects.this.delete(Kind.POLICY, t, id); }
        };
    }
}
