package dev.consentry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consentry.store.jdbc.AuthContextMigrationTest;
import dev.consentry.store.jdbc.JdbcStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same contract on a real PostgreSQL (embedded binaries from Maven Central), one fresh database per test. */
class JdbcPostgresStoreTest extends StoreContract {
    static EmbeddedPostgres postgres;
    static final AtomicInteger databases = new AtomicInteger();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    protected Store newStore() {
        return newStore(TraceStore.DEFAULT_CAPACITY);
    }

    @Override
    protected Store newStore(int traceCapacity) {
        String name = "consentry_" + databases.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return JdbcStore.open(postgres.getJdbcUrl("postgres", name), "postgres", "postgres", traceCapacity);
    }

    @Test
    void rowsOfVersionFiveReadAsPasswordSignIns() throws SQLException {
        String name = "consentry_v5_" + databases.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        AuthContextMigrationTest.assertVersionFiveRowsReadAsPasswordSignIns(postgres.getDatabase("postgres", name),
                () -> JdbcStore.open(postgres.getJdbcUrl("postgres", name), "postgres", "postgres"));
    }

    @Test
    void aStoreThatRefusesTheUserOrLacksTheDatabaseFailsAtOnceInOneLine() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> JdbcStore.open(postgres.getJdbcUrl("nobody", "postgres"), null, null))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("the database refused the user name or password of jdbc:postgresql://")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> JdbcStore.open(postgres.getJdbcUrl("postgres", "no_such_database"), "postgres", "postgres"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("does not exist; create it first");
        assertThat(System.nanoTime() - started).isLessThan(java.time.Duration.ofSeconds(5).toNanos());
    }
}
