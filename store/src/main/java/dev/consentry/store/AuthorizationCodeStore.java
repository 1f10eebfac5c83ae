package dev.consentry.store;

import dev.consentry.core.session.AuthorizationCodeRecord;
import java.time.Instant;
import java.util.Optional;

/** Authorization codes by hash, redeemed at most once across every node sharing the store. */
public interface AuthorizationCodeStore {

    /** Stores a newly issued code. */
    void save(AuthorizationCodeRecord code);

    /**
     * Redeems the code {@code hash} in one atomic step: if it was not yet redeemed, marks it redeemed at
     * {@code now}. Returns the record as it was <em>before</em> this call, so a {@code redeemedAt} of null
     * means this call won the redemption and any other value means the code was already spent. Empty when
     * no code has that hash.
     */
    Optional<AuthorizationCodeRecord> redeem(String hash, Instant now);

    /** Records the refresh token family issued from the code, so a replay can revoke it. */
    void linkRefreshFamily(String hash, String familyId);

    /** Deletes codes that expired before {@code before}; returns how many. */
    int deleteExpired(Instant before);
}
