package dev.consentry.store.memory;

import dev.consentry.core.audit.SignIn;
import dev.consentry.store.SignInLogStore;
import java.time.Duration;

/** {@link SignInLogStore} in memory: per tenant, a set ordered newest first, pruned to the capacity and the retention. */
final class MemorySignInLog extends MemoryTenantLog<SignIn> implements SignInLogStore {
    MemorySignInLog(int capacity, Duration retention) {
        super(SignIn::id, SignIn::createdDateTime, capacity, retention);
    }
}
