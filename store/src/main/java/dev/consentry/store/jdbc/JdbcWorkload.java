package dev.consentry.store.jdbc;

import static dev.consentry.store.jdbc.Documents.json;
import static dev.consentry.store.jdbc.Documents.parse;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.workload.WorkloadItem;
import dev.consentry.store.WorkloadStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users' mail, calendar and files on JDBC: Graph-shaped JSON per owner, kind and id; they go with their tenant's row. */
final class JdbcWorkload implements WorkloadStore {
    private static final String ITEM_COLUMNS = "SELECT owner_id, kind, id, created_at, body FROM workload_item";

    private final Sql sql;

    JdbcWorkload(Sql sql) {
        this.sql = sql;
    }

    /** Adds or replaces one item, inside the caller's transaction (also used to seed a replaced tenant). */
    static void upsertItem(Connection c, TenantId tenant, WorkloadItem item) throws SQLException {
        Sql.update(c, "DELETE FROM workload_item WHERE tenant_id = ? AND owner_id = ? AND kind = ? AND id = ?",
                tenant.toString(), item.owner().toString(), item.kind().name(), item.id());
        Sql.update(c, "INSERT INTO workload_item (tenant_id, owner_id, kind, id, created_at, body) VALUES (?, ?, ?, ?, ?, ?)",
                tenant.toString(), item.owner().toString(), item.kind().name(), item.id(), item.createdDateTime().toEpochMilli(),
                json(item.body()));
    }

    private static WorkloadItem itemRow(ResultSet rs) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = parse(rs.getString(5), Map.class);
        return new WorkloadItem(ObjectId.of(rs.getString(1)), WorkloadItem.Kind.valueOf(rs.getString(2)), rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)), body);
    }

    @Override
    public List<WorkloadItem> list(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind) {
        return sql.tx("list workload items", c -> Sql.query(c, ITEM_COLUMNS
                        + " WHERE tenant_id = ? AND owner_id = ? AND kind = ? ORDER BY created_at DESC, id",
                JdbcWorkload::itemRow, tenant.toString(), owner.toString(), kind.name()));
    }

    @Override
    public Optional<WorkloadItem> find(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind, String id) {
        return sql.tx("find a workload item", c -> Sql.one(c, ITEM_COLUMNS
                        + " WHERE tenant_id = ? AND owner_id = ? AND kind = ? AND id = ?",
                JdbcWorkload::itemRow, tenant.toString(), owner.toString(), kind.name(), id));
    }

    @Override
    public void saveAll(TenantId tenant, List<WorkloadItem> items) {
        sql.tx("save workload items", c -> {
            if (Sql.one(c, "SELECT id FROM tenant WHERE id = ?", rs -> rs.getString(1), tenant.toString()).isEmpty()) {
                throw new IllegalArgumentException("no tenant " + tenant);
            }
            for (WorkloadItem item : items) {
                upsertItem(c, tenant, item);
            }
            return null;
        });
    }

    @Override
    public boolean delete(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind, String id) {
        return sql.tx("delete a workload item", c -> Sql.update(c,
                "DELETE FROM workload_item WHERE tenant_id = ? AND owner_id = ? AND kind = ? AND id = ?",
                tenant.toString(), owner.toString(), kind.name(), id) > 0);
    }
}
