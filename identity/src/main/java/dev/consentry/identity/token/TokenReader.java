package dev.consentry.identity.token;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;

/** Decoding a token without trusting it, for explanations only; {@link TokenValidator} is the trusted path. */
public final class TokenReader {
    /** The longest token read, in characters: far above Entra's largest, and a bound on what a caller must hold. */
    public static final int MAX_TOKEN_CHARS = 32 * 1024;

    private TokenReader() {}

    /**
     * The claims of {@code compact} without checking its signature, issuer or lifetime (the name says so, after
     * Tink's {@code unsafe} naming). Refuses, with IllegalArgumentException, what is not a JWT with {@code tid},
     * {@code iss} and {@code aud}.
     */
    public static UnverifiedToken unsafeDecodeWithoutSignature(String compact) {
        return unsafeDecodeWithoutSignature(unsafeClaims(compact));
    }

    /** As {@link #unsafeDecodeWithoutSignature(String)}, for claims already read by {@link #unsafeClaims}. */
    public static UnverifiedToken unsafeDecodeWithoutSignature(JWTClaimsSet claims) {
        return new UnverifiedToken(claims);
    }

    /**
     * The claims of {@code compact}, any issuer's, without checking anything; IllegalArgumentException, with what it is
     * instead, when it is no JWT or an encrypted one.
     */
    public static JWTClaimsSet unsafeClaims(String compact) {
        if (compact == null || compact.isEmpty() || compact.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("the token is empty or longer than " + MAX_TOKEN_CHARS + " characters");
        }
        try {
            JWT jwt = JWTParser.parse(compact);
            if (jwt instanceof com.nimbusds.jwt.EncryptedJWT) {
                throw new IllegalArgumentException("an encrypted JWT (JWE), which only its audience's key can read");
            }
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWT with a JSON claims set", e);
        }
    }
}
