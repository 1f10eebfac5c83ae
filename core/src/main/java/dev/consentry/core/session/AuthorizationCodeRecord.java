package dev.consentry.core.session;

import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * An authorization code as stored (RFC 6749, section 4.1.2): never the code itself, only its SHA-256
 * {@code hash}, with everything the redemption must check it against and what the tokens will carry.
 *
 * <p>A code is redeemed at most once; a second redemption revokes the refresh token family the first one
 * started ({@code refreshFamilyId}), as RFC 6749, section 4.1.2 advises and Entra does (AADSTS54005).
 *
 * @param tenant the user's tenant, whose tokens the code yields (the consumers tenant for personal accounts)
 * @param redirectUri the redirect URI of the authorize request, exactly as sent; redemption must repeat it
 * @param scope the scopes asked for at authorize, space-separated
 * @param codeChallenge the PKCE challenge (RFC 7636), or null when the request had none
 * @param codeChallengeMethod {@code S256} or {@code plain}, or null without a challenge
 * @param nonce the OpenID Connect nonce to put in the id token, or null
 * @param auth what the sign-in the code comes from proved, and when the user entered their credentials
 * @param redeemedAt when the code was redeemed; null until then
 * @param refreshFamilyId the refresh token family issued from the code; null until then or when none was
 */
public record AuthorizationCodeRecord(String hash, TenantId tenant, AppId clientId, ObjectId userId, String redirectUri,
                                      String scope, String codeChallenge, String codeChallengeMethod, String nonce,
                                      AuthContext auth, Instant issuedAt, Instant expiresAt, Instant redeemedAt,
                                      String refreshFamilyId) {
    public AuthorizationCodeRecord {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
