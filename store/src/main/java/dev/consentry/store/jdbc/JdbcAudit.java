package dev.consentry.store.jdbc;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.store.AuditStore;

/** {@link AuditStore} on JDBC: one row per entry, pruned to the capacity per tenant in the writing transaction. */
final class JdbcAudit extends JdbcTenantLog<DirectoryAudit> implements AuditStore {
    JdbcAudit(Sql sql, int capacity) {
        super(sql, "directory_audit", DirectoryAudit.class, DirectoryAudit::id, DirectoryAudit::activityDateTime, capacity,
                null);
    }
}
