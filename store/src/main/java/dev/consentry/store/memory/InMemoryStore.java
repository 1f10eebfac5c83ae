package dev.consentry.store.memory;

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
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.key.LocalAuthority;
import dev.consentry.core.key.SigningKeyRecord;
import dev.consentry.core.key.SigningKeyRecord.KeyStatus;
import dev.consentry.store.AppRoleAssignmentStore;
import dev.consentry.store.ApplicationStore;
import dev.consentry.store.AssertionReplayStore;
import dev.consentry.store.ConditionalAccessPolicyStore;
import dev.consentry.store.GroupStore;
import dev.consentry.store.Kind;
import dev.consentry.store.LocalAuthorityStore;
import dev.consentry.store.PermissionGrantStore;
import dev.consentry.store.RoleAssignmentStore;
import dev.consentry.store.ServicePrincipalStore;
import dev.consentry.store.SigningKeyStore;
import dev.consentry.store.Store;
import dev.consentry.store.SubscribedSkuStore;
import dev.consentry.store.TenantStore;
import dev.consentry.store.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store in memory: each tenant is one immutable {@link TenantDirectory} snapshot with its lookup
 * indexes, swapped atomically on every write, so reads never lock and never see half a write. Writes
 * are serialised. Nothing survives the process; use it for tests and {@code serve --in-memory}.
 */
public final class InMemoryStore implements Store {
    private final Map<TenantId, IndexedTenant> tenants = new ConcurrentHashMap<>();
    private final List<SigningKeyRecord> keys = new ArrayList<>();
    private LocalAuthority authority;
    private final Map<String, Instant> usedAssertions = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();

    @Override
    public TenantStore tenants() {
        return new TenantStore() {
            @Override
            public void replace(TenantDirectory directory) {
                synchronized (writeLock) {
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    for (var domain : directory.verifiedDomains()) {
                        String name = domain.name().toLowerCase(java.util.Locale.ROOT);
                        if (!seen.add(name)) {
                            throw new IllegalArgumentException("the domain " + domain.name() + " already belongs to tenant "
                                    + directory.id() + " (listed twice)");
                        }
                        for (IndexedTenant other : tenants.values()) {
                            if (!other.tenant().id().equals(directory.id()) && other.tenant().hasDomain(name)) {
                                throw new IllegalArgumentException("the domain " + domain.name()
                                        + " already belongs to tenant " + other.tenant().id());
                            }
                        }
                    }
                    IndexedTenant indexed = new IndexedTenant(directory);
                    tenants.put(directory.id(), indexed);
                }
            }

            @Override
            public Optional<TenantDirectory> export(TenantId id) {
                return Optional.ofNullable(tenants.get(id)).map(IndexedTenant::directory);
            }

            @Override
            public Optional<Tenant> find(TenantId id) {
                return Optional.ofNullable(tenants.get(id)).map(IndexedTenant::tenant);
            }

            @Override
            public Optional<Tenant> findByDomain(String domain) {
                for (IndexedTenant t : tenants.values()) {
                    if (t.tenant().hasDomain(domain)) {
                        return Optional.of(t.tenant());
                    }
                }
                return Optional.empty();
            }

            @Override
            public List<Tenant> list() {
                return tenants.values().stream().map(IndexedTenant::tenant).sorted(Comparator.comparing(Tenant::id)).toList();
            }

            @Override
            public boolean delete(TenantId id) {
                synchronized (writeLock) {
                    return tenants.remove(id) != null;
                }
            }
        };
    }

    /** Reads and writes of one kind of object, on the tenant snapshots. */
    private class Repo<T> {
        final Kind<T> kind;

        Repo(Kind<T> kind) {
            this.kind = kind;
        }

        Optional<IndexedTenant> tenant(TenantId id) {
            return Optional.ofNullable(tenants.get(id));
        }

        Optional<T> find(TenantId tenant, String id) {
            return tenant(tenant).flatMap(t -> t.find(kind, id));
        }

        List<T> list(TenantId tenant) {
            return tenant(tenant).map(t -> t.sorted(kind)).orElse(List.of());
        }

        List<T> byLookup(TenantId tenant, String key) {
            return tenant(tenant).map(t -> t.byLookup(kind, key)).orElse(List.of());
        }

        void save(TenantId tenant, T value) {
            synchronized (writeLock) {
                IndexedTenant t = tenants.get(tenant);
                if (t == null) {
                    throw new NoSuchElementException("no tenant " + tenant);
                }
                List<T> items = new ArrayList<>(kind.list().apply(t.directory()));
                String id = kind.id().apply(value);
                int at = -1;
                for (int i = 0; i < items.size() && at < 0; i++) {
                    if (kind.id().apply(items.get(i)).equalsIgnoreCase(id)) {
                        at = i;
                    }
                }
                if (at >= 0) {
                    items.set(at, value); // an update keeps the object's place, as the JDBC store does
                } else {
                    items.add(value);
                }
                tenants.put(tenant, new IndexedTenant(kind.with().apply(t.directory(), items)));
            }
        }

        boolean delete(TenantId tenant, String id) {
            synchronized (writeLock) {
                IndexedTenant t = tenants.get(tenant);
                if (t == null) {
                    return false;
                }
                List<T> items = new ArrayList<>(kind.list().apply(t.directory()));
                boolean removed = items.removeIf(x -> kind.id().apply(x).equalsIgnoreCase(id));
                if (removed) {
                    tenants.put(tenant, new IndexedTenant(kind.with().apply(t.directory(), items)));
                }
                return removed;
            }
        }
    }

    private final Repo<User> users = new Repo<>(Kind.USER);
    private final Repo<Group> groups = new Repo<>(Kind.GROUP);
    private final Repo<Application> applications = new Repo<>(Kind.APPLICATION);
    private final Repo<ServicePrincipal> servicePrincipals = new Repo<>(Kind.SERVICE_PRINCIPAL);
    private final Repo<AppRoleAssignment> assignments = new Repo<>(Kind.APP_ROLE_ASSIGNMENT);
    private final Repo<OAuth2PermissionGrant> grants = new Repo<>(Kind.PERMISSION_GRANT);
    private final Repo<RoleAssignment> roles = new Repo<>(Kind.ROLE_ASSIGNMENT);
    private final Repo<SubscribedSku> skus = new Repo<>(Kind.SUBSCRIBED_SKU);
    private final Repo<ConditionalAccessPolicy> policies = new Repo<>(Kind.POLICY);

    @Override
    public UserStore users() {
        return new UserStore() {
            public Optional<User> find(TenantId t, ObjectId id) { return users.find(t, id.toString()); }
            public List<User> list(TenantId t) { return users.list(t); }
            public void save(TenantId t, User v) { users.save(t, v); }
            public boolean delete(TenantId t, ObjectId id) { return users.delete(t, id.toString()); }
            public Optional<User> findByUserPrincipalName(TenantId t, String upn) {
                return users.byLookup(t, upn.toLowerCase(java.util.Locale.ROOT)).stream().findFirst();
            }
        };
    }

    @Override
    public GroupStore groups() {
        return new GroupStore() {
            public Optional<Group> find(TenantId t, ObjectId id) { return groups.find(t, id.toString()); }
            public List<Group> list(TenantId t) { return groups.list(t); }
            public void save(TenantId t, Group v) { groups.save(t, v); }
            public boolean delete(TenantId t, ObjectId id) { return groups.delete(t, id.toString()); }
            public List<Group> listByMember(TenantId t, ObjectId member) {
                return groups.list(t).stream().filter(g -> g.members().contains(member)).toList();
            }
        };
    }

    @Override
    public ApplicationStore applications() {
        return new ApplicationStore() {
            public Optional<Application> find(TenantId t, ObjectId id) { return applications.find(t, id.toString()); }
            public List<Application> list(TenantId t) { return applications.list(t); }
            public void save(TenantId t, Application v) { applications.save(t, v); }
            public boolean delete(TenantId t, ObjectId id) { return applications.delete(t, id.toString()); }
            public Optional<Application> findByAppId(TenantId t, AppId appId) {
                return applications.byLookup(t, appId.toString()).stream().findFirst();
            }
            public Optional<HomedApplication> findByAppIdInAnyTenant(AppId appId) {
                return tenants.values().stream().sorted(Comparator.comparing(x -> x.tenant().id()))
                        .flatMap(x -> x.byLookup(Kind.APPLICATION, appId.toString()).stream()
                                .map(a -> new HomedApplication(x.tenant().id(), a)))
                        .findFirst();
            }
        };
    }

    @Override
    public ServicePrincipalStore servicePrincipals() {
        return new ServicePrincipalStore() {
            public Optional<ServicePrincipal> find(TenantId t, ObjectId id) { return servicePrincipals.find(t, id.toString()); }
            public List<ServicePrincipal> list(TenantId t) { return servicePrincipals.list(t); }
            public void save(TenantId t, ServicePrincipal v) { servicePrincipals.save(t, v); }
            public boolean delete(TenantId t, ObjectId id) { return servicePrincipals.delete(t, id.toString()); }
            public Optional<ServicePrincipal> findByAppId(TenantId t, AppId appId) {
                return servicePrincipals.byLookup(t, appId.toString()).stream().findFirst();
            }
            public Optional<ServicePrincipal> findByName(TenantId t, String name) {
                return servicePrincipals.tenant(t).flatMap(x -> x.servicePrincipalByName(name));
            }
        };
    }

    @Override
    public AppRoleAssignmentStore appRoleAssignments() {
        return new AppRoleAssignmentStore() {
            public Optional<AppRoleAssignment> find(TenantId t, String id) { return assignments.find(t, id); }
            public List<AppRoleAssignment> list(TenantId t) { return assignments.list(t); }
            public void save(TenantId t, AppRoleAssignment v) { assignments.save(t, v); }
            public boolean delete(TenantId t, String id) { return assignments.delete(t, id); }
            public List<AppRoleAssignment> listByPrincipal(TenantId t, ObjectId p) { return assignments.byLookup(t, p.toString()); }
        };
    }

    @Override
    public PermissionGrantStore permissionGrants() {
        return new PermissionGrantStore() {
            public Optional<OAuth2PermissionGrant> find(TenantId t, String id) { return grants.find(t, id); }
            public List<OAuth2PermissionGrant> list(TenantId t) { return grants.list(t); }
            public void save(TenantId t, OAuth2PermissionGrant v) { grants.save(t, v); }
            public boolean delete(TenantId t, String id) { return grants.delete(t, id); }
            public List<OAuth2PermissionGrant> listByClient(TenantId t, ObjectId c) { return grants.byLookup(t, c.toString()); }
        };
    }

    @Override
    public RoleAssignmentStore roleAssignments() {
        return new RoleAssignmentStore() {
            public Optional<RoleAssignment> find(TenantId t, String id) { return roles.find(t, id); }
            public List<RoleAssignment> list(TenantId t) { return roles.list(t); }
            public void save(TenantId t, RoleAssignment v) { roles.save(t, v); }
            public boolean delete(TenantId t, String id) { return roles.delete(t, id); }
            public List<RoleAssignment> listByPrincipal(TenantId t, ObjectId p) { return roles.byLookup(t, p.toString()); }
        };
    }

    @Override
    public SubscribedSkuStore subscribedSkus() {
        return new SubscribedSkuStore() {
            public Optional<SubscribedSku> find(TenantId t, UUID skuId) { return skus.find(t, skuId.toString()); }
            public List<SubscribedSku> list(TenantId t) { return skus.list(t); }
            public void save(TenantId t, SubscribedSku v) { skus.save(t, v); }
            public boolean delete(TenantId t, UUID skuId) { return skus.delete(t, skuId.toString()); }
        };
    }

    @Override
    public ConditionalAccessPolicyStore conditionalAccessPolicies() {
        return new ConditionalAccessPolicyStore() {
            public Optional<ConditionalAccessPolicy> find(TenantId t, String id) { return policies.find(t, id); }
            public List<ConditionalAccessPolicy> list(TenantId t) { return policies.list(t); }
            public void save(TenantId t, ConditionalAccessPolicy v) { policies.save(t, v); }
            public boolean delete(TenantId t, String id) { return policies.delete(t, id); }
        };
    }

    @Override
    public SigningKeyStore signingKeys() {
        return new SigningKeyStore() {
            @Override
            public List<SigningKeyRecord> list() {
                synchronized (keys) {
                    return keys.stream().sorted(Comparator.comparing(SigningKeyRecord::createdAt).reversed()).toList();
                }
            }

            @Override
            public Optional<SigningKeyRecord> primary() {
                synchronized (keys) {
                    return keys.stream().filter(k -> k.status() == KeyStatus.PRIMARY).findFirst();
                }
            }

            @Override
            public void rotate(SigningKeyRecord newPrimary, int keepPrevious) {
                synchronized (keys) {
                    keys.replaceAll(k -> k.status() == KeyStatus.PRIMARY ? k.withStatus(KeyStatus.PREVIOUS) : k);
                    keys.add(newPrimary.withStatus(KeyStatus.PRIMARY));
                    List<SigningKeyRecord> previous = keys.stream().filter(k -> k.status() == KeyStatus.PREVIOUS)
                            .sorted(Comparator.comparing(SigningKeyRecord::createdAt).reversed()).toList();
                    for (int i = keepPrevious; i < previous.size(); i++) {
                        String kid = previous.get(i).kid();
                        keys.replaceAll(k -> k.kid().equals(kid) ? k.withStatus(KeyStatus.RETIRED) : k);
                    }
                }
            }

            @Override
            public SigningKeyRecord initializeIfEmpty(SigningKeyRecord first) {
                synchronized (keys) {
                    if (keys.isEmpty()) {
                        keys.add(first.withStatus(KeyStatus.PRIMARY));
                    }
                    return primary().orElseThrow();
                }
            }
        };
    }

    @Override
    public LocalAuthorityStore localAuthority() {
        return new LocalAuthorityStore() {
            @Override
            public synchronized Optional<LocalAuthority> load() {
                synchronized (InMemoryStore.this) {
                    return Optional.ofNullable(authority);
                }
            }

            @Override
            public LocalAuthority initializeIfEmpty(LocalAuthority a) {
                synchronized (InMemoryStore.this) {
                    if (authority == null) {
                        authority = a;
                    }
                    return authority;
                }
            }
        };
    }

    @Override
    public AssertionReplayStore assertionReplay() {
        return (key, expiresAt, now) -> {
            if (usedAssertions.size() > 10_000) {
                usedAssertions.values().removeIf(exp -> !now.isBefore(exp));
            }
            boolean[] first = {false};
            usedAssertions.compute(key, (k, existing) -> {
                if (existing == null || !now.isBefore(existing)) {
                    first[0] = true;
                    return expiresAt;
                }
                return existing;
            });
            return first[0];
        };
    }

    @Override
    public String description() {
        return "in memory (nothing is kept after exit)";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
