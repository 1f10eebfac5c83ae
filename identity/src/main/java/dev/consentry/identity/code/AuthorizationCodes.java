package dev.consentry.identity.code;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.Digests;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.AuthorizationCodeRecord;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * Authorization codes (RFC 6749, section 4.1; RFC 7636): 48 random bytes, stored only as a hash, bound to
 * the client, the redirect URI, the PKCE challenge and the user, valid {@link #LIFETIME}.
 *
 * <p>Guaranteed: a code yields tokens at most once, even when two nodes redeem it at the same moment; a
 * second redemption is refused with AADSTS54005 and revokes the refresh tokens the first one issued.
 * Every check runs after the code is spent, so a code presented wrongly cannot be retried.
 */
public final class AuthorizationCodes {
    /** Entra's codes live about ten minutes (wire spec, section 1.4). */
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Store store;

    public AuthorizationCodes(Store store) {
        this.store = store;
    }

    /**
     * What a code is bound to, from the authorize request that asked for it.
     *
     * @param client the client the code is for
     * @param redirectUri the redirect URI the code is sent to (the token request must repeat it)
     * @param scope the requested scope
     * @param codeChallenge the PKCE challenge, or null
     * @param codeChallengeMethod {@code S256} or {@code plain}, or null without a challenge
     * @param nonce the OpenID Connect nonce for the id token, or null
     */
    public record Binding(AppId client, String redirectUri, String scope, String codeChallenge, String codeChallengeMethod,
                          String nonce) {}

    /**
     * Issues a code bound to {@code binding} for {@code user} of {@code userTenant}, whose sign-in proved {@code auth};
     * the code's tokens state that context.
     */
    public String issue(Binding binding, TenantId userTenant, ObjectId user, AuthContext auth, Instant now) {
        byte[] random = new byte[48];
        RANDOM.nextBytes(random);
        String code = "1." + Digests.base64Url(random);
        store.authorizationCodes().save(new AuthorizationCodeRecord(hash(code), userTenant, binding.client(), user,
                binding.redirectUri(), binding.scope(), binding.codeChallenge(), binding.codeChallengeMethod(),
                binding.nonce(), auth, now, now.plus(LIFETIME), null, null));
        return code;
    }

    /**
     * Redeems a code; throws a {@code FailureException} with the first problem.
     *
     * @param redirectUri the token request's {@code redirect_uri}
     * @param verifier the token request's {@code code_verifier}, or null
     * @param path the tenant segment of the token endpoint used
     */
    public AuthorizationCodeRecord redeem(String code, AppId clientId, String redirectUri, String verifier, TenantPath path,
                                          Instant now) {
        AuthorizationCodeRecord r = store.authorizationCodes().redeem(hash(code), now).orElseThrow(() ->
                Failure.of(Cause.AUTHORIZATION_CODE_INVALID, "problem", "no code with this value exists").toException());
        if (r.redeemedAt() != null) {
            if (r.refreshFamilyId() != null) {
                store.refreshTokens().revokeFamily(r.refreshFamilyId(), now);
            }
            throw Failure.of(Cause.AUTHORIZATION_CODE_REDEEMED, "redeemedAt", r.redeemedAt().toString()).toException();
        }
        if (!r.clientId().equals(clientId)) {
            throw Failure.of(Cause.AUTHORIZATION_CODE_CLIENT_MISMATCH, "issuedTo", r.clientId().toString(), "clientId",
                    clientId.toString()).toException();
        }
        if (!now.isBefore(r.expiresAt())) {
            throw Failure.of(Cause.AUTHORIZATION_CODE_EXPIRED, "expiresAt", r.expiresAt().toString(), "lifetime",
                    LIFETIME.toMinutes() + " minutes").toException();
        }
        if (!r.redirectUri().equals(redirectUri)) {
            throw Failure.of(Cause.AUTHORIZATION_CODE_REDIRECT_MISMATCH, "redirectUri", redirectUri, "expected",
                    r.redirectUri()).toException();
        }
        if (path instanceof TenantPath.Specific s && !s.id().equals(r.tenant())) {
            throw Failure.of(Cause.AUTHORIZATION_CODE_TENANT_MISMATCH, "codeTenant", r.tenant().toString(), "tenant",
                    s.pathValue()).toException();
        }
        checkVerifier(r, verifier);
        return r;
    }

    /** Remembers the refresh token family issued from a code, for revocation on replay. */
    public void linkRefreshFamily(String code, String familyId) {
        store.authorizationCodes().linkRefreshFamily(hash(code), familyId);
    }

    private static void checkVerifier(AuthorizationCodeRecord r, String verifier) {
        if (r.codeChallenge() == null) {
            return;
        }
        if (verifier == null) {
            throw Failure.of(Cause.PKCE_MISMATCH, "problem",
                    "The authorize request sent a code_challenge, and the token request sent no code_verifier.").toException();
        }
        String computed = "S256".equals(r.codeChallengeMethod()) ? s256(verifier) : verifier;
        if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                r.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            throw Failure.of(Cause.PKCE_MISMATCH, "problem", "The " + r.codeChallengeMethod()
                    + " transform of the code_verifier is not the code_challenge of the authorize request.").toException();
        }
    }

    /** BASE64URL(SHA256(ASCII(verifier))), RFC 7636, section 4.2. */
    static String s256(String verifier) {
        return Digests.base64Url(Digests.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    static String hash(String code) {
        return Digests.sha256Url(code);
    }
}
