package dev.consentry.store.memory;

import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantPolicy;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.ApplicationStore;
import dev.consentry.store.DirectoryKind;
import dev.consentry.store.KindBackedStore;
import dev.consentry.store.StoreEvents;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Tenants and directory objects in memory: each tenant is one immutable {@link IndexedTenant} snapshot, swapped
 * atomically on every write, so reads never lock and never see half a write. Writes are serialised on the store's
 * write lock.
 */
final class MemoryDirectory extends KindBackedStore {
    private final Map<TenantId, IndexedTenant> tenants;
    private final Object writeLock;
    private final MemoryWorkload workload;
    private final Map<DirectoryKind<?>, Repo<?>> repositories = new IdentityHashMap<>();

    MemoryDirectory(Map<TenantId, IndexedTenant> tenants, Object writeLock, MemoryWorkload workload, StoreEvents events) {
        super(events);
        this.tenants = tenants;
        this.writeLock = writeLock;
        this.workload = workload;
        for (DirectoryKind<?> kind : DirectoryKind.ALL) {
            repositories.put(kind, new Repo<>(kind));
        }
    }

    // ---- tenants ---------------------------------------------------------------------------------

    @Override
    protected void writeTenant(TenantImport tenant) {
        synchronized (writeLock) {
            for (String domain : tenant.domains().keySet()) {
                tenant.requireFree(domain, tenants.values().stream().map(IndexedTenant::tenant)
                        .filter(t -> t.hasDomain(domain)).map(Tenant::id).filter(id -> !id.equals(tenant.id())).findFirst());
            }
            IndexedTenant indexed = new IndexedTenant(tenant.directory()); // refuses two objects with one id
            tenants.put(tenant.id(), indexed);
            workload.reseed(tenant.id(), tenant.seeds());
        }
    }

    @Override
    protected boolean deleteTenant(TenantId id) {
        synchronized (writeLock) {
            workload.drop(id);
            return tenants.remove(id) != null;
        }
    }

    @Override
    protected boolean writePolicy(TenantId id, TenantPolicy policy) {
        synchronized (writeLock) {
            IndexedTenant t = tenants.get(id);
            if (t == null) {
                return false;
            }
            tenants.put(id, new IndexedTenant(t.directory().withPolicy(policy)));
            return true;
        }
    }

    @Override
    protected Optional<TenantDirectory> exportTenant(TenantId id) {
        return Optional.ofNullable(tenants.get(id)).map(IndexedTenant::directory);
    }

    @Override
    protected Optional<Tenant> findTenant(TenantId id) {
        return Optional.ofNullable(tenants.get(id)).map(IndexedTenant::tenant);
    }

    @Override
    protected Optional<Tenant> findTenantByDomain(String domain) {
        for (IndexedTenant t : tenants.values()) {
            if (t.tenant().hasDomain(domain)) {
                return Optional.of(t.tenant());
            }
        }
        return Optional.empty();
    }

    @Override
    protected List<Tenant> listTenants() {
        return tenants.values().stream().map(IndexedTenant::tenant).sorted(Comparator.comparing(Tenant::id)).toList();
    }

    // ---- one kind of object -------------------------------------------------------------------------

    /** Reads and writes of one kind of object, on the tenant snapshots. */
    private final class Repo<T> implements Repository<T> {
        final DirectoryKind<T> kind;

        Repo(DirectoryKind<T> kind) {
            this.kind = kind;
        }

        Optional<IndexedTenant> tenant(TenantId id) {
            return Optional.ofNullable(tenants.get(id));
        }

        @Override
        public Optional<T> find(TenantId tenant, String id) {
            return tenant(tenant).flatMap(t -> t.find(kind, id));
        }

        @Override
        public List<T> list(TenantId tenant) {
            return tenant(tenant).map(t -> t.sorted(kind)).orElse(List.of());
        }

        @Override
        public List<T> byLookup(TenantId tenant, String key) {
            return tenant(tenant).map(t -> t.byLookup(kind, key)).orElse(List.of());
        }

        @Override
        public void save(TenantId tenant, T value) {
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

        @Override
        public boolean delete(TenantId tenant, String id) {
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

    @Override
    @SuppressWarnings("unchecked")
    protected <T> Repository<T> repository(DirectoryKind<T> kind) {
        return (Repository<T>) repositories.get(kind);
    }

    // ---- lookups across kinds -------------------------------------------------------------------------

    @Override
    protected List<Group> groupsByMember(TenantId tenant, ObjectId member) {
        return list(DirectoryKind.GROUP, tenant).stream().filter(g -> g.members().contains(member)).toList();
    }

    @Override
    protected Optional<ApplicationStore.HomedApplication> applicationInAnyTenant(AppId appId) {
        return tenants.values().stream().sorted(Comparator.comparing(x -> x.tenant().id()))
                .flatMap(x -> x.byLookup(DirectoryKind.APPLICATION, appId.toString()).stream()
                        .map(a -> new ApplicationStore.HomedApplication(x.tenant().id(), a)))
                .findFirst();
    }

    @Override
    protected Optional<ServicePrincipal> servicePrincipalByName(TenantId tenant, String name) {
        return Optional.ofNullable(tenants.get(tenant)).flatMap(x -> x.servicePrincipalByName(name));
    }
}
