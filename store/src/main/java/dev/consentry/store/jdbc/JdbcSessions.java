package dev.consentry.store.jdbc;

import static dev.consentry.store.jdbc.Sql.instant;
import static dev.consentry.store.jdbc.Sql.millis;

import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.RefreshTokenRecord;
import dev.consentry.core.session.SignInSession;
import dev.consentry.store.RefreshTokenStore;
import dev.consentry.store.SignInSessionStore;
import dev.consentry.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What keeps a user signed in, on JDBC: refresh tokens (rotated once, revoked by family or user) and browser sessions. */
final class JdbcSessions {
    private static final String TOKEN_COLUMNS = "SELECT hash, family_id, tenant_id, client_id, user_id, scope, issued_at,"
            + " last_used_at, replaced_at, revoked_at, amr, acrs, device_id, auth_time FROM refresh_token";

    private final Sql sql;
    // The stores this part serves, handed out by the store that assembles it.
    final RefreshTokenStore refreshTokens = new RefreshTokens();
    final SignInSessionStore signInSessions = new SignInSessions();

    JdbcSessions(Sql sql) {
        this.sql = sql;
    }

    // ---- refresh tokens -------------------------------------------------------------------------------------

    private static RefreshTokenRecord tokenRow(ResultSet rs) throws SQLException {
        return new RefreshTokenRecord(rs.getString(1), rs.getString(2), TenantId.of(rs.getString(3)), AppId.of(rs.getString(4)),
                ObjectId.of(rs.getString(5)), AuthColumns.read(rs, 11, 12, 13, 14), rs.getString(6),
                Instant.ofEpochMilli(rs.getLong(7)),
                Instant.ofEpochMilli(rs.getLong(8)), instant(rs, 9), instant(rs, 10));
    }

    private static void insertToken(Connection c, RefreshTokenRecord t) throws SQLException {
        Sql.update(c, "INSERT INTO refresh_token (hash, family_id, tenant_id, client_id, user_id, scope, issued_at, last_used_at,"
                        + " replaced_at, revoked_at, amr, acrs, device_id, auth_time)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.hash(), t.familyId(), t.tenant().toString(), t.clientId().toString(), t.userId().toString(), t.scope(),
                t.issuedAt().toEpochMilli(), t.lastUsedAt().toEpochMilli(), millis(t.replacedAt()), millis(t.revokedAt()),
                AuthColumns.amr(t.auth()), AuthColumns.acrs(t.auth()), AuthColumns.deviceId(t.auth()),
                AuthColumns.authTime(t.auth()));
    }

    private final class RefreshTokens implements RefreshTokenStore {
        @Override
        public void save(RefreshTokenRecord token) {
            sql.tx("store a refresh token", c -> {
                insertToken(c, token);
                return null;
            });
        }

        @Override
        public Optional<RefreshTokenRecord> find(String hash) {
            return sql.tx("read a refresh token", c -> Sql.one(c, TOKEN_COLUMNS + " WHERE hash = ?", JdbcSessions::tokenRow, hash));
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
    }

    // ---- sign-in sessions -------------------------------------------------------------------------------------

    private final class SignInSessions implements SignInSessionStore {
        @Override
        public void save(SignInSession s) {
            String tenant = s.tenant().toString();
            String user = s.userId().toString();
            Sql.Work<Integer> update = c -> Sql.update(c, "UPDATE sign_in_session SET auth_time = ?, amr = ?, acrs = ?,"
                            + " device_id = ?, last_seen_at = ? WHERE browser_hash = ? AND tenant_id = ? AND user_id = ?",
                    AuthColumns.authTime(s.auth()), AuthColumns.amr(s.auth()), AuthColumns.acrs(s.auth()),
                    AuthColumns.deviceId(s.auth()), millis(s.lastSeenAt()), s.browserHash(), tenant, user);
            try {
                sql.tx("store a sign-in session", c -> {
                    if (update.run(c) == 0) {
                        Sql.update(c, "INSERT INTO sign_in_session (browser_hash, tenant_id, user_id, auth_time, amr, acrs,"
                                + " device_id, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s.browserHash(), tenant, user,
                                AuthColumns.authTime(s.auth()), AuthColumns.amr(s.auth()), AuthColumns.acrs(s.auth()),
                                AuthColumns.deviceId(s.auth()), millis(s.lastSeenAt()));
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
                            + " last_seen_at, amr, acrs, device_id FROM sign_in_session WHERE browser_hash = ?"
                            + " ORDER BY last_seen_at DESC, tenant_id, user_id",
                    rs -> new SignInSession(rs.getString(1), TenantId.of(rs.getString(2)), ObjectId.of(rs.getString(3)),
                            AuthColumns.read(rs, 6, 7, 8, 4), instant(rs, 5)), browserHash));
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
    }
}
