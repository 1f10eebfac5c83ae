package dev.consentry.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.key.LocalAuthority;
import dev.consentry.core.key.SigningKeyRecord;
import dev.consentry.core.key.SigningKeyRecord.KeyStatus;
import dev.consentry.store.ApplicationStore;
import dev.consentry.store.AssertionReplayStore;
import dev.consentry.store.Kind;
import dev.consentry.store.LocalAuthorityStore;
import dev.consentry.store.SigningKeyStore;
import dev.consentry.store.DirectoryObjects;
import dev.consentry.store.RefreshTokenStore;
import dev.consentry.core.session.RefreshTokenRecord;
import dev.consentry.store.AuthorizationCodeStore;
import dev.consentry.core.session.AuthorizationCodeRecord;
import dev.consentry.store.SignInSessionStore;
import dev.consentry.core.session.SignInSession;
import dev.consentry.store.DeviceCodeStore;
import dev.consentry.core.session.DeviceCodeRecord;
import dev.consentry.store.StoreException;
import dev.consentry.store.TenantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import dev.consentry.core.workload.WorkloadItem;
import dev.consentry.store.WorkloadStore;

/**
 * The durable store on JDBC: embedded H2 by default, PostgreSQL for several nodes. Schema by Flyway
 * ({@code db/migration}, SQL that runs on both); directory objects as Graph-shaped JSON documents beside
 * indexed lookup columns; one transaction per method.
 *
 * <p>Durability: for H2 the URL sets {@code WRITE_DELAY=0}, so a commit is written to the database file
 * before the call returns (H2's default delays the write by up to half a second, which a {@code kill -9}
 * right after an answer would lose); the write reaches the operating system, which keeps it across a
 * killed process. PostgreSQL commits are durable by its own settings ({@code synchronous_commit}).
 */
public final class JdbcStore extends DirectoryObjects {
    private static final ObjectMapper JSON = DirectoryJson.mapper();
    private final HikariDataSource dataSource;
    private final Sql sql;
    private final String description;
    private final AtomicLong replayCalls = new AtomicLong();

    private JdbcStore(HikariDataSource dataSource, String description, boolean exclusive) {
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource);
        this.description = description;
        this.objects = exclusive ? new ObjectCache() : null;
    }

    /**
     * Directory objects read by id, kept until they are written: only for a database that no other process writes
     * (the embedded H2 file, which H2 locks), where every write passes through this store. Graph reads the
     * signed-in user on every {@code /me}; this spares the query and the JSON parsing. PostgreSQL, shared by
     * several nodes, is read every time.
     *
     * <p>A read caches its value only if no write ended while it ran (writers count, then invalidate), so a value
     * read before a write committed never outlives the write. Bounded: at {@link #LIMIT} entries it starts empty.
     */
    static final class ObjectCache {
        static final int LIMIT = 100_000;
        private final java.util.concurrent.ConcurrentHashMap<String, Optional<Object>> values =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();

        @SuppressWarnings("unchecked")
        <T> Optional<T> find(String key, java.util.function.Supplier<Optional<T>> read) {
            Optional<Object> hit = values.get(key);
            if (hit != null) {
                return (Optional<T>) hit;
            }
            long before = writes.get();
            Optional<T> value = read.get();
            if (values.size() >= LIMIT) {
                values.clear();
            }
            values.compute(key, (k, old) -> writes.get() == before ? (Optional<Object>) value : old);
            return value;
        }

        /** After a write of one object, committed or not. */
        void written(String key) {
            writes.incrementAndGet();
            values.remove(key);
        }

        /** After a write of a whole tenant, committed or not. */
        void writtenAll() {
            writes.incrementAndGet();
            values.clear();
        }
    }

    private final ObjectCache objects;

    private static String objectKey(TenantId tenant, Kind<?> kind, String id) {
        return tenant + "/" + kind.name() + "/" + id.toLowerCase(Locale.ROOT);
    }

    private void tenantWritten() {
        if (objects != null) {
            objects.writtenAll();
        }
    }

    /**
     * The embedded H2 database {@code consentry} in {@code dataDir} (created with its directory). H2 locks the file
     * against other processes; within one process, open one store per data dir (its read cache sees only its own
     * writes).
     */
    public static JdbcStore h2File(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreException("could not create the data directory " + dataDir, e);
        }
        Path db = dataDir.toAbsolutePath().normalize().resolve("consentry");
        // H2 locks the file for this process, whose writes all pass through this store: reads may be cached.
        return open("jdbc:h2:file:" + db + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "sa", "",
                "H2 file " + dataDir.resolve("consentry.mv.db"), true);
    }

    /** A private in-memory H2 database (tests): it lives as long as this store. */
    public static JdbcStore h2InMemory(String name) {
        return open("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", "H2 in memory", false);
    }

    /** Any JDBC URL (PostgreSQL for scale-out); {@code user} and {@code password} may be null when the URL has them. */
    public static JdbcStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, jdbcUrl.replaceAll("password=[^&;]*", "password=***"), false);
    }

    private static JdbcStore open(String url, String user, String password, String description, boolean exclusive) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setPoolName("consentry-store");
        config.setInitializationFailTimeout(-1);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            if (!schemaIsCurrent(ds)) {
                Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            }
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("could not open or migrate the database (" + description + "): " + e.getMessage(), e);
        }
        return new JdbcStore(ds, description, exclusive);
    }

    /** The version of the newest migration in {@code db/migration}; a test keeps it in step with the files. */
    static final String LATEST_SCHEMA_VERSION = "4";

    /**
     * True when Flyway's history says the newest migration already ran successfully. Starting Flyway
     * costs several hundred milliseconds of class loading and scanning, which a start on an up-to-date
     * database (every start but the first) does not need; any doubt falls back to running Flyway.
     */
    static boolean schemaIsCurrent(javax.sql.DataSource ds) {
        try (Connection c = ds.getConnection()) {
            // Asked first so that an empty database is not a failed query (H2 would log it to a trace file).
            try (java.sql.ResultSet tables = c.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
                if (!tables.next()) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT \"version\" FROM \"flyway_schema_history\""
                         + " WHERE \"success\" = TRUE AND \"version\" IS NOT NULL");
                 java.sql.ResultSet rs = ps.executeQuery()) {
                int newest = 0;
                while (rs.next()) {
                    newest = Math.max(newest, Integer.parseInt(rs.getString(1)));
                }
                return newest == Integer.parseInt(LATEST_SCHEMA_VERSION);
            }
        } catch (SQLException | NumberFormatException e) {
            return false;
        }
    }

    // ---- JSON ------------------------------------------------------------------------------------

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T parse(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored " + type.getSimpleName() + " is unreadable", e);
        }
    }

    /** The tenant-level part of a directory (no objects). */
    private static TenantDirectory header(TenantDirectory d) {
        return new TenantDirectory(d.id(), d.displayName(), d.verifiedDomains(), null, null, null, null, null, null,
                null, null, null, d.settings(), d.additionalProperties());
    }

    // ---- tenants ---------------------------------------------------------------------------------

    @Override
    public TenantStore tenants() {
        return new TenantStore() {
            @Override
            public void replace(TenantDirectory d) {
                try {
                    replaceTenant(d);
                } finally {
                    tenantWritten();
                }
            }

            private void replaceTenant(TenantDirectory d) {
                sql.tx("replace tenant " + d.id(), c -> {
                    String id = d.id().toString();
                    Sql.update(c, "DELETE FROM tenant WHERE id = ?", id);
                    Sql.update(c, "INSERT INTO tenant (id, body) VALUES (?, ?)", id, json(header(d)));
                    for (VerifiedDomain v : d.verifiedDomains()) {
                        String domain = v.name().toLowerCase(Locale.ROOT);
                        Optional<String> owner = Sql.one(c, "SELECT tenant_id FROM tenant_domain WHERE domain = ?",
                                rs -> rs.getString(1), domain);
                        if (owner.isPresent()) {
                            throw new IllegalArgumentException("the domain " + v.name() + " already belongs to tenant "
                                    + owner.get() + (owner.get().equals(id) ? " (listed twice)" : ""));
                        }
                        Sql.update(c, "INSERT INTO tenant_domain (domain, tenant_id) VALUES (?, ?)", domain, id);
                    }
                    for (Kind<?> kind : Kind.ALL) {
                        insertAll(c, d.id(), kind, kind.list().apply(d));
                    }
                    for (var user : d.users()) { // the old items went with the tenant row (ON DELETE CASCADE)
                        for (WorkloadItem item : WorkloadItem.seedsOf(user)) {
                            upsertItem(c, d.id(), item);
                        }
                    }
                    return null;
                });
            }

            @Override
            public Optional<TenantDirectory> export(TenantId id) {
                return sql.tx("export tenant " + id, c -> {
                    Optional<TenantDirectory> header = Sql.one(c, "SELECT body FROM tenant WHERE id = ?",
                            rs -> parse(rs.getString(1), TenantDirectory.class), id.toString());
                    if (header.isEmpty()) {
                        return Optional.empty();
                    }
                    TenantDirectory d = header.get();
                    for (Kind<?> kind : Kind.ALL) {
                        d = withAll(c, d, kind);
                    }
                    return Optional.of(d);
                });
            }

            @Override
            public Optional<Tenant> find(TenantId id) {
                return sql.tx("find tenant", c -> Sql.one(c, "SELECT body FROM tenant WHERE id = ?",
                        rs -> parse(rs.getString(1), TenantDirectory.class).tenant(), id.toString()));
            }

            @Override
            public Optional<Tenant> findByDomain(String domain) {
                return sql.tx("find tenant by domain", c -> Sql.one(c,
                        "SELECT t.body FROM tenant t JOIN tenant_domain d ON d.tenant_id = t.id WHERE d.domain = ?",
                        rs -> parse(rs.getString(1), TenantDirectory.class).tenant(), domain.toLowerCase(Locale.ROOT)));
            }

            @Override
            public List<Tenant> list() {
                return sql.tx("list tenants", c -> Sql.query(c, "SELECT body FROM tenant ORDER BY id",
                        rs -> parse(rs.getString(1), TenantDirectory.class).tenant()));
            }

            @Override
            public boolean delete(TenantId id) {
                try {
                    return sql.tx("delete tenant", c -> Sql.update(c, "DELETE FROM tenant WHERE id = ?", id.toString()) > 0);
                } finally {
                    tenantWritten();
                }
            }
        };
    }

    private <T> TenantDirectory withAll(Connection c, TenantDirectory d, Kind<T> kind) throws SQLException {
        List<T> items = Sql.query(c, "SELECT body FROM directory_object WHERE tenant_id = ? AND kind = ? ORDER BY seq",
                rs -> parse(rs.getString(1), kind.type()), d.id().toString(), kind.name());
        return kind.with().apply(d, items);
    }

    @SuppressWarnings("unchecked")
    private <T> void insertAll(Connection c, TenantId tenant, Kind<T> kind, List<?> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO directory_object (tenant_id, kind, id, seq, lookup_key, body)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (Object o : items) {
                T item = (T) o;
                ps.setString(1, tenant.toString());
                ps.setString(2, kind.name());
                ps.setString(3, kind.id().apply(item).toLowerCase(Locale.ROOT));
                ps.setInt(4, seq++);
                String key = kind.lookupKey().apply(item);
                ps.setString(5, key == null ? null : key.toLowerCase(Locale.ROOT));
                ps.setString(6, json(item));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            if (Sql.isDuplicate(e)) {
                throw new IllegalArgumentException("two " + kind.name() + " objects of tenant " + tenant + " have the same id", e);
            }
            throw e;
        }
        for (Object o : items) {
            writeSideTables(c, tenant, kind, (T) o);
        }
    }

    private <T> void writeSideTables(Connection c, TenantId tenant, Kind<T> kind, T item) throws SQLException {
        if (item instanceof ServicePrincipal sp) {
            Set<String> names = new LinkedHashSet<>();
            sp.servicePrincipalNames().forEach(n -> names.add(normaliseName(n)));
            for (String n : names) {
                Sql.update(c, "INSERT INTO service_principal_name (tenant_id, name, sp_id) VALUES (?, ?, ?)",
                        tenant.toString(), n, sp.id().toString());
            }
        } else if (item instanceof Group g) {
            for (ObjectId m : new LinkedHashSet<>(g.members())) {
                Sql.update(c, "INSERT INTO group_member (tenant_id, group_id, member_id) VALUES (?, ?, ?)",
                        tenant.toString(), g.id().toString(), m.toString());
            }
        }
    }

    private static void deleteSideTables(Connection c, TenantId tenant, Kind<?> kind, String id) throws SQLException {
        if (kind == Kind.SERVICE_PRINCIPAL) {
            Sql.update(c, "DELETE FROM service_principal_name WHERE tenant_id = ? AND sp_id = ?", tenant.toString(), id);
        } else if (kind == Kind.GROUP) {
            Sql.update(c, "DELETE FROM group_member WHERE tenant_id = ? AND group_id = ?", tenant.toString(), id);
        }
    }

    static String normaliseName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    // ---- one kind of object -------------------------------------------------------------------------

    /** Reads and writes of one kind, in single transactions. */
    private final class Repo<T> implements Repository<T> {
        final Kind<T> kind;

        Repo(Kind<T> kind) {
            this.kind = kind;
        }

        @Override
        public Optional<T> find(TenantId tenant, String id) {
            java.util.function.Supplier<Optional<T>> read = () -> sql.tx("find " + kind.name(), c -> Sql.one(c,
                    "SELECT body FROM directory_object WHERE tenant_id = ? AND kind = ? AND id = ?",
                    rs -> parse(rs.getString(1), kind.type()), tenant.toString(), kind.name(), id.toLowerCase(Locale.ROOT)));
            return objects == null ? read.get() : objects.find(objectKey(tenant, kind, id), read);
        }

        @Override
        public List<T> list(TenantId tenant) {
            return sql.tx("list " + kind.name(), c -> Sql.query(c,
                    "SELECT body FROM directory_object WHERE tenant_id = ? AND kind = ? ORDER BY id",
                    rs -> parse(rs.getString(1), kind.type()), tenant.toString(), kind.name()));
        }

        @Override
        public List<T> byLookup(TenantId tenant, String key) {
            return sql.tx("find " + kind.name(), c -> Sql.query(c,
                    "SELECT body FROM directory_object WHERE tenant_id = ? AND kind = ? AND lookup_key = ? ORDER BY id",
                    rs -> parse(rs.getString(1), kind.type()), tenant.toString(), kind.name(), key.toLowerCase(Locale.ROOT)));
        }

        @Override
        public void save(TenantId tenant, T value) {
            String id = kind.id().apply(value).toLowerCase(Locale.ROOT);
            try {
                write(tenant, value, id);
            } finally {
                if (objects != null) {
                    objects.written(objectKey(tenant, kind, id));
                }
            }
        }

        private void write(TenantId tenant, T value, String id) {
            sql.tx("save " + kind.name(), c -> {
                if (Sql.one(c, "SELECT id FROM tenant WHERE id = ?", rs -> rs.getString(1), tenant.toString()).isEmpty()) {
                    throw new NoSuchElementException("no tenant " + tenant);
                }
                Optional<Integer> seq = Sql.one(c, "SELECT seq FROM directory_object WHERE tenant_id = ? AND kind = ? AND id = ?",
                        rs -> rs.getInt(1), tenant.toString(), kind.name(), id);
                int position = seq.isPresent() ? seq.get() : Sql.one(c,
                        "SELECT COALESCE(MAX(seq), -1) + 1 FROM directory_object WHERE tenant_id = ? AND kind = ?",
                        rs -> rs.getInt(1), tenant.toString(), kind.name()).orElse(0);
                Sql.update(c, "DELETE FROM directory_object WHERE tenant_id = ? AND kind = ? AND id = ?",
                        tenant.toString(), kind.name(), id);
                deleteSideTables(c, tenant, kind, kind.id().apply(value));
                String key = kind.lookupKey().apply(value);
                Sql.update(c, "INSERT INTO directory_object (tenant_id, kind, id, seq, lookup_key, body) VALUES (?, ?, ?, ?, ?, ?)",
                        tenant.toString(), kind.name(), id, position, key == null ? null : key.toLowerCase(Locale.ROOT),
                        json(value));
                writeSideTables(c, tenant, kind, value);
                return null;
            });
        }

        @Override
        public boolean delete(TenantId tenant, String id) {
            try {
                return sql.tx("delete " + kind.name(), c -> {
                    deleteSideTables(c, tenant, kind, id);
                    return Sql.update(c, "DELETE FROM directory_object WHERE tenant_id = ? AND kind = ? AND id = ?",
                            tenant.toString(), kind.name(), id.toLowerCase(Locale.ROOT)) > 0;
                });
            } finally {
                if (objects != null) {
                    objects.written(objectKey(tenant, kind, id));
                }
            }
        }
    }

    @Override
    protected <T> Repository<T> repository(Kind<T> kind) {
        return new Repo<>(kind);
    }

    @Override
    protected List<Group> groupsByMember(TenantId t, ObjectId member) {
        return sql.tx("list groups by member", c -> Sql.query(c,
                "SELECT o.body FROM directory_object o JOIN group_member m ON m.tenant_id = o.tenant_id AND m.group_id = o.id"
                        + " WHERE o.tenant_id = ? AND o.kind = ? AND m.member_id = ? ORDER BY o.id",
                rs -> parse(rs.getString(1), Group.class), t.toString(), Kind.GROUP.name(), member.toString()));
    }

    @Override
    protected Optional<ApplicationStore.HomedApplication> applicationInAnyTenant(AppId appId) {
        return sql.tx("find application in any tenant", c -> Sql.one(c,
                "SELECT tenant_id, body FROM directory_object WHERE kind = ? AND lookup_key = ? ORDER BY tenant_id, id",
                rs -> new ApplicationStore.HomedApplication(TenantId.of(rs.getString(1)), parse(rs.getString(2), Application.class)),
                Kind.APPLICATION.name(), appId.toString()));
    }

    @Override
    protected Optional<ServicePrincipal> servicePrincipalByName(TenantId t, String name) {
        return sql.tx("find service principal by name", c -> Sql.one(c,
                "SELECT o.body FROM directory_object o JOIN service_principal_name n ON n.tenant_id = o.tenant_id AND n.sp_id = o.id"
                        + " WHERE o.tenant_id = ? AND o.kind = ? AND n.name = ? ORDER BY o.id",
                rs -> parse(rs.getString(1), ServicePrincipal.class), t.toString(), Kind.SERVICE_PRINCIPAL.name(),
                normaliseName(name)));
    }

    // ---- keys, CA, replay ----------------------------------------------------------------------------

    private static SigningKeyRecord keyRow(java.sql.ResultSet rs) throws SQLException {
        return new SigningKeyRecord(rs.getString(1), KeyStatus.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)));
    }

    private static final String KEY_COLUMNS = "SELECT kid, status, private_key, certificate, created_at FROM signing_key";

    @Override
    public SigningKeyStore signingKeys() {
        return new SigningKeyStore() {
            @Override
            public List<SigningKeyRecord> list() {
                return sql.tx("list signing keys", c -> Sql.query(c, KEY_COLUMNS + " ORDER BY created_at DESC, kid",
                        JdbcStore::keyRow));
            }

            @Override
            public Optional<SigningKeyRecord> primary() {
                return sql.tx("read the primary signing key", c -> Sql.one(c, KEY_COLUMNS + " WHERE status = 'PRIMARY'",
                        JdbcStore::keyRow));
            }

            @Override
            public void rotate(SigningKeyRecord newPrimary, int keepPrevious) {
                sql.tx("rotate signing keys", c -> {
                    lockKeys(c);
                    Sql.update(c, "UPDATE signing_key SET status = 'PREVIOUS' WHERE status = 'PRIMARY'");
                    insertKey(c, newPrimary.withStatus(KeyStatus.PRIMARY));
                    List<String> previous = Sql.query(c,
                            "SELECT kid FROM signing_key WHERE status = 'PREVIOUS' ORDER BY created_at DESC, kid", rs -> rs.getString(1));
                    for (int i = keepPrevious; i < previous.size(); i++) {
                        Sql.update(c, "UPDATE signing_key SET status = 'RETIRED' WHERE kid = ?", previous.get(i));
                    }
                    return null;
                });
            }

            @Override
            public SigningKeyRecord initializeIfEmpty(SigningKeyRecord first) {
                return sql.tx("create the first signing key", c -> {
                    lockKeys(c);
                    Optional<SigningKeyRecord> primary = Sql.one(c, KEY_COLUMNS + " WHERE status = 'PRIMARY'", JdbcStore::keyRow);
                    if (primary.isPresent()) {
                        return primary.get();
                    }
                    SigningKeyRecord record = first.withStatus(KeyStatus.PRIMARY);
                    insertKey(c, record);
                    return record;
                });
            }
        };
    }

    /** Serialises key changes across connections and nodes (a row lock both H2 and PostgreSQL honour). */
    private static void lockKeys(Connection c) throws SQLException {
        Sql.query(c, "SELECT name FROM store_lock WHERE name = 'signing_key' FOR UPDATE", rs -> rs.getString(1));
    }

    private static void insertKey(Connection c, SigningKeyRecord k) throws SQLException {
        Sql.update(c, "INSERT INTO signing_key (kid, status, private_key, certificate, created_at) VALUES (?, ?, ?, ?, ?)",
                k.kid(), k.status().name(), k.privateKeyPkcs8(), k.certificate(), k.createdAt().toEpochMilli());
    }

    @Override
    public LocalAuthorityStore localAuthority() {
        return new LocalAuthorityStore() {
            @Override
            public Optional<LocalAuthority> load() {
                return sql.tx("read the local CA", c -> Sql.one(c,
                        "SELECT certificate_pem, private_key_pem, created_at FROM local_authority WHERE id = 1",
                        rs -> new LocalAuthority(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)))));
            }

            @Override
            public LocalAuthority initializeIfEmpty(LocalAuthority a) {
                try {
                    sql.tx("store the local CA", c -> Sql.update(c,
                            "INSERT INTO local_authority (id, certificate_pem, private_key_pem, created_at) VALUES (1, ?, ?, ?)",
                            a.certificatePem(), a.privateKeyPem(), a.createdAt().toEpochMilli()));
                } catch (StoreException e) {
                    if (!(e.getCause() instanceof SQLException s) || !Sql.isDuplicate(s)) {
                        throw e;
                    }
                    // another node stored one first: keep theirs
                }
                return load().orElseThrow();
            }
        };
    }

    @Override
    public AssertionReplayStore assertionReplay() {
        return (key, expiresAt, now) -> {
            if (replayCalls.incrementAndGet() % 1000 == 0) {
                sql.tx("forget expired assertions", c -> Sql.update(c, "DELETE FROM used_assertion WHERE expires_at <= ?",
                        now.toEpochMilli()));
            }
            try {
                return sql.tx("record a client assertion", c -> {
                    Sql.update(c, "DELETE FROM used_assertion WHERE assertion_key = ? AND expires_at <= ?", key, now.toEpochMilli());
                    Sql.update(c, "INSERT INTO used_assertion (assertion_key, expires_at) VALUES (?, ?)", key,
                            expiresAt.toEpochMilli());
                    return true;
                });
            } catch (StoreException e) {
                if (e.getCause() instanceof SQLException s && Sql.isDuplicate(s)) {
                    return false;
                }
                throw e;
            }
        };
    }

    private static final String TOKEN_COLUMNS = "SELECT hash, family_id, tenant_id, client_id, user_id, scope, issued_at,"
            + " last_used_at, replaced_at, revoked_at FROM refresh_token";

    private static RefreshTokenRecord tokenRow(java.sql.ResultSet rs) throws SQLException {
        long replaced = rs.getLong(9);
        boolean replacedNull = rs.wasNull();
        long revoked = rs.getLong(10);
        boolean revokedNull = rs.wasNull();
        return new RefreshTokenRecord(rs.getString(1), rs.getString(2), TenantId.of(rs.getString(3)), AppId.of(rs.getString(4)),
                ObjectId.of(rs.getString(5)), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
                Instant.ofEpochMilli(rs.getLong(8)), replacedNull ? null : Instant.ofEpochMilli(replaced),
                revokedNull ? null : Instant.ofEpochMilli(revoked));
    }

    private static void insertToken(Connection c, RefreshTokenRecord t) throws SQLException {
        Sql.update(c, "INSERT INTO refresh_token (hash, family_id, tenant_id, client_id, user_id, scope, issued_at, last_used_at,"
                        + " replaced_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.hash(), t.familyId(), t.tenant().toString(), t.clientId().toString(), t.userId().toString(), t.scope(),
                t.issuedAt().toEpochMilli(), t.lastUsedAt().toEpochMilli(),
                t.replacedAt() == null ? null : t.replacedAt().toEpochMilli(),
                t.revokedAt() == null ? null : t.revokedAt().toEpochMilli());
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return new RefreshTokenStore() {
            @Override
            public void save(RefreshTokenRecord token) {
                sql.tx("store a refresh token", c -> {
                    insertToken(c, token);
                    return null;
                });
            }

            @Override
            public Optional<RefreshTokenRecord> find(String hash) {
                return sql.tx("read a refresh token", c -> Sql.one(c, TOKEN_COLUMNS + " WHERE hash = ?", JdbcStore::tokenRow, hash));
            }

            @Override
            public boolean rotate(String hash, RefreshTokenRecord next, Instant now) {
                return sql.tx("rotate a refresh token", c -> {
                    int changed = Sql.update(c, "UPDATE refresh_token SET replaced_at = ? WHERE hash = ?"
                            + " AND replaced_at IS NULL AND revoked_at IS NULL", now.toEpochMilli(), hash);
                    if (changed == 0) {
                        return false;
                    }
                    insertToken(c, next);
                    return true;
                });
            }

            @Override
            public void revokeFamily(String familyId, Instant now) {
                sql.tx("revoke a refresh token family", c -> Sql.update(c,
                        "UPDATE refresh_token SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL", now.toEpochMilli(), familyId));
            }

            @Override
            public void revokeUser(TenantId tenant, ObjectId userId, Instant now) {
                sql.tx("revoke a user's refresh tokens", c -> Sql.update(c,
                        "UPDATE refresh_token SET revoked_at = ? WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL",
                        now.toEpochMilli(), tenant.toString(), userId.toString()));
            }
        };
    }

    // ---- authorization codes, sign-in sessions, device codes ------------------------------------------

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    /** The instant in column {@code i}, or null when the column is SQL NULL. */
    private static Instant instant(java.sql.ResultSet rs, int i) throws SQLException {
        long value = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static final String CODE_COLUMNS = "SELECT hash, tenant_id, client_id, user_id, redirect_uri, scope, code_challenge,"
            + " code_challenge_method, nonce, auth_time, issued_at, expires_at, redeemed_at, refresh_family_id"
            + " FROM authorization_code";

    private static AuthorizationCodeRecord codeRow(java.sql.ResultSet rs) throws SQLException {
        return new AuthorizationCodeRecord(rs.getString(1), TenantId.of(rs.getString(2)), AppId.of(rs.getString(3)),
                ObjectId.of(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), instant(rs, 10), instant(rs, 11), instant(rs, 12), instant(rs, 13), rs.getString(14));
    }

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return new AuthorizationCodeStore() {
            @Override
            public void save(AuthorizationCodeRecord code) {
                sql.tx("store an authorization code", c -> Sql.update(c, "INSERT INTO authorization_code (hash, tenant_id,"
                                + " client_id, user_id, redirect_uri, scope, code_challenge, code_challenge_method, nonce, auth_time,"
                                + " issued_at, expires_at, redeemed_at, refresh_family_id)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        code.hash(), code.tenant().toString(), code.clientId().toString(), code.userId().toString(),
                        code.redirectUri(), code.scope(), code.codeChallenge(), code.codeChallengeMethod(), code.nonce(),
                        millis(code.authTime()), millis(code.issuedAt()), millis(code.expiresAt()), millis(code.redeemedAt()),
                        code.refreshFamilyId()));
            }

            @Override
            public Optional<AuthorizationCodeRecord> redeem(String hash, Instant now) {
                return sql.tx("redeem an authorization code", c -> {
                    Optional<AuthorizationCodeRecord> before = Sql.one(c, CODE_COLUMNS + " WHERE hash = ? FOR UPDATE",
                            JdbcStore::codeRow, hash);
                    if (before.isEmpty()) {
                        return before;
                    }
                    int changed = Sql.update(c, "UPDATE authorization_code SET redeemed_at = ? WHERE hash = ? AND redeemed_at IS NULL",
                            now.toEpochMilli(), hash);
                    if (changed == 1 || before.get().redeemedAt() != null) {
                        return before;
                    }
                    // the update lost to another redemption the read did not see: answer with the redeemed row
                    return Sql.one(c, CODE_COLUMNS + " WHERE hash = ?", JdbcStore::codeRow, hash);
                });
            }

            @Override
            public void linkRefreshFamily(String hash, String familyId) {
                sql.tx("link a refresh token family to an authorization code", c -> Sql.update(c,
                        "UPDATE authorization_code SET refresh_family_id = ? WHERE hash = ?", familyId, hash));
            }

            @Override
            public int deleteExpired(Instant before) {
                return sql.tx("delete expired authorization codes", c -> Sql.update(c,
                        "DELETE FROM authorization_code WHERE expires_at < ?", before.toEpochMilli()));
            }
        };
    }

    @Override
    public SignInSessionStore signInSessions() {
        return new SignInSessionStore() {
            @Override
            public void save(SignInSession s) {
                String tenant = s.tenant().toString();
                String user = s.userId().toString();
                Sql.Work<Integer> update = c -> Sql.update(c, "UPDATE sign_in_session SET auth_time = ?, last_seen_at = ?"
                                + " WHERE browser_hash = ? AND tenant_id = ? AND user_id = ?",
                        millis(s.authTime()), millis(s.lastSeenAt()), s.browserHash(), tenant, user);
                try {
                    sql.tx("store a sign-in session", c -> {
                        if (update.run(c) == 0) {
                            Sql.update(c, "INSERT INTO sign_in_session (browser_hash, tenant_id, user_id, auth_time, last_seen_at)"
                                    + " VALUES (?, ?, ?, ?, ?)", s.browserHash(), tenant, user, millis(s.authTime()),
                                    millis(s.lastSeenAt()));
                        }
                        return null;
                    });
                } catch (StoreException e) {
                    if (!(e.getCause() instanceof SQLException x) || !Sql.isDuplicate(x)) {
                        throw e;
                    }
                    // a concurrent save inserted the same session first: overwrite it
                    sql.tx("store a sign-in session", update);
                }
            }

            @Override
            public List<SignInSession> list(String browserHash) {
                return sql.tx("list sign-in sessions", c -> Sql.query(c, "SELECT browser_hash, tenant_id, user_id, auth_time,"
                                + " last_seen_at FROM sign_in_session WHERE browser_hash = ?"
                                + " ORDER BY last_seen_at DESC, tenant_id, user_id",
                        rs -> new SignInSession(rs.getString(1), TenantId.of(rs.getString(2)), ObjectId.of(rs.getString(3)),
                                instant(rs, 4), instant(rs, 5)), browserHash));
            }

            @Override
            public void removeBrowser(String browserHash) {
                sql.tx("sign a browser out", c -> Sql.update(c, "DELETE FROM sign_in_session WHERE browser_hash = ?", browserHash));
            }

            @Override
            public void removeUser(TenantId tenant, ObjectId userId) {
                sql.tx("end a user's sign-in sessions", c -> Sql.update(c,
                        "DELETE FROM sign_in_session WHERE tenant_id = ? AND user_id = ?", tenant.toString(), userId.toString()));
            }
        };
    }

    private static final String DEVICE_COLUMNS = "SELECT device_hash, user_code, tenant_path, client_id, scope, issued_at,"
            + " expires_at, interval_seconds, last_polled_at, status, user_tenant_id, user_id, auth_time FROM device_code";

    private static DeviceCodeRecord deviceRow(java.sql.ResultSet rs) throws SQLException {
        String userTenant = rs.getString(11);
        String userId = rs.getString(12);
        return new DeviceCodeRecord(rs.getString(1), rs.getString(2), rs.getString(3), AppId.of(rs.getString(4)),
                rs.getString(5), instant(rs, 6), instant(rs, 7), rs.getInt(8), instant(rs, 9),
                DeviceCodeRecord.Status.valueOf(rs.getString(10)), userTenant == null ? null : TenantId.of(userTenant),
                userId == null ? null : ObjectId.of(userId), instant(rs, 13));
    }

    private static final String ITEM_COLUMNS = "SELECT owner_id, kind, id, created_at, body FROM workload_item";

    private static void upsertItem(java.sql.Connection c, TenantId tenant, WorkloadItem item) throws java.sql.SQLException {
        Sql.update(c, "DELETE FROM workload_item WHERE tenant_id = ? AND owner_id = ? AND kind = ? AND id = ?",
                tenant.toString(), item.owner().toString(), item.kind().name(), item.id());
        Sql.update(c, "INSERT INTO workload_item (tenant_id, owner_id, kind, id, created_at, body) VALUES (?, ?, ?, ?, ?, ?)",
                tenant.toString(), item.owner().toString(), item.kind().name(), item.id(), item.createdDateTime().toEpochMilli(),
                json(item.body()));
    }

    private static WorkloadItem itemRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = parse(rs.getString(5), Map.class);
        return new WorkloadItem(ObjectId.of(rs.getString(1)), WorkloadItem.Kind.valueOf(rs.getString(2)), rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)), body);
    }

    @Override
    public WorkloadStore workload() {
        return new WorkloadStore() {
            @Override
            public List<WorkloadItem> list(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind) {
                return sql.tx("list workload items", c -> Sql.query(c, ITEM_COLUMNS
                        + " WHERE tenant_id = ? AND owner_id = ? AND kind = ? ORDER BY created_at DESC, id",
                        JdbcStore::itemRow, tenant.toString(), owner.toString(), kind.name()));
            }

            @Override
            public Optional<WorkloadItem> find(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind, String id) {
                return sql.tx("find a workload item", c -> Sql.one(c, ITEM_COLUMNS
                        + " WHERE tenant_id = ? AND owner_id = ? AND kind = ? AND id = ?",
                        JdbcStore::itemRow, tenant.toString(), owner.toString(), kind.name(), id));
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
        };
    }

    @Override
    public DeviceCodeStore deviceCodes() {
        return new DeviceCodeStore() {
            @Override
            public void save(DeviceCodeRecord r) {
                sql.tx("store a device authorization", c -> {
                    // an expired authorization no longer holds its user code
                    Sql.update(c, "DELETE FROM device_code WHERE user_code = ? AND expires_at <= ?", r.userCode(),
                            r.issuedAt().toEpochMilli());
                    try {
                        Sql.update(c, "INSERT INTO device_code (device_hash, user_code, tenant_path, client_id, scope, issued_at,"
                                        + " expires_at, interval_seconds, last_polled_at, status, user_tenant_id, user_id, auth_time)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                r.deviceHash(), r.userCode(), r.tenantPath(), r.clientId().toString(), r.scope(),
                                millis(r.issuedAt()), millis(r.expiresAt()), r.intervalSeconds(), millis(r.lastPolledAt()),
                                r.status().name(), r.userTenant() == null ? null : r.userTenant().toString(),
                                r.userId() == null ? null : r.userId().toString(), millis(r.authTime()));
                    } catch (SQLException e) {
                        if (Sql.isDuplicate(e)) {
                            throw new IllegalArgumentException("the user code " + r.userCode()
                                    + " or the device code is already in use", e);
                        }
                        throw e;
                    }
                    return null;
                });
            }

            @Override
            public Optional<DeviceCodeRecord> findByUserCode(String userCode) {
                return sql.tx("read a device authorization", c -> Sql.one(c, DEVICE_COLUMNS + " WHERE user_code = ?",
                        JdbcStore::deviceRow, userCode));
            }

            @Override
            public Optional<DeviceCodeRecord> poll(String deviceHash, Instant now, boolean slowDown) {
                return sql.tx("record a device code poll", c -> {
                    Optional<DeviceCodeRecord> before = Sql.one(c, DEVICE_COLUMNS + " WHERE device_hash = ? FOR UPDATE",
                            JdbcStore::deviceRow, deviceHash);
                    if (before.isPresent()) {
                        Sql.update(c, "UPDATE device_code SET last_polled_at = ?, interval_seconds = interval_seconds + ?"
                                + " WHERE device_hash = ?", now.toEpochMilli(), slowDown ? 5 : 0, deviceHash);
                    }
                    return before;
                });
            }

            @Override
            public boolean approve(String userCode, TenantId userTenant, ObjectId userId, Instant authTime) {
                return sql.tx("approve a device authorization", c -> Sql.update(c, "UPDATE device_code SET status = ?,"
                                + " user_tenant_id = ?, user_id = ?, auth_time = ? WHERE user_code = ? AND status = ?",
                        DeviceCodeRecord.Status.APPROVED.name(), userTenant.toString(), userId.toString(), authTime.toEpochMilli(),
                        userCode, DeviceCodeRecord.Status.PENDING.name()) == 1);
            }

            @Override
            public boolean decline(String userCode) {
                return sql.tx("decline a device authorization", c -> Sql.update(c,
                        "UPDATE device_code SET status = ? WHERE user_code = ? AND status = ?",
                        DeviceCodeRecord.Status.DECLINED.name(), userCode, DeviceCodeRecord.Status.PENDING.name()) == 1);
            }

            @Override
            public boolean redeem(String deviceHash) {
                return sql.tx("redeem a device authorization", c -> Sql.update(c,
                        "UPDATE device_code SET status = ? WHERE device_hash = ? AND status = ?",
                        DeviceCodeRecord.Status.REDEEMED.name(), deviceHash, DeviceCodeRecord.Status.APPROVED.name()) == 1);
            }

            @Override
            public int deleteExpired(Instant before) {
                return sql.tx("delete expired device authorizations", c -> Sql.update(c,
                        "DELETE FROM device_code WHERE expires_at < ?", before.toEpochMilli()));
            }
        };
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
