package dev.consentry.store.jdbc;

import dev.consentry.core.audit.SignIn;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.SignInLogStore;
import java.time.Duration;
import java.util.List;

/** {@link SignInLogStore} on JDBC: one row per entry, pruned to the capacity and the retention in the writing transaction. */
final class JdbcSignInLog implements SignInLogStore {
    private final JdbcTenantLog<SignIn> log;

    JdbcSignInLog(Sql sql, int capacity, Duration retention) {
        this.log = new JdbcTenantLog<>(sql, "sign_in_log", SignIn.class, SignIn::id, SignIn::createdDateTime, capacity,
                retention);
    }

    @Override
    public void record(TenantId tenant, SignIn entry) {
        log.record(tenant, entry);
    }

    @Override
    public List<SignIn> recent(TenantId tenant, int max) {
        return log.recent(tenant, max);
    }
}
