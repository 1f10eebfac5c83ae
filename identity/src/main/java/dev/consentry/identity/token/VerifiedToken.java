package dev.consentry.identity.token;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * An access token whose signature, issuer and lifetime {@link TokenValidator} checked. Handlers that act on a
 * token take this type, never a raw string or an {@link UnverifiedToken}, so an unchecked token cannot reach them:
 * only the validator makes one.
 */
public final class VerifiedToken extends TokenView {

    private VerifiedToken(JWTClaimsSet claims) {
        super(claims);
    }

    static VerifiedToken of(JWTClaimsSet claims) {
        return new VerifiedToken(claims);
    }

    @Override
    public boolean verified() {
        return true;
    }
}
