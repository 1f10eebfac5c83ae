package dev.consentry.store.memory;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.workload.WorkloadItem;
import dev.consentry.store.WorkloadStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Users' mail, calendar and files in memory, per tenant, kept beside the tenant snapshots: {@link MemoryDirectory}
 * reseeds a tenant's items when it replaces the tenant and drops them when it deletes it, under the same write lock.
 */
final class MemoryWorkload implements WorkloadStore {
    /** Per tenant: items by owner, kind and id. */
    private final Map<TenantId, Map<String, WorkloadItem>> items = new ConcurrentHashMap<>();
    private final Object writeLock;
    private final Predicate<TenantId> tenantExists;

    MemoryWorkload(Object writeLock, Predicate<TenantId> tenantExists) {
        this.writeLock = writeLock;
        this.tenantExists = tenantExists;
    }

    private static String key(ObjectId owner, WorkloadItem.Kind kind, String id) {
        return owner + "/" + kind + "/" + id;
    }

    /** The tenant's items become exactly {@code seeds}; called under the write lock. */
    void reseed(TenantId tenant, List<WorkloadItem> seeds) {
        Map<String, WorkloadItem> mine = new ConcurrentHashMap<>();
        for (WorkloadItem item : seeds) {
            mine.put(key(item.owner(), item.kind(), item.id()), item);
        }
        items.put(tenant, mine);
    }

    /** Forgets the tenant's items; called under the write lock. */
    void drop(TenantId tenant) {
        items.remove(tenant);
    }

    @Override
    public List<WorkloadItem> list(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind) {
        return items.getOrDefault(tenant, Map.of()).values().stream()
                .filter(i -> i.owner().equals(owner) && i.kind() == kind)
                .sorted(Comparator.comparing(WorkloadItem::createdDateTime).reversed().thenComparing(WorkloadItem::id))
                .toList();
    }

    @Override
    public Optional<WorkloadItem> find(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind, String id) {
        return Optional.ofNullable(items.getOrDefault(tenant, Map.of()).get(key(owner, kind, id)));
    }

    @Override
    public void saveAll(TenantId tenant, List<WorkloadItem> toSave) {
        synchronized (writeLock) {
            if (!tenantExists.test(tenant)) {
                throw new IllegalArgumentException("no tenant " + tenant);
            }
            Map<String, WorkloadItem> mine = items.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
            for (WorkloadItem item : toSave) {
                mine.put(key(item.owner(), item.kind(), item.id()), item);
            }
        }
    }

    @Override
    public boolean delete(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind, String id) {
        synchronized (writeLock) {
            Map<String, WorkloadItem> mine = items.get(tenant);
            return mine != null && mine.remove(key(owner, kind, id)) != null;
        }
    }
}
