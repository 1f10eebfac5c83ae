package dev.consentry.store.memory;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.TenantSettings.LogRetention;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.AuditStore;
import java.util.function.Function;

/** {@link AuditStore} in memory: per tenant, a set ordered newest first, pruned to the tenant's retention. */
final class MemoryAudit extends MemoryTenantLog<DirectoryAudit> implements AuditStore {
    MemoryAudit(Function<TenantId, LogRetention> retention) {
        super(DirectoryAudit::id, DirectoryAudit::activityDateTime, retention);
    }
}
