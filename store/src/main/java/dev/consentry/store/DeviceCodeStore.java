package dev.consentry.store;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.DeviceCodeRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * Device authorizations (RFC 8628). Every state change is one atomic step that succeeds only from the
 * state it names, so two nodes, or two polls, never both redeem one authorization.
 */
public interface DeviceCodeStore {

    /** Stores a new authorization; the user code must not be in use by an unexpired one. */
    void save(DeviceCodeRecord record);

    /** The authorization with that user code (compared exactly); empty when none. */
    Optional<DeviceCodeRecord> findByUserCode(String userCode);

    /**
     * Records a poll at {@code now} and, when {@code slowDown} is true, adds 5 seconds to the interval.
     * Returns the record as it was before this call; empty when no authorization has that hash.
     */
    Optional<DeviceCodeRecord> poll(String deviceHash, Instant now, boolean slowDown);

    /**
     * PENDING to APPROVED by that user, whose sign-in proved {@code auth} (not null), kept in the record for the
     * tokens; false, changing nothing, from any other state.
     */
    boolean approve(String userCode, TenantId userTenant, ObjectId userId, AuthContext auth);

    /** PENDING to DECLINED; false, changing nothing, from any other state. */
    boolean decline(String userCode);

    /** APPROVED to REDEEMED; false, changing nothing, from any other state. */
    boolean redeem(String deviceHash);

    /** Deletes authorizations that expired before {@code before}; returns how many. */
    int deleteExpired(Instant before);
}
