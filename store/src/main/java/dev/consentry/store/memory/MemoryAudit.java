package dev.consentry.store.memory;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.AuditStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** {@link AuditStore} in memory: per tenant, a set ordered newest first, trimmed to the capacity. */
final class MemoryAudit implements AuditStore {
    private static final Comparator<DirectoryAudit> NEWEST_FIRST = Comparator.comparing(DirectoryAudit::activityDateTime)
            .thenComparing(DirectoryAudit::id).reversed();
    private final Map<TenantId, TreeSet<DirectoryAudit>> entries = new ConcurrentHashMap<>();
    private final int capacity;

    MemoryAudit(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void record(TenantId tenant, DirectoryAudit entry) {
        TreeSet<DirectoryAudit> log = entries.computeIfAbsent(tenant, t -> new TreeSet<>(NEWEST_FIRST));
        synchronized (log) {
            log.removeIf(e -> e.id().equals(entry.id()));
            log.add(entry);
            while (log.size() > capacity) {
                log.pollLast();
            }
        }
    }

    @Override
    public List<DirectoryAudit> recent(TenantId tenant, int max) {
        TreeSet<DirectoryAudit> log = entries.get(tenant);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            return log.stream().limit(Math.max(0, max)).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        }
    }
}
