package dev.consentry.store.jdbc;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.AuditStore;
import java.util.List;

/** {@link AuditStore} on JDBC: one row per entry, pruned to the capacity per tenant in the writing transaction. */
final class JdbcAudit implements AuditStore {
    private final JdbcTenantLog<DirectoryAudit> log;

    JdbcAudit(Sql sql, int capacity) {
        this.log = new JdbcTenantLog<>(sql, "directory_audit", DirectoryAudit.class, DirectoryAudit::id,
                DirectoryAudit::activityDateTime, capacity, null);
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
