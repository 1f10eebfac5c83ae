package dev.consentry.store.memory;

import dev.consentry.core.id.TenantId;
import dev.consentry.store.AssertionReplayStore;
import dev.consentry.store.AuthorizationCodeStore;
import dev.consentry.store.DeviceCodeStore;
import dev.consentry.store.DirectoryBackedStore;
import dev.consentry.store.LocalAuthorityStore;
import dev.consentry.store.RefreshTokenStore;
import dev.consentry.store.SignInSessionStore;
import dev.consentry.store.SigningKeyStore;
import dev.consentry.store.StoreEvents;
import dev.consentry.store.TraceStore;
import dev.consentry.store.WorkloadStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store in memory, one part per aggregate ({@link MemoryDirectory}, {@link MemoryKeys}, {@link MemoryCodes},
 * {@link MemorySessions}, {@link MemoryWorkload}, {@link MemoryTraces}), each built once. Nothing survives the process; use it for tests and
 * {@code serve --in-memory}.
 */
public final class InMemoryStore extends DirectoryBackedStore {
    private final StoreEvents events = StoreEvents.inProcess();
    private final MemoryDirectory directory;
    private final MemoryKeys keys = new MemoryKeys(events);
    private final MemoryCodes codes = new MemoryCodes();
    private final MemorySessions sessions = new MemorySessions();
    private final MemoryWorkload workload;
    private final MemoryTraces traces;

    /** A store that keeps the last {@link TraceStore#DEFAULT_CAPACITY} traces. */
    public InMemoryStore() {
        this(TraceStore.DEFAULT_CAPACITY);
    }

    /** A store that keeps the last {@code traceCapacity} traces (at least one). */
    public InMemoryStore(int traceCapacity) {
        this.traces = new MemoryTraces(traceCapacity);
        // A tenant and its workload items change together, under one lock.
        Object writeLock = new Object();
        Map<TenantId, IndexedTenant> tenants = new ConcurrentHashMap<>();
        this.workload = new MemoryWorkload(writeLock, tenants::containsKey);
        this.directory = new MemoryDirectory(tenants, writeLock, workload, events);
    }

    @Override
    protected MemoryDirectory directory() {
        return directory;
    }

    @Override
    public SigningKeyStore signingKeys() {
        return keys.signingKeys();
    }

    @Override
    public LocalAuthorityStore localAuthority() {
        return keys.localAuthority();
    }

    @Override
    public AssertionReplayStore assertionReplay() {
        return codes.assertionReplay();
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return sessions.refreshTokens();
    }

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return codes.authorizationCodes();
    }

    @Override
    public SignInSessionStore signInSessions() {
        return sessions.signInSessions();
    }

    @Override
    public DeviceCodeStore deviceCodes() {
        return codes.deviceCodes();
    }

    @Override
    public WorkloadStore workload() {
        return workload;
    }

    @Override
    public StoreEvents events() {
        return events;
    }

    @Override
    public TraceStore traces() {
        return traces;
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
