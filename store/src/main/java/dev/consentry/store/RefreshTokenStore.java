package dev.consentry.store;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.RefreshTokenRecord;
import java.time.Instant;
import java.util.Optional;

/** Refresh tokens by hash, with their families (rotation and revocation). */
public interface RefreshTokenStore {

    /** Stores a newly issued token. */
    void save(RefreshTokenRecord token);

    /** The token with that hash; empty when unknown. */
    Optional<RefreshTokenRecord> find(String hash);

    /**
     * Replaces the token {@code hash} by {@code next} in one transaction, if and only if it is still the
     * family's current token (not replaced, not revoked): marks it replaced at {@code now} and stores
     * {@code next}. Returns false, changing nothing, when another redemption won the race.
     */
    boolean rotate(String hash, RefreshTokenRecord next, Instant now);

    /** Revokes every token of the family at {@code now} (no-op for tokens already revoked). */
    void revokeFamily(String familyId, Instant now);

    /** Revokes every token of a user in a tenant at {@code now} (sessions revoked, password reset). */
    void revokeUser(TenantId tenant, ObjectId userId, Instant now);
}
