package dev.consentry.store.jdbc;

import dev.consentry.core.key.LocalAuthority;
import dev.consentry.core.key.SigningKeyRecord;
import dev.consentry.core.key.SigningKeyRecord.KeyStatus;
import dev.consentry.store.LocalAuthorityStore;
import dev.consentry.store.SigningKeyStore;
import dev.consentry.store.StoreEvent;
import dev.consentry.store.StoreEvents;
import dev.consentry.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Token-signing keys and the local CA on JDBC. Changes to the key set are serialised across connections and nodes by
 * a row lock on {@code store_lock}; the local CA is stored once, by its primary key.
 */
final class JdbcKeys {
    private static final String KEY_COLUMNS = "SELECT kid, status, private_key, certificate, created_at FROM signing_key";

    private final Sql sql;
    private final StoreEvents events;
    // The stores this part serves, handed out by the store that assembles it.
    final SigningKeyStore signingKeys = new SigningKeys();
    final LocalAuthorityStore localAuthority = new Authority();

    /** {@code events} hears of each committed change to the signing keys. */
    JdbcKeys(Sql sql, StoreEvents events) {
        this.sql = sql;
        this.events = events;
    }

    private static SigningKeyRecord keyRow(ResultSet rs) throws SQLException {
        return new SigningKeyRecord(rs.getString(1), KeyStatus.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)));
    }

    /** Serialises key changes across connections and nodes (a row lock both H2 and PostgreSQL honour). */
    private static void lockKeys(Connection c) throws SQLException {
        Sql.query(c, "SELECT name FROM store_lock WHERE name = 'signing_key' FOR UPDATE", rs -> rs.getString(1));
    }

    private static void insertKey(Connection c, SigningKeyRecord k) throws SQLException {
        Sql.update(c, "INSERT INTO signing_key (kid, status, private_key, certificate, created_at) VALUES (?, ?, ?, ?, ?)",
                k.kid(), k.status().name(), k.privateKeyPkcs8(), k.certificate(), k.createdAt().toEpochMilli());
    }

    private final class SigningKeys implements SigningKeyStore {
        @Override
        public List<SigningKeyRecord> list() {
            return sql.tx("list signing keys", c -> Sql.query(c, KEY_COLUMNS + " ORDER BY created_at DESC, kid",
                    JdbcKeys::keyRow));
        }

        @Override
        public Optional<SigningKeyRecord> primary() {
            return sql.tx("read the primary signing key", c -> Sql.one(c, KEY_COLUMNS + " WHERE status = 'PRIMARY'",
                    JdbcKeys::keyRow));
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
            events.publish(new StoreEvent.SigningKeysChanged());
        }

        @Override
        public SigningKeyRecord initializeIfEmpty(SigningKeyRecord first) {
            boolean[] created = {false};
            SigningKeyRecord primary = sql.tx("create the first signing key", c -> {
                lockKeys(c);
                Optional<SigningKeyRecord> existing = Sql.one(c, KEY_COLUMNS + " WHERE status = 'PRIMARY'", JdbcKeys::keyRow);
                if (existing.isPresent()) {
                    return existing.get();
                }
                SigningKeyRecord record = first.withStatus(KeyStatus.PRIMARY);
                insertKey(c, record);
                created[0] = true;
                return record;
            });
            if (created[0]) {
                events.publish(new StoreEvent.SigningKeysChanged());
            }
            return primary;
        }
    }

    private final class Authority implements LocalAuthorityStore {
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

        @Override
        public void replace(LocalAuthority a) {
            sql.tx("replace the local CA", c -> {
                Sql.update(c, "DELETE FROM local_authority WHERE id = 1");
                return Sql.update(c, "INSERT INTO local_authority (id, certificate_pem, private_key_pem, created_at) VALUES (1, ?, ?, ?)",
                        a.certificatePem(), a.privateKeyPem(), a.createdAt().toEpochMilli());
            });
        }
    }
}
