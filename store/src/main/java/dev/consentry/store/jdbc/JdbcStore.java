package dev.consentry.store.jdbc;

import dev.consentry.store.AssembledStore;
import dev.consentry.store.StoreEvents;
import dev.consentry.store.TenantLog;
import dev.consentry.store.TraceStore;
import java.nio.file.Path;

/**
 * The durable store on JDBC: embedded H2 by default, PostgreSQL for several nodes. Schema by Flyway
 * ({@code db/migration}, SQL that runs on both); one transaction per method. Each aggregate has its own part
 * ({@link JdbcDirectory}, {@link JdbcKeys}, {@link JdbcCodes}, {@link JdbcSessions}, {@link JdbcWorkload},
 * {@link JdbcTraces}) over one {@link JdbcDatabase}, built once here. Its {@link #events()} are this process's feed for
 * now; events from other nodes on a shared database are not yet announced (LISTEN/NOTIFY would bring them).
 */
public final class JdbcStore extends AssembledStore {
    private final JdbcDatabase database;
    private final JdbcTraces traces;

    private JdbcStore(JdbcDatabase database, StoreEvents events, JdbcTraces traces) {
        super(parts(database, events, traces));
        this.database = database;
        this.traces = traces;
    }

    private JdbcStore(JdbcDatabase database, int traceCapacity) {
        this(database, StoreEvents.inProcess(), new JdbcTraces(database.sql(), traceCapacity));
    }

    private static Parts parts(JdbcDatabase database, StoreEvents events, JdbcTraces traces) {
        Sql sql = database.sql();
        JdbcKeys keys = new JdbcKeys(sql, events);
        JdbcCodes codes = new JdbcCodes(sql);
        JdbcSessions sessions = new JdbcSessions(sql);
        JdbcDirectory directory = new JdbcDirectory(database, events);
        var retention = TenantLog.retentionOf(directory.tenants());
        return new Parts(directory, keys.signingKeys, keys.localAuthority,
                codes.assertionReplay, codes.lockouts, codes.authorizationCodes, codes.deviceCodes, sessions.refreshTokens,
                sessions.signInSessions, new JdbcWorkload(sql), events, traces, new JdbcAudit(sql, retention),
                new JdbcSignInLog(sql, retention));
    }

    /**
     * The embedded H2 database {@code consentry} in {@code dataDir} (created with its directory). H2 locks the file
     * against other processes; within one process, open one store per data dir (its read cache sees only its own
     * writes).
     */
    public static JdbcStore h2File(Path dataDir) {
        return h2File(dataDir, TraceStore.DEFAULT_CAPACITY);
    }

    /** {@link #h2File(Path)}, keeping the last {@code traceCapacity} traces (at least one). */
    public static JdbcStore h2File(Path dataDir, int traceCapacity) {
        requireCapacity(traceCapacity);
        return new JdbcStore(JdbcDatabase.h2File(dataDir), traceCapacity);
    }

    /** Any JDBC URL (PostgreSQL for scale-out); {@code user} and {@code password} may be null when the URL has them. */
    /** The {@link #description()} of a store opened on {@code jdbcUrl}: the URL with its password masked. */
    public static String describe(String jdbcUrl) {
        return JdbcDatabase.describe(jdbcUrl);
    }

    public static JdbcStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, TraceStore.DEFAULT_CAPACITY);
    }

    /**
     * {@link #open(String, String, String)}, keeping the last {@code traceCapacity} traces (at least one). Nodes sharing
     * a database should agree on it: each prunes the shared table to its own.
     */
    public static JdbcStore open(String jdbcUrl, String user, String password, int traceCapacity) {
        requireCapacity(traceCapacity);
        return new JdbcStore(JdbcDatabase.open(jdbcUrl, user, password), traceCapacity);
    }

    private static void requireCapacity(int traceCapacity) {
        if (traceCapacity < 1) {
            throw new IllegalArgumentException("a trace store keeps at least one entry, not " + traceCapacity);
        }
    }

    @Override
    public String description() {
        return database.description();
    }

    @Override
    public void close() {
        try {
            traces.close(); // writes the traces still pending
        } finally {
            database.close();
        }
    }
}
