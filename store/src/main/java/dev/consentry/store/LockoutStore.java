package dev.consentry.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Failed attempts per key, and the lock they set once they reach a threshold: Entra's smart lockout
 * (https://learn.microsoft.com/entra/identity/authentication/howto-password-smart-lockout; by default ten failures lock
 * for 60 seconds, and if the first attempt after a lockout also fails, the account locks again, for longer each time).
 * Callers keep their keys apart by a prefix.
 *
 * <p>Guaranteed: {@link #failed} is atomic per key across every node sharing the store, so racing failures are all
 * counted and lock exactly once; a lock lasts until its instant and is never shortened by a later failure.
 */
public interface LockoutStore {

    /** The instant {@code key} unlocks, when it is locked at {@code now}; empty otherwise. */
    Optional<Instant> lockedUntil(String key, Instant now);

    /**
     * Counts one failure of {@code key} at {@code now}. The {@code threshold}-th failure since the last success locks the
     * key for {@code lockFor}; once that lock has run out, the next failure locks it again, for {@link #lockDuration}
     * (twice as long each time since the last success). A failure while locked changes nothing.
     *
     * @return the instant the key unlocks when it is locked after this failure; empty when it is not
     */
    Optional<Instant> failed(String key, int threshold, Duration lockFor, Instant now);

    /** Forgets the failures of {@code key} (a success); a lock in force stays, since a locked key proves nothing. */
    void succeeded(String key, Instant now);

    /** How long the {@code lockout}-th lock since the last success lasts: {@code lockFor} doubled each time, up to 32 times. */
    static Duration lockDuration(Duration lockFor, int lockout) {
        return lockFor.multipliedBy(1L << Math.min(Math.max(lockout, 1) - 1, 5));
    }
}
