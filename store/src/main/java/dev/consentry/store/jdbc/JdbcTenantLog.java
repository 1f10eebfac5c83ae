package dev.consentry.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.core.directory.TenantSettings.LogRetention;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.StoreException;
import dev.consentry.store.TenantLog;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A log per tenant on JDBC, shared by the audit and sign-in logs: one row per entry ({@code tenant_id}, {@code id},
 * {@code at} in epoch milliseconds, {@code body} as JSON), pruned in the writing transaction to the tenant's
 * {@link LogRetention}: entries older than its days before the written one go at every write; entries beyond its
 * newest {@code entries} go at one write in {@link #pruneEvery} on each node (the first after a start included), since
 * finding them walks {@code entries} index rows: at every write, a sign-in took several times longer once the log
 * held tens of thousands of entries (docs/performance.md, issue 13). So the table may hold up to 1% more per node
 * between those prunes; {@link #recent} never returns more than the newest {@code entries}.
 */
class JdbcTenantLog<T> implements TenantLog<T> {
    private final Sql sql;
    private final String table;
    private final Class<T> type;
    private final Function<T, String> id;
    private final Function<T, Instant> at;
    private final Function<TenantId, LogRetention> retention;
    /** Per tenant, the writes on this node since the last prune by count. */
    private final ConcurrentHashMap<String, AtomicInteger> writes = new ConcurrentHashMap<>();

    /** {@code table} is one of the schema's log tables, never input; {@code retention} gives each tenant's. */
    JdbcTenantLog(Sql sql, String table, Class<T> type, Function<T, String> id, Function<T, Instant> at,
                  Function<TenantId, LogRetention> retention) {
        this.sql = sql;
        this.table = table;
        this.type = type;
        this.id = id;
        this.at = at;
        this.retention = retention;
    }

    @Override
    public void record(TenantId tenant, T entry) {
        String body;
        try {
            body = DirectoryJson.mapper().writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not write a " + table + " entry: " + e.getMessage(), e);
        }
        String t = tenant.toString();
        long when = at.apply(entry).toEpochMilli();
        LogRetention keep = retention.apply(tenant);
        boolean pruneByCount = Math.floorMod(writes.computeIfAbsent(t, k -> new AtomicInteger()).getAndIncrement(),
                pruneEvery(keep.entries())) == 0;
        sql.tx("record a " + table + " entry", c -> {
            Sql.update(c, "INSERT INTO " + table + " (tenant_id, id, at, body) VALUES (?, ?, ?, ?)", t, id.apply(entry),
                    when, body);
            Sql.update(c, "DELETE FROM " + table + " WHERE tenant_id = ? AND at < ?", t, when - keep.age().toMillis());
            if (pruneByCount) { // the rows beyond the newest `entries`, found through the (tenant_id, at, id) index
                List<String> excess = Sql.query(c, "SELECT id FROM " + table + " WHERE tenant_id = ?"
                        + " ORDER BY at DESC, id DESC OFFSET ? ROWS", rs -> rs.getString(1), t, keep.entries());
                for (String old : excess) {
                    Sql.update(c, "DELETE FROM " + table + " WHERE tenant_id = ? AND id = ?", t, old);
                }
            }
            return null;
        });
    }

    @Override
    public List<T> recent(TenantId tenant, int max) {
        return sql.tx("read the " + table + " log", c -> Sql.query(c, "SELECT body FROM " + table + " WHERE tenant_id = ?"
                + " ORDER BY at DESC, id DESC FETCH FIRST ? ROWS ONLY", rs -> read(rs.getString(1)), tenant.toString(),
                Math.max(0, Math.min(max, retention.apply(tenant).entries()))));
    }

    /** One write in this many prunes by count: 1% of what the log keeps, at least every write. */
    static int pruneEvery(int entries) {
        return Math.max(1, entries / 100);
    }

    private T read(String body) {
        try {
            return DirectoryJson.mapper().readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a " + table + " entry could not be read: " + e.getMessage(), e);
        }
    }
}
