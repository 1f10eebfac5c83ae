package dev.consentry.store.jdbc;

import dev.consentry.store.AssertionReplayStore;
import dev.consentry.store.AuthorizationCodeStore;
import dev.consentry.store.DeviceCodeStore;
import dev.consentry.store.DirectoryBackedStore;
import dev.consentry.store.LocalAuthorityStore;
import dev.consentry.store.RefreshTokenStore;
import dev.consentry.store.SignInSessionStore;
import dev.consentry.store.SigningKeyStore;
import dev.consentry.store.StoreEvents;
import dev.consentry.store.TraceStore;
import dev.consentry.store.WorkloadStore;
import java.nio.file.Path;

/**
 * The durable store on JDBC: embedded H2 by default, PostgreSQL for several nodes. Schema by Flyway
 * ({@code db/migration}, SQL that runs on both); one transaction per method. Each aggregate has its own part
 * ({@link JdbcDirectory}, {@link JdbcKeys}, {@link JdbcCodes}, {@link JdbcSessions}, {@link JdbcWorkload}, {@link JdbcTraces}) over one
 * {@link JdbcDatabase}; this class builds each once and hands it out.
 */
public final class JdbcStore extends DirectoryBackedStore {
    private final JdbcDatabase database;
    private final StoreEvents events = StoreEvents.inProcess();
    private final JdbcDirectory directory;
    private final JdbcKeys keys;
    private final JdbcCodes codes;
    private final JdbcSessions sessions;
    private final JdbcWorkload workload;
    private final JdbcTraces traces;

    private JdbcStore(JdbcDatabase database, int traceCapacity) {
        this.database = database;
        Sql sql = database.sql();
        this.directory = new JdbcDirectory(database, events);
        this.keys = new JdbcKeys(sql, events);
        this.codes = new JdbcCodes(sql);
        this.sessions = new JdbcSessions(sql);
        this.workload = new JdbcWorkload(sql);
        this.traces = new JdbcTraces(sql, traceCapacity);
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
    protected JdbcDirectory directory() {
        return directory;
    }

    @Override
    public SigningKeyStore signingKeys() {
        return keys.signingKeys();
    }

    @Override
    public LocalAuthorityStore localAuthority() {
        return keys.localAuthority();
    }

    @Override
    public AssertionReplayStore assertionReplay() {
        return codes.assertionReplay();
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return sessions.refreshTokens();
    }

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return codes.authorizationCodes();
    }

    @Override
    public SignInSessionStore signInSessions() {
        return sessions.signInSessions();
    }

    @Override
    public DeviceCodeStore deviceCodes() {
        return codes.deviceCodes();
    }

    @Override
    public WorkloadStore workload() {
        return workload;
    }

    /** This process's feed for now; events from other nodes on a shared database come with LISTEN/NOTIFY. */
    @Override
    public StoreEvents events() {
        return events;
    }

    @Override
    public TraceStore traces() {
        return traces;
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
