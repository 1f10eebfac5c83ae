package dev.consentry.store.memory;

import dev.consentry.core.audit.SignIn;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.SignInLogStore;
import java.time.Duration;
import java.util.List;

/** {@link SignInLogStore} in memory: per tenant, a set ordered newest first, pruned to the capacity and the retention. */
final class MemorySignInLog implements SignInLogStore {
    private final MemoryTenantLog<SignIn> log;

    MemorySignInLog(int capacity, Duration retention) {
        this.log = new MemoryTenantLog<>(SignIn::id, SignIn::createdDateTime, capacity, retention);
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
