package dev.consentry.store.jdbc;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.TenantSettings.LogRetention;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.AuditStore;
import java.util.function.Function;

/** {@link AuditStore} on JDBC: one row per entry, pruned to the tenant's retention in the writing transaction. */
final class JdbcAudit extends JdbcTenantLog<DirectoryAudit> implements AuditStore {
    JdbcAudit(Sql sql, Function<TenantId, LogRetention> retention) {
        super(sql, "directory_audit", DirectoryAudit.class, DirectoryAudit::id, DirectoryAudit::activityDateTime, retention);
    }
}
