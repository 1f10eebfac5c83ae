package dev.consentry.store.memory;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.store.AuditStore;

/** {@link AuditStore} in memory: per tenant, a set ordered newest first, trimmed to the capacity. */
final class MemoryAudit extends MemoryTenantLog<DirectoryAudit> implements AuditStore {
    MemoryAudit(int capacity) {
        super(DirectoryAudit::id, DirectoryAudit::activityDateTime, capacity, null);
    }
}
