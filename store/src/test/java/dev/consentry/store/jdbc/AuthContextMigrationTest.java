package dev.consentry.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Rows written before the sign-in context was stored (schema version 5) still work after V6: sessions, codes and
 * approved device authorizations read as password sign-ins at their recorded time, a pending device authorization has
 * no context, and every token of a refresh token family reads as signed in when the family's earliest stored token
 * was issued. Runs here on H2; {@code JdbcPostgresStoreTest} runs {@link #assertVersionFiveRowsReadAsPasswordSignIns}
 * on PostgreSQL.
 */
public class AuthContextMigrationTest {
    static final String TENANT = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String USER = "aaaaaaaa-0000-4000-8000-0000000000a1";
    static final String CLIENT = "aaaaaaaa-0000-4000-8000-0000000000c2";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void rowsOfVersionFiveReadAsPasswordSignInsOnH2() throws SQLException {
        String url = "jdbc:h2:mem:auth-context-migration;DB_CLOSE_DELAY=-1";
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        assertVersionFiveRowsReadAsPasswordSignIns(ds, () -> JdbcStore.open(url, "sa", ""));
    }

    /**
     * Migrates the empty database behind {@code ds} to version 5, writes rows as version 5 did, then opens it with
     * {@code open} (which migrates it to the newest version) and checks what the rows read as.
     */
    public static void assertVersionFiveRowsReadAsPasswordSignIns(DataSource ds, Supplier<Store> open) throws SQLException {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("5").load().migrate();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO sign_in_session (browser_hash, tenant_id, user_id, auth_time, last_seen_at)"
                    + " VALUES ('b1', '" + TENANT + "', '" + USER + "', " + millis(10) + ", " + millis(20) + ")");
            s.execute("INSERT INTO authorization_code (hash, tenant_id, client_id, user_id, redirect_uri, scope, auth_time,"
                    + " issued_at, expires_at) VALUES ('c1', '" + TENANT + "', '" + CLIENT + "', '" + USER + "',"
                    + " 'http://localhost', 'openid', " + millis(30) + ", " + millis(31) + ", " + millis(600) + ")");
            s.execute("INSERT INTO device_code (device_hash, user_code, tenant_path, client_id, scope, issued_at, expires_at,"
                    + " interval_seconds, status, user_tenant_id, user_id, auth_time) VALUES ('d1', 'APPROVED1', 'common', '"
                    + CLIENT + "', 'openid', " + millis(0) + ", " + millis(900) + ", 5, 'APPROVED', '" + TENANT + "', '"
                    + USER + "', " + millis(40) + ")");
            s.execute("INSERT INTO device_code (device_hash, user_code, tenant_path, client_id, scope, issued_at, expires_at,"
                    + " interval_seconds, status) VALUES ('d2', 'PENDING22', 'common', '" + CLIENT + "', 'openid', "
                    + millis(0) + ", " + millis(900) + ", 5, 'PENDING')");
            // Family f1: its first token (issued at 100 s) was rotated into a second one at 200 s. Family f2 is alone.
            s.execute("INSERT INTO refresh_token (hash, family_id, tenant_id, client_id, user_id, scope, issued_at,"
                    + " last_used_at, replaced_at) VALUES ('r1', 'f1', '" + TENANT + "', '" + CLIENT + "', '" + USER
                    + "', 'openid', " + millis(100) + ", " + millis(100) + ", " + millis(200) + ")");
            s.execute("INSERT INTO refresh_token (hash, family_id, tenant_id, client_id, user_id, scope, issued_at,"
                    + " last_used_at) VALUES ('r2', 'f1', '" + TENANT + "', '" + CLIENT + "', '" + USER + "', 'openid', "
                    + millis(200) + ", " + millis(200) + ")");
            s.execute("INSERT INTO refresh_token (hash, family_id, tenant_id, client_id, user_id, scope, issued_at,"
                    + " last_used_at) VALUES ('r3', 'f2', '" + TENANT + "', '" + CLIENT + "', '" + USER + "', 'openid', "
                    + millis(300) + ", " + millis(300) + ")");
        }

        try (Store store = open.get()) {
            assertThat(store.signInSessions().list("b1")).singleElement()
                    .satisfies(session -> assertThat(session.auth()).isEqualTo(AuthContext.password(T0.plusSeconds(10))));
            assertThat(store.authorizationCodes().redeem("c1", T0.plusSeconds(60)).orElseThrow().auth())
                    .isEqualTo(AuthContext.password(T0.plusSeconds(30)));
            assertThat(store.deviceCodes().findByUserCode("APPROVED1").orElseThrow().auth())
                    .isEqualTo(AuthContext.password(T0.plusSeconds(40)));
            assertThat(store.deviceCodes().findByUserCode("PENDING22").orElseThrow().auth()).isNull();
            assertThat(store.refreshTokens().find("r1").orElseThrow().auth()).isEqualTo(AuthContext.password(T0.plusSeconds(100)));
            assertThat(store.refreshTokens().find("r2").orElseThrow().auth()).as("the family's sign-in, not the rotation")
                    .isEqualTo(AuthContext.password(T0.plusSeconds(100)));
            assertThat(store.refreshTokens().find("r3").orElseThrow().auth()).isEqualTo(AuthContext.password(T0.plusSeconds(300)));

            // and the migrated rows take new contexts like any other
            AuthContext stepUp = new AuthContext(List.of("pwd", "mfa"), List.of("c1"), null, T0);
            assertThat(store.deviceCodes().approve("PENDING22", TenantId.of(TENANT), ObjectId.of(USER), stepUp)).isTrue();
            assertThat(store.deviceCodes().findByUserCode("PENDING22").orElseThrow().auth()).isEqualTo(stepUp);
        }
    }

    private static long millis(long seconds) {
        return T0.plusSeconds(seconds).toEpochMilli();
    }
}
