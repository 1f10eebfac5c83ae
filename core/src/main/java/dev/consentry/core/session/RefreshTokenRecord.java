package dev.consentry.core.session;

import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A refresh token as stored: never the token itself, only its SHA-256 {@code hash}. Tokens of one
 * sign-in share a {@code familyId}; redeeming one replaces it with the next of the family, and presenting
 * a replaced one again revokes the whole family (the reuse is treated as theft). Every token of a family carries the
 * {@code auth} of the sign-in that started the family: a redemption proves possession of the token, not the user's
 * credentials again.
 *
 * @param auth what the sign-in that started the family proved, and when
 * @param scope the scopes the token may be redeemed for (space-separated, as requested at sign-in)
 * @param lastUsedAt when the family was last used; inactivity beyond the limit expires it (AADSTS700082)
 * @param replacedAt when this token was redeemed and replaced; null while it is the family's current one
 * @param revokedAt when the family was revoked; null while it is not
 */
public record RefreshTokenRecord(String hash, String familyId, TenantId tenant, AppId clientId, ObjectId userId, AuthContext auth,
                                 String scope, Instant issuedAt, Instant lastUsedAt, Instant replacedAt, Instant revokedAt) {
    public RefreshTokenRecord {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }
}
