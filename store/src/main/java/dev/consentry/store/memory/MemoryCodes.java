package dev.consentry.store.memory;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.AuthorizationCodeRecord;
import dev.consentry.core.session.DeviceCodeRecord;
import dev.consentry.core.session.DeviceCodeRecord.Status;
import dev.consentry.store.AssertionReplayStore;
import dev.consentry.store.AuthorizationCodeStore;
import dev.consentry.store.DeviceCodeStore;
import dev.consentry.store.LockoutStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Single-use things in memory: authorization codes, device authorizations, used client assertions and authenticator
 * codes, and failed attempts (smart lockout). Each change of
 * state is one atomic {@code compute} on a concurrent map, so racing redemptions have one winner.
 */
final class MemoryCodes {
    private final Map<String, Instant> usedAssertions = new ConcurrentHashMap<>();
    private final Map<String, AuthorizationCodeRecord> codes = new ConcurrentHashMap<>();
    private final Map<String, DeviceCodeRecord> devices = new ConcurrentHashMap<>();
    /** User code to device hash; written only inside its own {@code compute}, which also writes {@link #devices}. */
    private final Map<String, String> deviceUserCodes = new ConcurrentHashMap<>();

    // The stores this part serves, handed out by the store that assembles it.
    final AuthorizationCodeStore authorizationCodes = new AuthorizationCodes();
    final DeviceCodeStore deviceCodes = new DeviceCodes();
    final AssertionReplayStore assertionReplay = this::firstUse;
    final LockoutStore lockouts = new Lockouts();
    private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();

    /** Failures since the last success, the end of the lock they set (null when none was set), and the locks so far. */
    private record Attempts(int failures, Instant lockedUntil, int lockouts) {
        boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    private final class Lockouts implements LockoutStore {
        @Override
        public Optional<Instant> lockedUntil(String key, Instant now) {
            Attempts a = attempts.get(key);
            return a != null && a.lockedAt(now) ? Optional.of(a.lockedUntil()) : Optional.empty();
        }

        @Override
        public Optional<Instant> failed(String key, int threshold, Duration lockFor, Instant now) {
            Attempts after = attempts.compute(key, (k, a) -> {
                Attempts before = a == null ? new Attempts(0, null, 0) : a;
                if (before.lockedAt(now)) {
                    return before;
                }
                int failures = before.failures() + 1;
                // Locked: the count stays one short of the threshold, so the first failure after the lock locks again.
                int lockouts = before.lockouts() + 1;
                return failures >= threshold
                        ? new Attempts(threshold - 1, now.plus(LockoutStore.lockDuration(lockFor, lockouts)), lockouts)
                        : new Attempts(failures, null, before.lockouts());
            });
            return after.lockedAt(now) ? Optional.of(after.lockedUntil()) : Optional.empty();
        }

        @Override
        public void succeeded(String key, Instant now) {
            attempts.computeIfPresent(key, (k, a) -> a.lockedAt(now) ? a : null);
        }
    }

    // ---- used client assertions -------------------------------------------------------------------------

    private boolean firstUse(String key, Instant expiresAt, Instant now) {
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
    }

    // ---- authorization codes ------------------------------------------------------------------------------

    private final class AuthorizationCodes implements AuthorizationCodeStore {
        @Override
        public void save(AuthorizationCodeRecord code) {
            codes.put(code.hash(), code);
        }

        @Override
        public Optional<AuthorizationCodeRecord> redeem(String hash, Instant now) {
            AtomicReference<AuthorizationCodeRecord> before = new AtomicReference<>();
            codes.computeIfPresent(hash, (k, code) -> {
                before.set(code);
                return code.redeemedAt() != null ? code : new AuthorizationCodeRecord(code.hash(), code.tenant(),
                        code.clientId(), code.userId(), code.redirectUri(), code.scope(), code.codeChallenge(),
                        code.codeChallengeMethod(), code.nonce(), code.auth(), code.issuedAt(), code.expiresAt(), now,
                        code.refreshFamilyId());
            });
            return Optional.ofNullable(before.get());
        }

        @Override
        public void linkRefreshFamily(String hash, String familyId) {
            codes.computeIfPresent(hash, (k, code) -> new AuthorizationCodeRecord(code.hash(), code.tenant(),
                    code.clientId(), code.userId(), code.redirectUri(), code.scope(), code.codeChallenge(),
                    code.codeChallengeMethod(), code.nonce(), code.auth(), code.issuedAt(), code.expiresAt(),
                    code.redeemedAt(), familyId));
        }

        @Override
        public int deleteExpired(Instant before) {
            AtomicInteger deleted = new AtomicInteger();
            for (String hash : codes.keySet()) {
                codes.computeIfPresent(hash, (k, code) -> {
                    if (code.expiresAt().isBefore(before)) {
                        deleted.incrementAndGet();
                        return null;
                    }
                    return code;
                });
            }
            return deleted.get();
        }
    }

    // ---- device authorizations --------------------------------------------------------------------------

    private final class DeviceCodes implements DeviceCodeStore {
        @Override
        public void save(DeviceCodeRecord record) {
            deviceUserCodes.compute(record.userCode(), (code, heldBy) -> {
                DeviceCodeRecord holder = heldBy == null ? null : devices.get(heldBy);
                if (holder != null && holder.expiresAt().isAfter(record.issuedAt())) {
                    throw new IllegalArgumentException("the user code " + code + " is already in use");
                }
                if (devices.putIfAbsent(record.deviceHash(), record) != null) {
                    throw new IllegalArgumentException("the device code is already in use");
                }
                if (holder != null) {
                    devices.remove(heldBy, holder); // expired: it no longer holds the user code
                }
                return record.deviceHash();
            });
        }

        @Override
        public Optional<DeviceCodeRecord> findByUserCode(String userCode) {
            String hash = deviceUserCodes.get(userCode);
            return hash == null ? Optional.empty() : Optional.ofNullable(devices.get(hash));
        }

        @Override
        public Optional<DeviceCodeRecord> poll(String deviceHash, Instant now, boolean slowDown) {
            AtomicReference<DeviceCodeRecord> before = new AtomicReference<>();
            devices.computeIfPresent(deviceHash, (k, r) -> {
                before.set(r);
                return new DeviceCodeRecord(r.deviceHash(), r.userCode(), r.tenantPath(), r.clientId(), r.scope(),
                        r.issuedAt(), r.expiresAt(), r.intervalSeconds() + (slowDown ? 5 : 0), now, r.status(),
                        r.userTenant(), r.userId(), r.auth());
            });
            return Optional.ofNullable(before.get());
        }

        @Override
        public boolean approve(String userCode, TenantId userTenant, ObjectId userId, AuthContext auth) {
            Objects.requireNonNull(auth, "auth");
            String hash = deviceUserCodes.get(userCode);
            return hash != null && transition(hash, userCode, Status.PENDING, r -> new DeviceCodeRecord(r.deviceHash(),
                    r.userCode(), r.tenantPath(), r.clientId(), r.scope(), r.issuedAt(), r.expiresAt(), r.intervalSeconds(),
                    r.lastPolledAt(), Status.APPROVED, userTenant, userId, auth));
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
            for (String hash : devices.keySet()) {
                AtomicReference<DeviceCodeRecord> gone = new AtomicReference<>();
                devices.computeIfPresent(hash, (k, r) -> {
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
    }

    /**
     * Replaces the authorization {@code hash} by {@code change} of it, in one atomic step, if it is in state
     * {@code from} (and, when {@code userCode} is not null, still has that user code); true when it did.
     */
    private boolean transition(String hash, String userCode, Status from, UnaryOperator<DeviceCodeRecord> change) {
        boolean[] changed = {false};
        devices.computeIfPresent(hash, (k, r) -> {
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
                r.expiresAt(), r.intervalSeconds(), r.lastPolledAt(), status, r.userTenant(), r.userId(), r.auth());
    }
}
