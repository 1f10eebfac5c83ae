package dev.consentry.store.memory;

import dev.consentry.core.id.TenantId;
import dev.consentry.store.AssembledStore;
import dev.consentry.store.StoreEvents;
import dev.consentry.store.TenantLog;
import dev.consentry.store.TraceStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store in memory, one part per aggregate ({@link MemoryDirectory}, {@link MemoryKeys}, {@link MemoryCodes},
 * {@link MemorySessions}, {@link MemoryWorkload}, {@link MemoryTraces}), each built once. Nothing survives the process;
 * use it for tests and {@code serve --in-memory}.
 */
public final class InMemoryStore extends AssembledStore {

    /** A store that keeps the last {@link TraceStore#DEFAULT_CAPACITY} traces. */
    public InMemoryStore() {
        this(TraceStore.DEFAULT_CAPACITY);
    }

    /** A store that keeps the last {@code traceCapacity} traces (at least one). */
    public InMemoryStore(int traceCapacity) {
        super(parts(StoreEvents.inProcess(), new MemoryTraces(traceCapacity)));
    }

    private static Parts parts(StoreEvents events, MemoryTraces traces) {
        // A tenant and its workload items change together, under one lock.
        Object writeLock = new Object();
        Map<TenantId, IndexedTenant> tenants = new ConcurrentHashMap<>();
        MemoryWorkload workload = new MemoryWorkload(writeLock, tenants::containsKey);
        MemoryKeys keys = new MemoryKeys(events);
        MemoryCodes codes = new MemoryCodes();
        MemorySessions sessions = new MemorySessions();
        MemoryDirectory directory = new MemoryDirectory(tenants, writeLock, workload, events);
        var retention = TenantLog.retentionOf(directory.tenants());
        return new Parts(directory, keys.signingKeys,
                keys.localAuthority, codes.assertionReplay, codes.lockouts, codes.authorizationCodes, codes.deviceCodes,
                sessions.refreshTokens, sessions.signInSessions, workload, events, traces,
                new MemoryAudit(retention), new MemorySignInLog(retention));
    }

    @Override
    public String description() {
        return "in memory (nothing is kept after exit)";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
