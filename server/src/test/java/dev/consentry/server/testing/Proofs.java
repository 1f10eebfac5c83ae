package dev.consentry.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Proofs of possession for Graph's {@code addKey} and {@code removeKey}, made as Microsoft's sample makes them
 * (https://learn.microsoft.com/graph/application-rollkey-prooftoken): RS256 with a certificate's private key, {@code aud}
 * {@value #AUDIENCE}, {@code iss} the object id, {@code nbf} now and {@code exp} ten minutes on.
 */
public final class Proofs {
    public static final String AUDIENCE = "00000002-0000-0000-c000-000000000000";

    private Proofs() {}

    /** A proof for the object {@code issuer}, made at {@code clock}'s now. */
    public static String of(Clock clock, KeyPair keys, String issuer) {
        Instant now = clock.instant();
        return of(keys, AUDIENCE, issuer, now, now.plus(Duration.ofMinutes(10)));
    }

    /** A proof with the claims given, for the refusals. */
    public static String of(KeyPair keys, String audience, String issuer, Instant nbf, Instant exp) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().audience(audience).issuer(issuer).notBeforeTime(Date.from(nbf))
                        .expirationTime(Date.from(exp)).build());
        try {
            jwt.sign(new RSASSASigner(keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException("an RSA key of 2048 bits signs RS256", e);
        }
        return jwt.serialize();
    }
}
