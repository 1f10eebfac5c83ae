package dev.consentry.store.jdbc;

import dev.consentry.core.audit.SignIn;
import dev.consentry.store.SignInLogStore;
import java.time.Duration;

/** {@link SignInLogStore} on JDBC: one row per entry, pruned to the capacity and the retention in the writing transaction. */
final class JdbcSignInLog extends JdbcTenantLog<SignIn> implements SignInLogStore {
    JdbcSignInLog(Sql sql, int capacity, Duration retention) {
        super(sql, "sign_in_log", SignIn.class, SignIn::id, SignIn::createdDateTime, capacity, retention);
    }
}
