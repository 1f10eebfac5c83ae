package dev.consentry.store.memory;

import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.key.LocalAuthority;
import dev.consentry.core.key.SigningKeyRecord;
import dev.consentry.core.key.SigningKeyRecord.KeyStatus;
import dev.consentry.store.ApplicationStore;
import dev.consentry.store.AssertionReplayStore;
import dev.consentry.store.Kind;
import dev.consentry.store.LocalAuthorityStore;
import dev.consentry.store.SigningKeyStore;
import dev.consentry.store.DirectoryObjects;
import dev.consentry.store.RefreshTokenStore;
import dev.consentry.core.session.RefreshTokenRecord;
import dev.consentry.store.AuthorizationCodeStore;
import dev.consentry.core.session.AuthorizationCodeRecord;
import dev.consentry.store.SignInSessionStore;
import dev.consentry.core.session.SignInSession;
import dev.consentry.store.DeviceCodeStore;
import dev.consentry.core.session.DeviceCodeRecord;
import dev.consentry.core.session.DeviceCodeRecord.Status;
import dev.consentry.store.TenantStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A store in memory: each tenant is one immutable {@link TenantDirectory} snapshot with its lookup
 * indexes, swapped atomically on every write, so reads never lock and never see half a write. Writes
 * are serialised. Nothing survives the process; use it for tests and {@code serve --in-memory}.
 */
public final class InMemoryStore extends DirectoryObjects {
    private final Map<TenantId, IndexedTenant> tenants = new ConcurrentHashMap<>();
    private final List<SigningKeyRecord> keys = new ArrayList<>();
    private LocalAuthority authority;
    private final Map<String, Instant> usedAssertions = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    /** Per tenant: items by owner, kind and id (kept beside the tenant snapshot; a replace reseeds them). */
    private final Map<TenantId, Map<String, dev.consentry.core.workload.WorkloadItem>> workload = new ConcurrentHashMap<>();

    @Override
    public TenantStore tenants() {
        return new TenantStore() {
            @Override
            public void replace(TenantDirectory directory) {
                synchronized (writeLock) {
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    for (var domain : directory.verifiedDomains()) {
                        String name = domain.name().toLowerCase(java.util.Locale.ROOT);
                        if (!seen.add(name)) {
                            throw new IllegalArgumentException("the domain " + domain.name() + " already belongs to tenant "
                                    + directory.id() + " (listed twice)");
                        }
                        for (IndexedTenant other : tenants.values()) {
                            if (!other.tenant().id().equals(directory.id()) && other.tenant().hasDomain(name)) {
                                throw new IllegalArgumentException("the domain " + domain.name()
                                        + " already belongs to tenant " + other.tenant().id());
                            }
                        }
                    }
                    IndexedTenant indexed = new IndexedTenant(directory);
                    Map<String, dev.consentry.core.workload.WorkloadItem> items = new ConcurrentHashMap<>();
                    for (var user : directory.users()) {
                        for (var item : dev.consentry.core.workload.WorkloadItem.seedsOf(user)) {
                            items.put(workloadKey(item.owner(), item.kind(), item.id()), item);
                        }
                    }
                    tenants.put(directory.id(), indexed);
                    workload.put(directory.id(), items);
                }
            }

            @Override
            public Optional<TenantDirectory> export(TenantId id) {
                return Optional.ofNullable(tenants.get(id)).map(IndexedTenant::directory);
            }

            @Override
            public Optional<Tenant> find(TenantId id) {
                return Optional.ofNullable(tenants.get(id)).map(IndexedTenant::tenant);
            }

            @Override
            public Optional<Tenant> findByDomain(String domain) {
                for (IndexedTenant t : tenants.values()) {
                    if (t.tenant().hasDomain(domain)) {
                        return Optional.of(t.tenant());
                    }
                }
                return Optional.empty();
            }

            @Override
            public List<Tenant> list() {
                return tenants.values().stream().map(IndexedTenant::tenant).sorted(Comparator.comparing(Tenant::id)).toList();
            }

            @Override
            public boolean delete(TenantId id) {
                synchronized (writeLock) {
                    workload.remove(id);
                    return tenants.remove(id) != null;
                }
            }
        };
    }

    /** Reads and writes of one kind of object, on the tenant snapshots. */
    private final class Repo<T> implements Repository<T> {
        final Kind<T> kind;

        Repo(Kind<T> kind) {
            this.kind = kind;
        }

        Optional<IndexedTenant> tenant(TenantId id) {
            return Optional.ofNullable(tenants.get(id));
        }

        @Override
        public Optional<T> find(TenantId tenant, String id) {
            return tenant(tenant).flatMap(t -> t.find(kind, id));
        }

        @Override
        public List<T> list(TenantId tenant) {
            return tenant(tenant).map(t -> t.sorted(kind)).orElse(List.of());
        }

        @Override
        public List<T> byLookup(TenantId tenant, String key) {
            return tenant(tenant).map(t -> t.byLookup(kind, key)).orElse(List.of());
        }

        @Override
        public void save(TenantId tenant, T value) {
            synchronized (writeLock) {
                IndexedTenant t = tenants.get(tenant);
                if (t == null) {
                    throw new NoSuchElementException("no tenant " + tenant);
                }
                List<T> items = new ArrayList<>(kind.list().apply(t.directory()));
                String id = kind.id().apply(value);
                int at = -1;
                for (int i = 0; i < items.size() && at < 0; i++) {
                    if (kind.id().apply(items.get(i)).equalsIgnoreCase(id)) {
                        at = i;
                    }
                }
                if (at >= 0) {
                    items.set(at, value); // an update keeps the object's place, as the JDBC store does
                } else {
                    items.add(value);
                }
                tenants.put(tenant, new IndexedTenant(kind.with().apply(t.directory(), items)));
            }
        }

        @Override
        public boolean delete(TenantId tenant, String id) {
            synchronized (writeLock) {
                IndexedTenant t = tenants.get(tenant);
                if (t == null) {
                    return false;
                }
                List<T> items = new ArrayList<>(kind.list().apply(t.directory()));
                boolean removed = items.removeIf(x -> kind.id().apply(x).equalsIgnoreCase(id));
                if (removed) {
                    tenants.put(tenant, new IndexedTenant(kind.with().apply(t.directory(), items)));
                }
                return removed;
            }
        }
    }

    @Override
    protected <T> Repository<T> repository(Kind<T> kind) {
        return new Repo<>(kind);
    }

    @Override
    protected List<Group> groupsByMember(TenantId tenant, ObjectId member) {
        return list(Kind.GROUP, tenant).stream().filter(g -> g.members().contains(member)).toList();
    }

    @Override
    protected Optional<ApplicationStore.HomedApplication> applicationInAnyTenant(AppId appId) {
        return tenants.values().stream().sorted(Comparator.comparing(x -> x.tenant().id()))
                .flatMap(x -> x.byLookup(Kind.APPLICATION, appId.toString()).stream()
                        .map(a -> new ApplicationStore.HomedApplication(x.tenant().id(), a)))
                .findFirst();
    }

    @Override
    protected Optional<ServicePrincipal> servicePrincipalByName(TenantId tenant, String name) {
        return Optional.ofNullable(tenants.get(tenant)).flatMap(x -> x.servicePrincipalByName(name));
    }

    @Override
    public SigningKeyStore signingKeys() {
        return new SigningKeyStore() {
            @Override
            public List<SigningKeyRecord> list() {
                synchronized (keys) {
                    return keys.stream().sorted(Comparator.comparing(SigningKeyRecord::createdAt).reversed()).toList();
                }
            }

            @Override
            public Optional<SigningKeyRecord> primary() {
                synchronized (keys) {
                    return keys.stream().filter(k -> k.status() == KeyStatus.PRIMARY).findFirst();
                }
            }

            @Override
            public void rotate(SigningKeyRecord newPrimary, int keepPrevious) {
                synchronized (keys) {
                    keys.replaceAll(k -> k.status() == KeyStatus.PRIMARY ? k.withStatus(KeyStatus.PREVIOUS) : k);
                    keys.add(newPrimary.withStatus(KeyStatus.PRIMARY));
                    List<SigningKeyRecord> previous = keys.stream().filter(k -> k.status() == KeyStatus.PREVIOUS)
                            .sorted(Comparator.comparing(SigningKeyRecord::createdAt).reversed()).toList();
                    for (int i = keepPrevious; i < previous.size(); i++) {
                        String kid = previous.get(i).kid();
                        keys.replaceAll(k -> k.kid().equals(kid) ? k.withStatus(KeyStatus.RETIRED) : k);
                    }
                }
            }

            @Override
            public SigningKeyRecord initializeIfEmpty(SigningKeyRecord first) {
                synchronized (keys) {
                    if (keys.isEmpty()) {
                        keys.add(first.withStatus(KeyStatus.PRIMARY));
                    }
                    return primary().orElseThrow();
                }
            }
        };
    }

    @Override
    public LocalAuthorityStore localAuthority() {
        return new LocalAuthorityStore() {
            @Override
            public synchronized Optional<LocalAuthority> load() {
                synchronized (InMemoryStore.this) {
                    return Optional.ofNullable(authority);
                }
            }

            @Override
            public LocalAuthority initializeIfEmpty(LocalAuthority a) {
                synchronized (InMemoryStore.this) {
                    if (authority == null) {
                        authority = a;
                    }
                    return authority;
                }
            }
        };
    }

    @Override
    public AssertionReplayStore assertionReplay() {
        return (key, expiresAt, now) -> {
            if (usedAssertions.size() > 10_000) {
                usedAssertions.values().removeIf(exp -> !now.isBefore(exp));
            }
            boolean[] first = {false};
            usedAssertions.compute(key, (k, existing) -> {
                if (existing == null || !now.isBefore(existing)) {
                    first[0] = true;
                    return expiresAt;
                }
                return existing;
            });
            return first[0];
        };
    }

    private final Map<String, RefreshTokenRecord> refreshTokens = new ConcurrentHashMap<>();

    @Override
    public RefreshTokenStore refreshTokens() {
        return new RefreshTokenStore() {
            @Override
            public void save(RefreshTokenRecord token) {
                refreshTokens.put(token.hash(), token);
            }

            @Override
            public Optional<RefreshTokenRecord> find(String hash) {
                return Optional.ofNullable(refreshTokens.get(hash));
            }

            @Override
            public boolean rotate(String hash, RefreshTokenRecord next, Instant now) {
                synchronized (refreshTokens) {
                    RefreshTokenRecord old = refreshTokens.get(hash);
                    if (old == null || old.replacedAt() != null || old.revokedAt() != null) {
                        return false;
                    }
                    refreshTokens.put(hash, new RefreshTokenRecord(old.hash(), old.familyId(), old.tenant(), old.clientId(),
                            old.userId(), old.scope(), old.issuedAt(), old.lastUsedAt(), now, null));
                    refreshTokens.put(next.hash(), next);
                    return true;
                }
            }

            @Override
            public void revokeFamily(String familyId, Instant now) {
                synchronized (refreshTokens) {
                    refreshTokens.replaceAll((k, t) -> t.familyId().equals(familyId) && t.revokedAt() == null ? revoked(t, now) : t);
                }
            }

            @Override
            public void revokeUser(TenantId tenant, ObjectId userId, Instant now) {
                synchronized (refreshTokens) {
                    refreshTokens.replaceAll((k, t) -> t.tenant().equals(tenant) && t.userId().equals(userId)
                            && t.revokedAt() == null ? revoked(t, now) : t);
                }
            }
        };
    }

    private static RefreshTokenRecord revoked(RefreshTokenRecord t, Instant now) {
        return new RefreshTokenRecord(t.hash(), t.familyId(), t.tenant(), t.clientId(), t.userId(), t.scope(), t.issuedAt(),
                t.lastUsedAt(), t.replacedAt(), now);
    }

    private final Map<String, AuthorizationCodeRecord> authorizationCodes = new ConcurrentHashMap<>();

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return new AuthorizationCodeStore() {
            @Override
            public void save(AuthorizationCodeRecord code) {
                authorizationCodes.put(code.hash(), code);
            }

            @Override
            public Optional<AuthorizationCodeRecord> redeem(String hash, Instant now) {
                AtomicReference<AuthorizationCodeRecord> before = new AtomicReference<>();
                authorizationCodes.computeIfPresent(hash, (k, code) -> {
                    before.set(code);
                    return code.redeemedAt() != null ? code : new AuthorizationCodeRecord(code.hash(), code.tenant(),
                            code.clientId(), code.userId(), code.redirectUri(), code.scope(), code.codeChallenge(),
                            code.codeChallengeMethod(), code.nonce(), code.authTime(), code.issuedAt(), code.expiresAt(), now,
                            code.refreshFamilyId());
                });
                return Optional.ofNullable(before.get());
            }

            @Override
            public void linkRefreshFamily(String hash, String familyId) {
                authorizationCodes.computeIfPresent(hash, (k, code) -> new AuthorizationCodeRecord(code.hash(), code.tenant(),
                        code.clientId(), code.userId(), code.redirectUri(), code.scope(), code.codeChallenge(),
                        code.codeChallengeMethod(), code.nonce(), code.authTime(), code.issuedAt(), code.expiresAt(),
                        code.redeemedAt(), familyId));
            }

            @Override
            public int deleteExpired(Instant before) {
                AtomicInteger deleted = new AtomicInteger();
                for (String hash : authorizationCodes.keySet()) {
                    authorizationCodes.computeIfPresent(hash, (k, code) -> {
                        if (code.expiresAt().isBefore(before)) {
                            deleted.incrementAndGet();
                            return null;
                        }
                        return code;
                    });
                }
                return deleted.get();
            }
        };
    }

    /** Sign-in sessions by browser: each value an immutable list, most recently seen first. */
    private final Map<String, List<SignInSession>> signInSessions = new ConcurrentHashMap<>();

    private static final Comparator<SignInSession> MOST_RECENT_FIRST = Comparator.comparing(SignInSession::lastSeenAt)
            .reversed().thenComparing(s -> s.tenant().toString()).thenComparing(s -> s.userId().toString());

    @Override
    public SignInSessionStore signInSessions() {
        return new SignInSessionStore() {
            @Override
            public void save(SignInSession session) {
                signInSessions.compute(session.browserHash(), (k, sessions) -> {
                    List<SignInSession> next = new ArrayList<>();
                    if (sessions != null) {
                        sessions.stream().filter(s -> !sameAccount(s, session.tenant(), session.userId())).forEach(next::add);
                    }
                    next.add(session);
                    next.sort(MOST_RECENT_FIRST);
                    return List.copyOf(next);
                });
            }

            @Override
            public List<SignInSession> list(String browserHash) {
                return signInSessions.getOrDefault(browserHash, List.of());
            }

            @Override
            public void removeBrowser(String browserHash) {
                signInSessions.remove(browserHash);
            }

            @Override
            public void removeUser(TenantId tenant, ObjectId userId) {
                for (String browser : signInSessions.keySet()) {
                    signInSessions.computeIfPresent(browser, (k, sessions) -> {
                        List<SignInSession> kept = sessions.stream().filter(s -> !sameAccount(s, tenant, userId)).toList();
                        return kept.isEmpty() ? null : kept;
                    });
                }
            }
        };
    }

    private static boolean sameAccount(SignInSession s, TenantId tenant, ObjectId userId) {
        return s.tenant().equals(tenant) && s.userId().equals(userId);
    }

    private final Map<String, DeviceCodeRecord> deviceCodes = new ConcurrentHashMap<>();
    /** User code to device hash; written only inside its own {@code compute}, which also writes {@link #deviceCodes}. */
    private final Map<String, String> deviceUserCodes = new ConcurrentHashMap<>();

    private static String workloadKey(ObjectId owner, dev.consentry.core.workload.WorkloadItem.Kind kind, String id) {
        return owner + "/" + kind + "/" + id;
    }

    @Override
    public dev.consentry.store.WorkloadStore workload() {
        return new dev.consentry.store.WorkloadStore() {
            @Override
            public List<dev.consentry.core.workload.WorkloadItem> list(TenantId tenant, ObjectId owner,
                                                                       dev.consentry.core.workload.WorkloadItem.Kind kind) {
                return workload.getOrDefault(tenant, Map.of()).values().stream()
                        .filter(i -> i.owner().equals(owner) && i.kind() == kind)
                        .sorted(Comparator.comparing(dev.consentry.core.workload.WorkloadItem::createdDateTime).reversed()
                                .thenComparing(dev.consentry.core.workload.WorkloadItem::id))
                        .toList();
            }

            @Override
            public Optional<dev.consentry.core.workload.WorkloadItem> find(TenantId tenant, ObjectId owner,
                                                                           dev.consentry.core.workload.WorkloadItem.Kind kind, String id) {
                return Optional.ofNullable(workload.getOrDefault(tenant, Map.of()).get(workloadKey(owner, kind, id)));
            }

            @Override
            public void saveAll(TenantId tenant, List<dev.consentry.core.workload.WorkloadItem> items) {
                synchronized (writeLock) {
                    if (!tenants.containsKey(tenant)) {
                        throw new IllegalArgumentException("no tenant " + tenant);
                    }
                    Map<String, dev.consentry.core.workload.WorkloadItem> mine =
                            workload.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
                    for (var item : items) {
                        mine.put(workloadKey(item.owner(), item.kind(), item.id()), item);
                    }
                }
            }

            @Override
            public boolean delete(TenantId tenant, ObjectId owner, dev.consentry.core.workload.WorkloadItem.Kind kind, String id) {
                synchronized (writeLock) {
                    return workload.getOrDefault(tenant, new ConcurrentHashMap<>()).remove(workloadKey(owner, kind, id)) != null;
                }
            }
        };
    }

    @Override
    public DeviceCodeStore deviceCodes() {
        return new DeviceCodeStore() {
            @Override
            public void save(DeviceCodeRecord record) {
                deviceUserCodes.compute(record.userCode(), (code, heldBy) -> {
                    DeviceCodeRecord holder = heldBy == null ? null : deviceCodes.get(heldBy);
                    if (holder != null && holder.expiresAt().isAfter(record.issuedAt())) {
                        throw new IllegalArgumentException("the user code " + code + " is already in use");
                    }
                    if (deviceCodes.putIfAbsent(record.deviceHash(), record) != null) {
                        throw new IllegalArgumentException("the device code is already in use");
                    }
                    if (holder != null) {
                        deviceCodes.remove(heldBy, holder); // expired: it no longer holds the user code
                    }
                    return record.deviceHash();
                });
            }

            @Override
            public Optional<DeviceCodeRecord> findByUserCode(String userCode) {
                String hash = deviceUserCodes.get(userCode);
                return hash == null ? Optional.empty() : Optional.ofNullable(deviceCodes.get(hash));
            }

            @Override
            public Optional<DeviceCodeRecord> poll(String deviceHash, Instant now, boolean slowDown) {
                AtomicReference<DeviceCodeRecord> before = new AtomicReference<>();
                deviceCodes.computeIfPresent(deviceHash, (k, r) -> {
                    before.set(r);
                    return new DeviceCodeRecord(r.deviceHash(), r.userCode(), r.tenantPath(), r.clientId(), r.scope(),
                            r.issuedAt(), r.expiresAt(), r.intervalSeconds() + (slowDown ? 5 : 0), now, r.status(),
                            r.userTenant(), r.userId(), r.authTime());
                });
                return Optional.ofNullable(before.get());
            }

            @Override
            public boolean approve(String userCode, TenantId userTenant, ObjectId userId, Instant authTime) {
                String hash = deviceUserCodes.get(userCode);
                return hash != null && transition(hash, userCode, Status.PENDING, r -> new DeviceCodeRecord(r.deviceHash(),
                        r.userCode(), r.tenantPath(), r.clientId(), r.scope(), r.issuedAt(), r.expiresAt(), r.intervalSeconds(),
                        r.lastPolledAt(), Status.APPROVED, userTenant, userId, authTime));
            }

            @Override
            public boolean decline(String userCode) {
                String hash = deviceUserCodes.get(userCode);
                return hash != null && transition(hash, userCode, Status.PENDING, r -> withStatus(r, Status.DECLINED));
            }

            @Override
            public boolean redeem(String deviceHash) {
                return transition(deviceHash, null, Status.APPROVED, r -> withStatus(r, Status.REDEEMED));
            }

            @Override
            public int deleteExpired(Instant before) {
                AtomicInteger deleted = new AtomicInteger();
                for (String hash : deviceCodes.keySet()) {
                    AtomicReference<DeviceCodeRecord> gone = new AtomicReference<>();
                    deviceCodes.computeIfPresent(hash, (k, r) -> {
                        if (r.expiresAt().isBefore(before)) {
                            gone.set(r);
                            return null;
                        }
                        return r;
                    });
                    if (gone.get() != null) {
                        deleted.incrementAndGet();
                        deviceUserCodes.remove(gone.get().userCode(), hash);
                    }
                }
                return deleted.get();
            }
        };
    }

    /**
     * Replaces the authorization {@code hash} by {@code change} of it, in one atomic step, if it is in state
     * {@code from} (and, when {@code userCode} is not null, still has that user code); true when it did.
     */
    private boolean transition(String hash, String userCode, Status from,
                               java.util.function.UnaryOperator<DeviceCodeRecord> change) {
        boolean[] changed = {false};
        deviceCodes.computeIfPresent(hash, (k, r) -> {
            if (r.status() != from || (userCode != null && !r.userCode().equals(userCode))) {
                return r;
            }
            changed[0] = true;
            return change.apply(r);
        });
        return changed[0];
    }

    private static DeviceCodeRecord withStatus(DeviceCodeRecord r, Status status) {
        return new DeviceCodeRecord(r.deviceHash(), r.userCode(), r.tenantPath(), r.clientId(), r.scope(), r.issuedAt(),
                r.expiresAt(), r.intervalSeconds(), r.lastPolledAt(), status, r.userTenant(), r.userId(), r.authTime());
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
