package dev.consentry.store.memory;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.AuditStore;
import java.util.List;

/** {@link AuditStore} in memory: per tenant, a set ordered newest first, trimmed to the capacity. */
final class MemoryAudit implements AuditStore {
    private final MemoryTenantLog<DirectoryAudit> log;

    MemoryAudit(int capacity) {
        this.log = new MemoryTenantLog<>(DirectoryAudit::id, DirectoryAudit::activityDateTime, capacity, null);
    }

    @Override
    public void record(TenantId tenant, DirectoryAudit entry) {
        log.record(tenant, entry);
    }

    @Override
    public List<DirectoryAudit> recent(TenantId tenant, int max) {
        return log.recent(tenant, max);
    }
}
