package dev.consentry.store.memory;

import dev.consentry.core.directory.TenantSettings.LogRetention;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.TenantLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A log per tenant in memory, shared by the audit and sign-in logs: a set ordered newest first (by time, then id),
 * trimmed on each write to the tenant's {@link LogRetention}: its newest entries, no older than its days before the
 * written one.
 */
class MemoryTenantLog<T> implements TenantLog<T> {
    private final Map<TenantId, TreeSet<T>> entries = new ConcurrentHashMap<>();
    private final Function<T, String> id;
    private final Function<T, Instant> at;
    private final Comparator<T> newestFirst;
    private final Function<TenantId, LogRetention> retention;

    /** {@code retention} gives each tenant's. */
    MemoryTenantLog(Function<T, String> id, Function<T, Instant> at, Function<TenantId, LogRetention> retention) {
        this.id = id;
        this.at = at;
        this.newestFirst = Comparator.comparing(at).thenComparing(id).reversed();
        this.retention = retention;
    }

    @Override
    public void record(TenantId tenant, T entry) {
        TreeSet<T> log = entries.computeIfAbsent(tenant, t -> new TreeSet<>(newestFirst));
        LogRetention keep = retention.apply(tenant);
        synchronized (log) {
            log.removeIf(e -> id.apply(e).equals(id.apply(entry)));
            log.add(entry);
            while (log.size() > keep.entries()) {
                log.pollLast();
            }
            Instant oldest = at.apply(entry).minus(keep.age());
            while (!log.isEmpty() && at.apply(log.last()).isBefore(oldest)) {
                log.pollLast();
            }
        }
    }

    @Override
    public List<T> recent(TenantId tenant, int max) {
        TreeSet<T> log = entries.get(tenant);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            return log.stream().limit(Math.max(0, max)).collect(Collectors.toCollection(ArrayList::new));
        }
    }
}
