package dev.consentry.store.memory;

import dev.consentry.core.audit.SignIn;
import dev.consentry.core.directory.TenantSettings.LogRetention;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.SignInLogStore;
import java.util.function.Function;

/** {@link SignInLogStore} in memory: per tenant, a set ordered newest first, pruned to the tenant's retention. */
final class MemorySignInLog extends MemoryTenantLog<SignIn> implements SignInLogStore {
    MemorySignInLog(Function<TenantId, LogRetention> retention) {
        super(SignIn::id, SignIn::createdDateTime, retention);
    }
}
