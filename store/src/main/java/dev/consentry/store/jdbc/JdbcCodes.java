package dev.consentry.store.jdbc;

import static dev.consentry.store.jdbc.Sql.instant;
import static dev.consentry.store.jdbc.Sql.millis;

import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.AuthorizationCodeRecord;
import dev.consentry.core.session.DeviceCodeRecord;
import dev.consentry.store.AssertionReplayStore;
import dev.consentry.store.AuthorizationCodeStore;
import dev.consentry.store.DeviceCodeStore;
import dev.consentry.store.LockoutStore;
import dev.consentry.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-use things on JDBC: authorization codes, device authorizations and used client assertions. Each change of
 * state is one conditional statement (or a row lock and one), so two nodes racing on one code have one winner.
 */
final class JdbcCodes {
    private static final String CODE_COLUMNS = "SELECT hash, tenant_id, client_id, user_id, redirect_uri, scope, code_challenge,"
            + " code_challenge_method, nonce, auth_time, issued_at, expires_at, redeemed_at, refresh_family_id, amr, acrs,"
            + " device_id FROM authorization_code";
    private static final String DEVICE_COLUMNS = "SELECT device_hash, user_code, tenant_path, client_id, scope, issued_at,"
            + " expires_at, interval_seconds, last_polled_at, status, user_tenant_id, user_id, auth_time, amr, acrs, device_id"
            + " FROM device_code";

    private final Sql sql;
    private final AtomicLong replayCalls = new AtomicLong();
    // The stores this part serves, handed out by the store that assembles it.
    final AuthorizationCodeStore authorizationCodes = new AuthorizationCodes();
    final DeviceCodeStore deviceCodes = new DeviceCodes();
    final AssertionReplayStore assertionReplay = this::firstUse;
    final LockoutStore lockouts = new Lockouts();

    JdbcCodes(Sql sql) {
        this.sql = sql;
    }

    // ---- used client assertions -------------------------------------------------------------------------

    private boolean firstUse(String key, Instant expiresAt, Instant now) {
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
    }

    // ---- failed attempts (smart lockout) ------------------------------------------------------------------

    private final class Lockouts implements LockoutStore {
        @Override
        public Optional<Instant> lockedUntil(String key, Instant now) {
            return sql.tx("read a lockout", c -> Sql.one(c, "SELECT locked_until FROM sign_in_lockout WHERE lockout_key = ?"
                    + " AND locked_until > ?", rs -> instant(rs, 1), key, now.toEpochMilli()));
        }

        @Override
        public Optional<Instant> failed(String key, int threshold, Duration lockFor, Instant now) {
            try {
                sql.tx("start counting failures", c -> Sql.update(c, "INSERT INTO sign_in_lockout (lockout_key, failures)"
                        + " VALUES (?, 0)", key));
            } catch (StoreException e) {
                if (!(e.getCause() instanceof SQLException s && Sql.isDuplicate(s))) {
                    throw e;
                }
            }
            // The row lock serialises racing failures of one key, on every node.
            return sql.tx("count a failure", c -> {
                long[] row = Sql.one(c, "SELECT failures, COALESCE(locked_until, 0), lockouts FROM sign_in_lockout"
                        + " WHERE lockout_key = ? FOR UPDATE", rs -> new long[] {rs.getInt(1), rs.getLong(2), rs.getInt(3)}, key)
                        .orElseThrow();
                if (row[1] > now.toEpochMilli()) {
                    return Optional.of(Instant.ofEpochMilli(row[1]));
                }
                int failures = (int) row[0] + 1;
                if (failures < threshold) {
                    Sql.update(c, "UPDATE sign_in_lockout SET failures = ?, locked_until = NULL WHERE lockout_key = ?",
                            failures, key);
                    return Optional.empty();
                }
                // Locked: the count stays one short of the threshold, so the first failure after the lock locks again.
                Instant until = now.plus(LockoutStore.lockDuration(lockFor, (int) row[2] + 1));
                Sql.update(c, "UPDATE sign_in_lockout SET failures = ?, locked_until = ?, lockouts = ? WHERE lockout_key = ?",
                        threshold - 1, until.toEpochMilli(), (int) row[2] + 1, key);
                return Optional.of(until);
            });
        }

        @Override
        public void succeeded(String key, Instant now) {
            // Read first: a success with nothing to forget (nearly every sign-in) writes nothing, so it costs no commit.
            boolean counted = sql.tx("read failures", c -> Sql.one(c, "SELECT 1 FROM sign_in_lockout WHERE lockout_key = ?",
                    rs -> rs.getInt(1), key)).isPresent();
            if (counted) {
                sql.tx("forget failures", c -> Sql.update(c, "DELETE FROM sign_in_lockout WHERE lockout_key = ?"
                        + " AND (locked_until IS NULL OR locked_until <= ?)", key, now.toEpochMilli()));
            }
        }
    }

    // ---- authorization codes ------------------------------------------------------------------------------

    private static AuthorizationCodeRecord codeRow(ResultSet rs) throws SQLException {
        return new AuthorizationCodeRecord(rs.getString(1), TenantId.of(rs.getString(2)), AppId.of(rs.getString(3)),
                ObjectId.of(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), AuthColumns.read(rs, 15, 16, 17, 10), instant(rs, 11), instant(rs, 12), instant(rs, 13),
                rs.getString(14));
    }

    private final class AuthorizationCodes implements AuthorizationCodeStore {
        @Override
        public void save(AuthorizationCodeRecord code) {
            sql.tx("store an authorization code", c -> Sql.update(c, "INSERT INTO authorization_code (hash, tenant_id,"
                            + " client_id, user_id, redirect_uri, scope, code_challenge, code_challenge_method, nonce, auth_time,"
                            + " issued_at, expires_at, redeemed_at, refresh_family_id, amr, acrs, device_id)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    code.hash(), code.tenant().toString(), code.clientId().toString(), code.userId().toString(),
                    code.redirectUri(), code.scope(), code.codeChallenge(), code.codeChallengeMethod(), code.nonce(),
                    AuthColumns.authTime(code.auth()), millis(code.issuedAt()), millis(code.expiresAt()),
                    millis(code.redeemedAt()), code.refreshFamilyId(), AuthColumns.amr(code.auth()),
                    AuthColumns.acrs(code.auth()), AuthColumns.deviceId(code.auth())));
        }

        @Override
        public Optional<AuthorizationCodeRecord> redeem(String hash, Instant now) {
            return sql.tx("redeem an authorization code", c -> {
                Optional<AuthorizationCodeRecord> before = Sql.one(c, CODE_COLUMNS + " WHERE hash = ? FOR UPDATE",
                        JdbcCodes::codeRow, hash);
                if (before.isEmpty()) {
                    return before;
                }
                int changed = Sql.update(c, "UPDATE authorization_code SET redeemed_at = ? WHERE hash = ? AND redeemed_at IS NULL",
                        now.toEpochMilli(), hash);
                if (changed == 1 || before.get().redeemedAt() != null) {
                    return before;
                }
                // the update lost to another redemption the read did not see: answer with the redeemed row
                return Sql.one(c, CODE_COLUMNS + " WHERE hash = ?", JdbcCodes::codeRow, hash);
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
    }

    // ---- device authorizations --------------------------------------------------------------------------

    private static DeviceCodeRecord deviceRow(ResultSet rs) throws SQLException {
        String userTenant = rs.getString(11);
        String userId = rs.getString(12);
        return new DeviceCodeRecord(rs.getString(1), rs.getString(2), rs.getString(3), AppId.of(rs.getString(4)),
                rs.getString(5), instant(rs, 6), instant(rs, 7), rs.getInt(8), instant(rs, 9),
                DeviceCodeRecord.Status.valueOf(rs.getString(10)), userTenant == null ? null : TenantId.of(userTenant),
                userId == null ? null : ObjectId.of(userId), AuthColumns.read(rs, 14, 15, 16, 13));
    }

    private final class DeviceCodes implements DeviceCodeStore {
        @Override
        public void save(DeviceCodeRecord r) {
            sql.tx("store a device authorization", c -> {
                // an expired authorization no longer holds its user code
                Sql.update(c, "DELETE FROM device_code WHERE user_code = ? AND expires_at <= ?", r.userCode(),
                        r.issuedAt().toEpochMilli());
                try {
                    Sql.update(c, "INSERT INTO device_code (device_hash, user_code, tenant_path, client_id, scope, issued_at,"
                                    + " expires_at, interval_seconds, last_polled_at, status, user_tenant_id, user_id, auth_time,"
                                    + " amr, acrs, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            r.deviceHash(), r.userCode(), r.tenantPath(), r.clientId().toString(), r.scope(),
                            millis(r.issuedAt()), millis(r.expiresAt()), r.intervalSeconds(), millis(r.lastPolledAt()),
                            r.status().name(), r.userTenant() == null ? null : r.userTenant().toString(),
                            r.userId() == null ? null : r.userId().toString(), AuthColumns.authTime(r.auth()),
                            AuthColumns.amr(r.auth()), AuthColumns.acrs(r.auth()), AuthColumns.deviceId(r.auth()));
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
                    JdbcCodes::deviceRow, userCode));
        }

        @Override
        public Optional<DeviceCodeRecord> poll(String deviceHash, Instant now, boolean slowDown) {
            return sql.tx("record a device code poll", c -> {
                Optional<DeviceCodeRecord> before = Sql.one(c, DEVICE_COLUMNS + " WHERE device_hash = ? FOR UPDATE",
                        JdbcCodes::deviceRow, deviceHash);
                if (before.isPresent()) {
                    Sql.update(c, "UPDATE device_code SET last_polled_at = ?, interval_seconds = interval_seconds + ?"
                            + " WHERE device_hash = ?", now.toEpochMilli(), slowDown ? 5 : 0, deviceHash);
                }
                return before;
            });
        }

        @Override
        public boolean approve(String userCode, TenantId userTenant, ObjectId userId, AuthContext auth) {
            Objects.requireNonNull(auth, "auth");
            return sql.tx("approve a device authorization", c -> Sql.update(c, "UPDATE device_code SET status = ?,"
                            + " user_tenant_id = ?, user_id = ?, auth_time = ?, amr = ?, acrs = ?, device_id = ?"
                            + " WHERE user_code = ? AND status = ?",
                    DeviceCodeRecord.Status.APPROVED.name(), userTenant.toString(), userId.toString(),
                    AuthColumns.authTime(auth), AuthColumns.amr(auth), AuthColumns.acrs(auth), AuthColumns.deviceId(auth),
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
    }
}
