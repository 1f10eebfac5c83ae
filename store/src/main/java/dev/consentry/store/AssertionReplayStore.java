package dev.consentry.store;

import java.time.Instant;

/**
 * Remembers values that may be used once until they expire: client assertions ({@code jti} per client), so a replayed
 * assertion is refused (RFC 7523, section 3: the server may reject a reused JWT id), and authenticator codes (a
 * method's time step), so a code proves one sign-in only (RFC 6238, section 5.2). Callers keep their keys apart by a
 * prefix.
 */
public interface AssertionReplayStore {

    /**
     * Records {@code key} as used until {@code expiresAt}. Returns true the first time, false when the
     * key is already recorded and not yet expired at {@code now}. Entries expired at {@code now} may be
     * dropped during the call.
     */
    boolean firstUse(String key, Instant expiresAt, Instant now);
}
