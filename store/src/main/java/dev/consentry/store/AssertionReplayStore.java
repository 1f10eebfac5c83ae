package dev.consentry.store;

import java.time.Instant;

/**
 * Remembers client assertions ({@code jti} per client) until they expire, so a replayed assertion is
 * refused (RFC 7523, section 3: the server may reject a reused JWT id).
 */
public interface AssertionReplayStore {

    /**
     * Records {@code key} as used until {@code expiresAt}. Returns true the first time, false when the
     * key is already recorded and not yet expired at {@code now}. Entries expired at {@code now} may be
     * dropped during the call.
     */
    boolean firstUse(String key, Instant expiresAt, Instant now);
}
