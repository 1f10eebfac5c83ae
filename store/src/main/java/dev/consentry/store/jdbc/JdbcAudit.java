package dev.consentry.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.AuditStore;
import dev.consentry.store.StoreException;
import java.util.List;

/** {@link AuditStore} on JDBC: one row per entry, pruned to the capacity per tenant in the writing transaction. */
final class JdbcAudit implements AuditStore {
    private final Sql sql;
    private final int capacity;

    JdbcAudit(Sql sql, int capacity) {
        this.sql = sql;
        this.capacity = capacity;
    }

    @Override
    public void record(TenantId tenant, DirectoryAudit entry) {
        String body;
        try {
            body = DirectoryJson.mapper().writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not write an audit entry: " + e.getMessage(), e);
        }
        String t = tenant.toString();
        sql.tx("record an audit entry", c -> {
            Sql.update(c, "INSERT INTO directory_audit (tenant_id, id, at, body) VALUES (?, ?, ?, ?)", t, entry.id(),
                    entry.activityDateTime().toEpochMilli(), body);
            // The rows beyond the newest `capacity`, found through the (tenant_id, at, id) index.
            List<String> excess = Sql.query(c, "SELECT id FROM directory_audit WHERE tenant_id = ? ORDER BY at DESC, id DESC"
                    + " OFFSET ? ROWS", rs -> rs.getString(1), t, capacity);
            for (String id : excess) {
                Sql.update(c, "DELETE FROM directory_audit WHERE tenant_id = ? AND id = ?", t, id);
            }
            return null;
        });
    }

    @Override
    public List<DirectoryAudit> recent(TenantId tenant, int max) {
        return sql.tx("read the audit log", c -> Sql.query(c, "SELECT body FROM directory_audit WHERE tenant_id = ?"
                + " ORDER BY at DESC, id DESC FETCH FIRST ? ROWS ONLY", rs -> read(rs.getString(1)), tenant.toString(),
                Math.max(0, max)));
    }

    private static DirectoryAudit read(String body) {
        try {
            return DirectoryJson.mapper().readValue(body, DirectoryAudit.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("an audit entry could not be read: " + e.getMessage(), e);
        }
    }
}
