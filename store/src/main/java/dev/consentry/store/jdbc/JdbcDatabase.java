package dev.consentry.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.consentry.core.secret.PrivateDirectory;
import dev.consentry.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The database under a {@link JdbcStore}: the connection pool, opened on a migrated schema. Flyway runs only when its
 * history does not already record the newest migration.
 *
 * <p>Durability: for H2 the URL sets {@code WRITE_DELAY=0}, so a commit is written to the database file before the
 * call returns (H2's default delays the write by up to half a second, which a {@code kill -9} right after an answer
 * would lose); the write reaches the operating system, which keeps it across a killed process. PostgreSQL commits are
 * durable by its own settings ({@code synchronous_commit}).
 */
final class JdbcDatabase implements AutoCloseable {
    /** The version of the newest migration in {@code db/migration}; a test keeps it in step with the files. */
    static final String LATEST_SCHEMA_VERSION = "13";

    private final HikariDataSource dataSource;
    private final Sql sql;
    private final String description;
    private final boolean exclusive;

    private JdbcDatabase(HikariDataSource dataSource, String description, boolean exclusive) {
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource);
        this.description = description;
        this.exclusive = exclusive;
    }

    /**
     * The embedded H2 database {@code consentry} in {@code dataDir} (created with its directory). H2 locks the file
     * against other processes, so this process's writes are the only ones: the database is {@link #exclusive()}.
     */
    static JdbcDatabase h2File(Path dataDir) {
        secure(dataDir);
        Path db = dataDir.toAbsolutePath().normalize().resolve("consentry");
        JdbcDatabase opened = open("jdbc:h2:file:" + db + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "sa", "",
                "H2 file " + dataDir.resolve("consentry.mv.db"), true);
        secure(dataDir); // H2 created its files with the process's umask: the owner's alone from here on
        return opened;
    }

    /** The data dir created or kept private ({@link PrivateDirectory}): it holds the keys and the password hashes. */
    private static void secure(Path dataDir) {
        try {
            PrivateDirectory.secure(dataDir);
        } catch (PrivateDirectory.NotOwnedException e) {
            throw new StoreException(e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("could not create the data directory " + dataDir + " or make it private", e);
        }
    }

    /** Any JDBC URL, possibly shared with other nodes; the password is masked in the description. */
    static JdbcDatabase open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, describe(jdbcUrl), false);
    }

    /** How a store at {@code jdbcUrl} is named in messages: the URL with its password masked. */
    static String describe(String jdbcUrl) {
        return jdbcUrl.replaceAll("password=[^&;]*", "password=***");
    }

    private static JdbcDatabase open(String url, String user, String password, String description, boolean exclusive) {
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
        // One attempt at once: a database that is locked, unreachable or refuses the password fails the open in
        // milliseconds with the driver's own reason, instead of the pool retrying for its connection timeout.
        config.setInitializationFailTimeout(1);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException(StoreOpenFailures.describe(e, url, description), e);
        }
        try {
            migrate(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("could not open or migrate the database (" + description + "): " + e.getMessage(), e);
        }
        return new JdbcDatabase(ds, description, exclusive);
    }

    private static void migrate(DataSource ds) {
        if (!schemaIsCurrent(ds)) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        }
    }

    /**
     * True when Flyway's history says the newest migration already ran successfully. Starting Flyway
     * costs several hundred milliseconds of class loading and scanning, which a start on an up-to-date
     * database (every start but the first) does not need; any doubt falls back to running Flyway.
     */
    static boolean schemaIsCurrent(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            // Asked first so that an empty database is not a failed query (H2 would log it to a trace file).
            try (ResultSet tables = c.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
                if (!tables.next()) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT \"version\" FROM \"flyway_schema_history\""
                         + " WHERE \"success\" = TRUE AND \"version\" IS NOT NULL");
                 ResultSet rs = ps.executeQuery()) {
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

    Sql sql() {
        return sql;
    }

    String description() {
        return description;
    }

    /** True when no other process writes this database, so what it read may be kept until this process writes. */
    boolean exclusive() {
        return exclusive;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
