package dev.consentry.identity.token;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * A token that was only decoded: nothing about its signature, issuer or lifetime is known. It exists so that the
 * diagnosis can reason about a token Consentry did not issue (a real Entra token pasted into {@code explain});
 * it never authorizes anything. Made only by {@link TokenReader#unsafeDecodeWithoutSignature}.
 */
public final class UnverifiedToken extends TokenView {

    UnverifiedToken(JWTClaimsSet claims) {
        super(claims);
    }

    @Override
    public boolean verified() {
        return false;
    }
}
