package dev.consentry.store.jdbc;

import dev.consentry.core.audit.SignIn;
import dev.consentry.core.directory.TenantSettings.LogRetention;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.SignInLogStore;
import java.util.function.Function;

/** {@link SignInLogStore} on JDBC: one row per entry, pruned to the tenant's retention in the writing transaction. */
final class JdbcSignInLog extends JdbcTenantLog<SignIn> implements SignInLogStore {
    JdbcSignInLog(Sql sql, Function<TenantId, LogRetention> retention) {
        super(sql, "sign_in_log", SignIn.class, SignIn::id, SignIn::createdDateTime, retention);
    }
}
