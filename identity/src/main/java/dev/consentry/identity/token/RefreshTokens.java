package dev.consentry.identity.token;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.EntraTime;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.Digests;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.RefreshTokenRecord;
import dev.consentry.store.RefreshTokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Refresh tokens: opaque random values, stored only as hashes, in families that rotate on every use.
 *
 * <p>Guaranteed: a token is redeemed at most once (a second redemption revokes its family, AADSTS50173);
 * a family unused for {@link #MAX_INACTIVE} expires (AADSTS700082); a token works only for the client it
 * was issued to; every token of a family carries the {@link AuthContext} of the sign-in that started it, which a
 * rotation never changes. Time comes from the caller's clock.
 */
public final class RefreshTokens {
    /** Entra's refresh tokens expire after 90 days without use. */
    public static final Duration MAX_INACTIVE = Duration.ofDays(90);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final RefreshTokenStore store;

    public RefreshTokens(RefreshTokenStore store) {
        this.store = store;
    }

    /** A token and its stored record. */
    public record Issued(String token, RefreshTokenRecord record) {}

    /** A new token of a sign-in that proved {@code auth}: the first of a new family when {@code familyId} is null. */
    public Issued create(TenantId tenant, AppId client, ObjectId user, AuthContext auth, String scope, String familyId,
                         Instant now) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = "1." + Digests.base64Url(random);
        RefreshTokenRecord record = new RefreshTokenRecord(hash(token), familyId == null ? UUID.randomUUID().toString() : familyId,
                tenant, client, user, auth, scope, now, now, null, null);
        return new Issued(token, record);
    }

    /** Issues a new family's first token, for a sign-in that proved {@code auth}. */
    public String issue(TenantId tenant, AppId client, ObjectId user, AuthContext auth, String scope, Instant now) {
        Issued issued = create(tenant, client, user, auth, scope, null, now);
        store.save(issued.record());
        return issued.token();
    }

    /** Checks a presented token for {@code client}; returns its record. Throws a {@code FailureException}. */
    public RefreshTokenRecord check(String token, AppId client, Instant now) {
        RefreshTokenRecord r = store.find(hash(token)).orElseThrow(() -> Failure.of(Cause.REFRESH_TOKEN_INVALID, "problem",
                "no refresh token with this value exists").toException());
        if (!r.clientId().equals(client)) {
            throw Failure.of(Cause.REFRESH_TOKEN_CLIENT_MISMATCH, "issuedTo", r.clientId().toString(), "clientId", client.toString())
                    .toException();
        }
        if (r.revokedAt() != null) {
            throw Failure.of(Cause.REFRESH_TOKEN_REVOKED, "revokedAt", r.revokedAt().toString(), "issuedAt",
                    EntraTime.of(r.issuedAt()), "validFrom", EntraTime.of(r.revokedAt())).toException();
        }
        if (r.replacedAt() != null) {
            store.revokeFamily(r.familyId(), now);
            throw Failure.of(Cause.REFRESH_TOKEN_REUSED, "replacedAt", r.replacedAt().toString()).toException();
        }
        if (!now.isBefore(r.lastUsedAt().plus(MAX_INACTIVE))) {
            throw Failure.of(Cause.REFRESH_TOKEN_EXPIRED, "issuedAt", r.issuedAt().toString(), "lastUsedAt", r.lastUsedAt().toString(),
                    "maxInactive", "90.00:00:00").toException();
        }
        return r;
    }

    /**
     * Replaces {@code used} by the next token of its family, with the same sign-in context; loses to a concurrent
     * redemption as reuse.
     */
    public String rotate(RefreshTokenRecord used, String scope, Instant now) {
        Issued next = create(used.tenant(), used.clientId(), used.userId(), used.auth(), scope, used.familyId(), now);
        if (!store.rotate(used.hash(), next.record(), now)) {
            store.revokeFamily(used.familyId(), now);
            throw Failure.of(Cause.REFRESH_TOKEN_REUSED, "replacedAt", "the same moment").toException();
        }
        return next.token();
    }

    /** The family of a token this class issued; empty for an unknown token. */
    public java.util.Optional<String> familyOf(String token) {
        return store.find(hash(token)).map(RefreshTokenRecord::familyId);
    }

    /** The stored form of a token: base64url SHA-256. */
    static String hash(String token) {
        return Digests.sha256Url(token);
    }
}
