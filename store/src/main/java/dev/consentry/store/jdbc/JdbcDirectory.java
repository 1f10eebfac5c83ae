package dev.consentry.store.jdbc;

import static dev.consentry.store.jdbc.Documents.json;
import static dev.consentry.store.jdbc.Documents.parse;

import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantPolicy;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.workload.WorkloadItem;
import dev.consentry.store.ApplicationStore;
import dev.consentry.store.DirectoryKind;
import dev.consentry.store.KindBackedStore;
import dev.consentry.store.StoreEvents;
import dev.consentry.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Tenants and directory objects on JDBC: each object is its Graph-shaped JSON beside indexed lookup columns
 * ({@code directory_object}), with side tables for the lookups one column cannot answer (service principal names,
 * group members). One transaction per method; on an exclusive database, objects read by id are cached.
 */
final class JdbcDirectory extends KindBackedStore {
    private final Sql sql;
    /** Null when another process may write the database. */
    private final ObjectCache objects;
    private final Map<DirectoryKind<?>, Repo<?>> repositories = new IdentityHashMap<>();

    JdbcDirectory(JdbcDatabase database, StoreEvents events) {
        super(events);
        this.sql = database.sql();
        this.objects = database.exclusive() ? new ObjectCache() : null;
        for (DirectoryKind<?> kind : DirectoryKind.ALL) {
            repositories.put(kind, new Repo<>(kind));
        }
    }

    /** The cache key of a tenant's whole list of one kind (no object id has a slash). */
    private static String listKey(TenantId tenant, DirectoryKind<?> kind) {
        return tenant + "/" + kind.name() + "/";
    }

    private static String objectKey(TenantId tenant, DirectoryKind<?> kind, String id) {
        return tenant + "/" + kind.name() + "/" + id.toLowerCase(Locale.ROOT);
    }

    private void tenantWritten() {
        if (objects != null) {
            objects.writtenAll();
        }
    }

    /** The tenant-level part of a directory (no objects). */
    private static TenantDirectory header(TenantDirectory d) {
        return new TenantDirectory(d.id(), d.displayName(), d.verifiedDomains(), null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, d.authorizationPolicy(), d.adminConsentRequestPolicy(), d.settings(),
                d.additionalProperties());
    }

    // ---- tenants ---------------------------------------------------------------------------------

    @Override
    protected void writeTenant(TenantImport tenant) {
        try {
            sql.tx("replace tenant " + tenant.id(), c -> {
                TenantDirectory d = tenant.directory();
                String id = d.id().toString();
                // the tenant's objects, domains and workload items go with its row (ON DELETE CASCADE)
                Sql.update(c, "DELETE FROM tenant WHERE id = ?", id);
                Sql.update(c, "INSERT INTO tenant (id, body) VALUES (?, ?)", id, json(header(d)));
                for (String domain : tenant.domains().keySet()) {
                    tenant.requireFree(domain, Sql.one(c, "SELECT tenant_id FROM tenant_domain WHERE domain = ?",
                            rs -> TenantId.of(rs.getString(1)), domain));
                    Sql.update(c, "INSERT INTO tenant_domain (domain, tenant_id) VALUES (?, ?)", domain, id);
                }
                for (DirectoryKind<?> kind : DirectoryKind.ALL) {
                    insertAll(c, d.id(), kind, kind.list().apply(d));
                }
                for (WorkloadItem item : tenant.seeds()) {
                    JdbcWorkload.upsertItem(c, d.id(), item);
                }
                return null;
            });
        } finally {
            tenantWritten();
        }
    }

    @Override
    protected boolean writePolicy(TenantId id, TenantPolicy policy) {
        try {
            return sql.tx("update a policy of " + id, c -> {
                Optional<TenantDirectory> header = Sql.one(c, "SELECT body FROM tenant WHERE id = ? FOR UPDATE",
                        rs -> parse(rs.getString(1), TenantDirectory.class), id.toString());
                return header.isPresent() && Sql.update(c, "UPDATE tenant SET body = ? WHERE id = ?",
                        json(header.get().withPolicy(policy)), id.toString()) > 0;
            });
        } finally {
            tenantWritten();
        }
    }

    @Override
    protected Optional<TenantDirectory> exportTenant(TenantId id) {
        return sql.tx("export tenant " + id, c -> {
            Optional<TenantDirectory> header = Sql.one(c, "SELECT body FROM tenant WHERE id = ?",
                    rs -> parse(rs.getString(1), TenantDirectory.class), id.toString());
            if (header.isEmpty()) {
                return Optional.empty();
            }
            TenantDirectory d = header.get();
            for (DirectoryKind<?> kind : DirectoryKind.ALL) {
                d = withAll(c, d, kind);
            }
            return Optional.of(d);
        });
    }

    /**
     * The tenant's row, cached on an exclusive database like its objects: Graph reads the tenant's settings on every
     * call (authentication contexts, the error profile), and parsing the row was half of an authorized {@code /me}.
     * Every write of a tenant's row goes through {@link #tenantWritten()}.
     */
    @Override
    protected Optional<Tenant> findTenant(TenantId id) {
        java.util.function.Supplier<Optional<Tenant>> read = () -> sql.tx("find tenant", c -> Sql.one(c,
                "SELECT body FROM tenant WHERE id = ?", rs -> parse(rs.getString(1), TenantDirectory.class).tenant(),
                id.toString()));
        return objects == null ? read.get() : objects.find(tenantKey(id), read);
    }

    /** The cache key of a tenant's own row (a tenant id has no slash, so no object's key is like it). */
    private static String tenantKey(TenantId id) {
        return "tenant " + id;
    }

    @Override
    protected Optional<Tenant> findTenantByDomain(String domain) {
        return sql.tx("find tenant by domain", c -> Sql.one(c,
                "SELECT t.body FROM tenant t JOIN tenant_domain d ON d.tenant_id = t.id WHERE d.domain = ?",
                rs -> parse(rs.getString(1), TenantDirectory.class).tenant(), domain.toLowerCase(Locale.ROOT)));
    }

    @Override
    protected List<Tenant> listTenants() {
        return sql.tx("list tenants", c -> Sql.query(c, "SELECT body FROM tenant ORDER BY id",
                rs -> parse(rs.getString(1), TenantDirectory.class).tenant()));
    }

    @Override
    protected boolean deleteTenant(TenantId id) {
        try {
            return sql.tx("delete tenant", c -> Sql.update(c, "DELETE FROM tenant WHERE id = ?", id.toString()) > 0);
        } finally {
            tenantWritten();
        }
    }

    private <T> TenantDirectory withAll(Connection c, TenantDirectory d, DirectoryKind<T> kind) throws SQLException {
        List<T> items = Sql.query(c, "SELECT body FROM directory_object WHERE tenant_id = ? AND kind = ? ORDER BY seq",
                rs -> parse(rs.getString(1), kind.type()), d.id().toString(), kind.name());
        return kind.with().apply(d, items);
    }

    @SuppressWarnings("unchecked")
    private <T> void insertAll(Connection c, TenantId tenant, DirectoryKind<T> kind, List<?> items) throws SQLException {
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
            writeSideTables(c, tenant, (T) o);
        }
    }

    // ---- side tables -------------------------------------------------------------------------------

    private static void writeSideTables(Connection c, TenantId tenant, Object item) throws SQLException {
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

    private static void deleteSideTables(Connection c, TenantId tenant, DirectoryKind<?> kind, String id) throws SQLException {
        if (kind == DirectoryKind.SERVICE_PRINCIPAL) {
            Sql.update(c, "DELETE FROM service_principal_name WHERE tenant_id = ? AND sp_id = ?", tenant.toString(), id);
        } else if (kind == DirectoryKind.GROUP) {
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
        final DirectoryKind<T> kind;

        Repo(DirectoryKind<T> kind) {
            this.kind = kind;
        }

        @Override
        public Optional<T> find(TenantId tenant, String id) {
            Supplier<Optional<T>> read = () -> sql.tx("find " + kind.name(), c -> Sql.one(c,
                    "SELECT body FROM directory_object WHERE tenant_id = ? AND kind = ? AND id = ?",
                    rs -> parse(rs.getString(1), kind.type()), tenant.toString(), kind.name(), id.toLowerCase(Locale.ROOT)));
            return objects == null ? read.get() : objects.find(objectKey(tenant, kind, id), read);
        }

        @Override
        public List<T> list(TenantId tenant) {
            Supplier<List<T>> read = () -> sql.tx("list " + kind.name(), c -> Sql.query(c,
                    "SELECT body FROM directory_object WHERE tenant_id = ? AND kind = ? ORDER BY id",
                    rs -> parse(rs.getString(1), kind.type()), tenant.toString(), kind.name()));
            // Conditional access reads a tenant's policies at every token issuance; they are few, so the whole list is
            // kept like one object (and dropped with any write of the kind).
            return objects != null && kind == DirectoryKind.POLICY
                    ? objects.find(listKey(tenant, kind), () -> Optional.of(read.get())).orElseThrow() : read.get();
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
                    objects.written(listKey(tenant, kind));
                }
            }
        }

        /**
         * Writes {@code value} in one transaction. An existing row is updated in place, so its row lock makes racing saves
         * of one object wait for each other (a delete and insert let two of them insert the same key); a new one is
         * inserted at the end of its kind's order, and a save that loses the race to insert it is run again as an update.
         */
        private void write(TenantId tenant, T value, String id) {
            try {
                writeOnce(tenant, value, id);
            } catch (StoreException e) {
                if (!(e.getCause() instanceof SQLException s && Sql.isDuplicate(s))) {
                    throw e;
                }
                writeOnce(tenant, value, id); // another save inserted it first: now it is an update
            }
        }

        private void writeOnce(TenantId tenant, T value, String id) {
            sql.tx("save " + kind.name(), c -> {
                if (Sql.one(c, "SELECT id FROM tenant WHERE id = ?", rs -> rs.getString(1), tenant.toString()).isEmpty()) {
                    throw new NoSuchElementException("no tenant " + tenant);
                }
                String key = kind.lookupKey().apply(value);
                String lookup = key == null ? null : key.toLowerCase(Locale.ROOT);
                int updated = Sql.update(c, "UPDATE directory_object SET lookup_key = ?, body = ? WHERE tenant_id = ? AND kind = ?"
                        + " AND id = ?", lookup, json(value), tenant.toString(), kind.name(), id);
                if (updated == 0) {
                    int position = Sql.one(c, "SELECT COALESCE(MAX(seq), -1) + 1 FROM directory_object WHERE tenant_id = ? AND kind = ?",
                            rs -> rs.getInt(1), tenant.toString(), kind.name()).orElse(0);
                    Sql.update(c, "INSERT INTO directory_object (tenant_id, kind, id, seq, lookup_key, body) VALUES (?, ?, ?, ?, ?, ?)",
                            tenant.toString(), kind.name(), id, position, lookup, json(value));
                }
                deleteSideTables(c, tenant, kind, kind.id().apply(value));
                writeSideTables(c, tenant, value);
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
                    objects.written(listKey(tenant, kind));
                }
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> Repository<T> repository(DirectoryKind<T> kind) {
        return (Repository<T>) repositories.get(kind);
    }

    // ---- lookups across kinds -------------------------------------------------------------------------

    @Override
    protected List<Group> groupsByMember(TenantId t, ObjectId member) {
        return sql.tx("list groups by member", c -> Sql.query(c,
                "SELECT o.body FROM directory_object o JOIN group_member m ON m.tenant_id = o.tenant_id AND m.group_id = o.id"
                        + " WHERE o.tenant_id = ? AND o.kind = ? AND m.member_id = ? ORDER BY o.id",
                rs -> parse(rs.getString(1), Group.class), t.toString(), DirectoryKind.GROUP.name(), member.toString()));
    }

    @Override
    protected Optional<ApplicationStore.HomedApplication> applicationInAnyTenant(AppId appId) {
        return sql.tx("find application in any tenant", c -> Sql.one(c,
                "SELECT tenant_id, body FROM directory_object WHERE kind = ? AND lookup_key = ? ORDER BY tenant_id, id",
                rs -> new ApplicationStore.HomedApplication(TenantId.of(rs.getString(1)), parse(rs.getString(2), Application.class)),
                DirectoryKind.APPLICATION.name(), appId.toString()));
    }

    @Override
    protected Optional<ServicePrincipal> servicePrincipalByName(TenantId t, String name) {
        return sql.tx("find service principal by name", c -> Sql.one(c,
                "SELECT o.body FROM directory_object o JOIN service_principal_name n ON n.tenant_id = o.tenant_id AND n.sp_id = o.id"
                        + " WHERE o.tenant_id = ? AND o.kind = ? AND n.name = ? ORDER BY o.id",
                rs -> parse(rs.getString(1), ServicePrincipal.class), t.toString(), DirectoryKind.SERVICE_PRINCIPAL.name(),
                normaliseName(name)));
    }
}
