package dev.consentry.store.jdbc;

import dev.consentry.store.TraceChannel;
import dev.consentry.store.TraceEntry;
import dev.consentry.store.TraceStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traces on JDBC, written behind the requests: {@link #record} only puts the entry in a bounded buffer; one daemon
 * thread writes the buffer in batches ({@link #FLUSH_EVERY_MILLIS} after the last write, or as soon as
 * {@link #FLUSH_AT} entries wait) and prunes the table to the capacity in the same transaction. Lookups read the buffer
 * first, then the table, so this node finds what it recorded at once.
 *
 * <p>An entry leaves the buffer only once its batch is committed, so a lookup never falls between the two. When the
 * database does not keep up, the buffer stays bounded (in entries and in body text) by dropping its oldest entries
 * (traces may be lost; logged).
 */
final class JdbcTraces implements TraceStore, AutoCloseable {
    static final long FLUSH_EVERY_MILLIS = 200;
    static final int FLUSH_AT = 256;
    /** The most entries waiting for the database, whatever the capacity. */
    static final int MAX_PENDING = 4096;
    /** The most body text waiting for the database (16 MiB as UTF-16), however large the bodies are. */
    static final long MAX_PENDING_CHARS = 8L * 1024 * 1024;
    private static final int BATCH = 512;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTraces.class);
    private static final String COLUMNS = "SELECT request_id, trace_id, correlation_id, channel, at, body, client_id FROM trace";
    private static final Comparator<TraceEntry> NEWEST_FIRST = Comparator.comparing(TraceEntry::at)
            .thenComparing(e -> TraceStore.key(e.requestId())).reversed();

    private final Sql sql;
    private final int capacity;
    private final int pendingLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition due = lock.newCondition();
    /** Entries not yet committed, by request key, in recording order. Guarded by {@link #lock}. */
    private final LinkedHashMap<String, TraceEntry> pending = new LinkedHashMap<>();
    /** The length of the pending bodies, together. */
    private long pendingChars;
    private long dropped;
    private boolean closed;
    /** True while writes fail; written under {@link #lock}. */
    private volatile boolean failing;
    private final Thread flusher;

    JdbcTraces(Sql sql, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a trace store keeps at least one entry, not " + capacity);
        }
        this.sql = sql;
        this.capacity = capacity;
        // more waiting than the capacity would be pruned at once anyway
        this.pendingLimit = Math.min(capacity, MAX_PENDING);
        this.flusher = Thread.ofPlatform().daemon().name("consentry-trace-writer").unstarted(this::writeBehind);
        flusher.start();
    }

    @Override
    public void record(TraceEntry entry) {
        String request = TraceStore.key(entry.requestId());
        lock.lock();
        try {
            TraceEntry replaced = pending.remove(request); // a replaced entry moves to the end, as a new one
            if (replaced != null) {
                pendingChars -= replaced.body().length();
            }
            pending.put(request, entry);
            pendingChars += entry.body().length();
            if (pending.size() > pendingLimit || pendingChars > MAX_PENDING_CHARS) {
                Iterator<TraceEntry> oldest = pending.values().iterator();
                while (pending.size() > pendingLimit || pendingChars > MAX_PENDING_CHARS) {
                    pendingChars -= oldest.next().body().length();
                    oldest.remove();
                    dropped++;
                }
            }
            if (pending.size() >= FLUSH_AT) {
                due.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- writing behind -----------------------------------------------------------------------------------

    private void writeBehind() {
        while (true) {
            long droppedNow;
            lock.lock();
            try {
                long wait = TimeUnit.MILLISECONDS.toNanos(FLUSH_EVERY_MILLIS);
                // after a failure, wait the full period rather than retrying at once
                while (!closed && wait > 0 && (failing || pending.size() < FLUSH_AT)) {
                    wait = due.awaitNanos(wait);
                }
                if (closed) {
                    return; // close() writes what is left
                }
                droppedNow = dropped;
                dropped = 0;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (droppedNow > 0) {
                LOG.warn("{} traces were dropped before the database could take them: it is not keeping up", droppedNow);
            }
            flush();
        }
    }

    /** Writes everything pending, batch by batch; false when a batch failed (its entries stay pending). */
    boolean flush() {
        while (true) {
            List<TraceEntry> batch = new ArrayList<>();
            lock.lock();
            try {
                if (closed && Thread.currentThread() == flusher) {
                    return true; // close() writes the rest itself, once this thread has stopped
                }
                for (TraceEntry e : pending.values()) {
                    if (batch.size() == BATCH) {
                        break;
                    }
                    batch.add(e);
                }
            } finally {
                lock.unlock();
            }
            if (batch.isEmpty()) {
                return true;
            }
            boolean written = write(batch);
            lock.lock();
            try {
                if (written) {
                    for (TraceEntry e : batch) {
                        if (pending.remove(TraceStore.key(e.requestId()), e)) { // unless it was replaced meanwhile
                            pendingChars -= e.body().length();
                        }
                    }
                }
                failing = !written;
            } finally {
                lock.unlock();
            }
            if (!written) {
                return false;
            }
        }
    }

    private boolean write(List<TraceEntry> batch) {
        try {
            sql.tx("write traces", c -> {
                // counted before this transaction changes the table, when counting is cheapest
                long rows = Sql.one(c, "SELECT COUNT(*) FROM trace", rs -> rs.getLong(1)).orElse(0L);
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM trace WHERE request_key = ?");
                     PreparedStatement insert = c.prepareStatement("INSERT INTO trace (request_key, trace_key,"
                             + " correlation_key, request_id, trace_id, correlation_id, channel, at, body, client_key,"
                             + " client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (TraceEntry e : batch) {
                        delete.setString(1, TraceStore.key(e.requestId()));
                        delete.addBatch();
                        insert.setString(1, TraceStore.key(e.requestId()));
                        insert.setString(2, e.traceId() == null ? null : TraceStore.key(e.traceId()));
                        insert.setString(3, e.correlationId() == null ? null : TraceStore.key(e.correlationId()));
                        insert.setString(4, e.requestId());
                        insert.setString(5, e.traceId());
                        insert.setString(6, e.correlationId());
                        insert.setString(7, e.channel().name());
                        insert.setLong(8, micros(e.at()));
                        insert.setString(9, e.body());
                        insert.setString(10, e.clientId() == null ? null : TraceStore.key(e.clientId()));
                        insert.setString(11, e.clientId());
                        insert.addBatch();
                    }
                    for (int replaced : delete.executeBatch()) {
                        rows -= Math.max(replaced, 0);
                    }
                    insert.executeBatch();
                    rows += batch.size();
                }
                prune(c, rows);
                return null;
            });
            if (failing) {
                LOG.info("traces are written again");
            }
            return true;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("could not write {} traces; they stay pending and are retried: {}", batch.size(), e.getMessage());
            }
            return false;
        }
    }

    /**
     * Keeps the newest {@link #capacity} of the table's {@code rows} (by {@code at}, then request key), on every node's
     * write. The edge is found by walking the {@code (at, request_key)} index from the oldest end over the excess rows
     * only, and the deletes are two index ranges, so a write costs about the size of its batch, not of the table.
     */
    private void prune(Connection c, long rows) throws SQLException {
        if (rows <= capacity) {
            return;
        }
        Optional<Object[]> newestDropped = Sql.one(c, "SELECT at, request_key FROM trace ORDER BY at, request_key"
                + " OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY", rs -> new Object[] {rs.getLong(1), rs.getString(2)},
                rows - capacity - 1);
        if (newestDropped.isPresent()) {
            Object[] edge = newestDropped.get();
            Sql.update(c, "DELETE FROM trace WHERE at < ?", edge[0]);
            Sql.update(c, "DELETE FROM trace WHERE at = ? AND request_key <= ?", edge[0], edge[1]);
        }
    }

    private static long micros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    private static TraceEntry row(ResultSet rs) throws SQLException {
        return new TraceEntry(rs.getString(1), rs.getString(2), rs.getString(3), TraceChannel.valueOf(rs.getString(4)),
                Instant.EPOCH.plus(rs.getLong(5), ChronoUnit.MICROS), rs.getString(6), rs.getString(7));
    }

    // ---- reading --------------------------------------------------------------------------------------------

    @Override
    public Optional<TraceEntry> findByRequestId(String requestId) {
        String request = TraceStore.key(requestId);
        lock.lock();
        try {
            TraceEntry waiting = pending.get(request);
            if (waiting != null) {
                return Optional.of(waiting);
            }
        } finally {
            lock.unlock();
        }
        // not pending: either committed before the look above, or unknown
        return sql.tx("find a trace", c -> Sql.one(c, COLUMNS + " WHERE request_key = ?", JdbcTraces::row, request));
    }

    @Override
    public Optional<TraceEntry> findByTraceId(String traceId) {
        return newest("trace_key", TraceEntry::traceId, traceId, 1).stream().findFirst();
    }

    @Override
    public List<TraceEntry> findByCorrelationId(String correlationId) {
        return newest("correlation_key", TraceEntry::correlationId, correlationId, MAX_CORRELATED);
    }

    @Override
    public List<TraceEntry> findByClientId(String clientId, int limit) {
        return newest("client_key", TraceEntry::clientId, clientId, Math.max(0, Math.min(limit, MAX_CORRELATED)));
    }

    /**
     * The newest entries whose id {@code of} each is {@code id} (in {@code column} of the table), pending and written
     * together. The buffer is read first: an entry that leaves it afterwards was committed before the table is read.
     */
    private List<TraceEntry> newest(String column, Function<TraceEntry, String> of, String id, int limit) {
        String wanted = TraceStore.key(id);
        List<TraceEntry> found = new ArrayList<>();
        Set<String> pendingRequests = new HashSet<>();
        lock.lock();
        try {
            for (var waiting : pending.entrySet()) {
                pendingRequests.add(waiting.getKey());
                TraceEntry e = waiting.getValue();
                String value = of.apply(e);
                if (value != null && TraceStore.key(value).equals(wanted)) {
                    found.add(e);
                }
            }
        } finally {
            lock.unlock();
        }
        // rows a pending entry replaces are skipped, so read enough to have `limit` left
        List<TraceEntry> stored = sql.tx("find traces", c -> Sql.query(c, COLUMNS + " WHERE " + column + " = ?"
                + " ORDER BY at DESC, request_key DESC FETCH FIRST ? ROWS ONLY", JdbcTraces::row, wanted,
                limit + pendingRequests.size()));
        for (TraceEntry e : stored) {
            if (!pendingRequests.contains(TraceStore.key(e.requestId()))) {
                found.add(e);
            }
        }
        found.sort(NEWEST_FIRST);
        return List.copyOf(found.subList(0, Math.min(limit, found.size())));
    }

    /** Stops the writer and writes what is still pending. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            due.signal();
        } finally {
            lock.unlock();
        }
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!flusher.isAlive() && !flush()) {
            LOG.warn("traces still pending at close could not be written");
        }
    }
}
