package dev.consentry.graph.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.core.id.ObjectId;
import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.identity.key.Certificates;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The proof of possession of addKey and removeKey: each claim, the signer, and the exact boundaries of its lifetime. */
class ProofOfPossessionTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final ObjectId APP = ObjectId.of("4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31");
    static final KeyPair KEYS = Certificates.rsaKeyPair(2048);
    static final X509Certificate CERT = CertificateIssuer.selfSigned(KEYS, "proof", NOW.minus(Duration.ofDays(1)),
            Duration.ofDays(30));
    static final KeyCredential REGISTERED = key(CERT, "Verify", null);

    static KeyCredential key(X509Certificate cert, String usage, Instant end) {
        return new KeyCredential(UUID.randomUUID(), null, null, usage, Certificates.toBase64Der(cert), null, null, end, null)
                .describedByCertificate();
    }

    static String proof(KeyPair keys, JWSAlgorithm alg, String aud, String iss, Instant nbf, Instant exp) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().audience(aud).issuer(iss);
        if (nbf != null) {
            claims.notBeforeTime(Date.from(nbf));
        }
        if (exp != null) {
            claims.expirationTime(Date.from(exp));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims.build());
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }

    static String proof(Instant nbf, Instant exp) throws Exception {
        return proof(KEYS, JWSAlgorithm.RS256, ProofOfPossession.AUDIENCE, APP.toString(), nbf, exp);
    }

    static ProofOfPossession.Outcome check(String proof) {
        return ProofOfPossession.check(proof, APP, List.of(REGISTERED), NOW);
    }

    static String refusal(String proof) {
        assertThat(check(proof)).isInstanceOf(ProofOfPossession.Outcome.Refused.class);
        return ((ProofOfPossession.Outcome.Refused) check(proof)).why();
    }

    @Test
    void aProofAsMicrosoftsSampleMakesItHoldsAndNamesItsSigner() throws Exception {
        assertThat(check(proof(NOW, NOW.plus(Duration.ofMinutes(10))))).isEqualTo(new ProofOfPossession.Outcome.Proven(REGISTERED));
    }

    @Test
    void eachClaimIsChecked() throws Exception {
        Instant exp = NOW.plus(Duration.ofMinutes(10));
        assertThat(refusal(proof(KEYS, JWSAlgorithm.RS256, "00000003-0000-0000-c000-000000000000", APP.toString(), NOW, exp)))
                .contains("aud");
        assertThat(refusal(proof(KEYS, JWSAlgorithm.RS256, ProofOfPossession.AUDIENCE, UUID.randomUUID().toString(), NOW, exp)))
                .contains("iss");
        assertThat(refusal(proof(KEYS, JWSAlgorithm.RS256, ProofOfPossession.AUDIENCE, APP.toString(), null, exp)))
                .contains("nbf and exp");
        assertThat(refusal(proof(KEYS, JWSAlgorithm.PS256, ProofOfPossession.AUDIENCE, APP.toString(), NOW, exp)))
                .contains("RS256");
        assertThat(check(proof(KEYS, JWSAlgorithm.RS256, ProofOfPossession.AUDIENCE, APP.toString().toUpperCase(), NOW, exp)))
                .as("an object id in upper case is the same id").isInstanceOf(ProofOfPossession.Outcome.Proven.class);
        assertThat(refusal("a.b")).contains("compact JWS");
        assertThat(refusal(proof(NOW, exp).replaceFirst("\\.", "=."))).contains("padding");
    }

    @Test
    void onlyAValidVerifyCertificateOfTheObjectSigns() throws Exception {
        String proof = proof(NOW, NOW.plus(Duration.ofMinutes(10)));
        KeyPair other = Certificates.rsaKeyPair(2048);
        X509Certificate otherCert = CertificateIssuer.selfSigned(other, "other", NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
        assertThat(ProofOfPossession.check(proof, APP, List.of(key(otherCert, "Verify", null)), NOW))
                .isInstanceOf(ProofOfPossession.Outcome.Refused.class);
        assertThat(ProofOfPossession.check(proof, APP, List.of(key(otherCert, "Verify", null), REGISTERED), NOW))
                .isEqualTo(new ProofOfPossession.Outcome.Proven(REGISTERED));
        assertThat(((ProofOfPossession.Outcome.Refused) ProofOfPossession.check(proof, APP, List.of(), NOW)).why())
                .contains("PATCH keyCredentials");
        assertThat(ProofOfPossession.check(proof, APP, List.of(key(CERT, "Sign", null)), NOW))
                .as("a Sign key proves nothing").isInstanceOf(ProofOfPossession.Outcome.Refused.class);
        assertThat(ProofOfPossession.check(proof, APP, List.of(key(CERT, "Verify", NOW)), NOW))
                .as("a registration that ends now has ended").isInstanceOf(ProofOfPossession.Outcome.Refused.class);
    }

    @Test
    void theLifetimeIsAtMostTenMinutesAndExpiresExactlyAtExpPlusTheSkew() throws Exception {
        assertThat(check(proof(NOW, NOW.plus(Duration.ofMinutes(10))))).isInstanceOf(ProofOfPossession.Outcome.Proven.class);
        assertThat(refusal(proof(NOW, NOW.plus(Duration.ofMinutes(10)).plusSeconds(1)))).contains("at most 10 minutes");
        assertThat(refusal(proof(NOW, NOW.minusSeconds(1)))).contains("at most 10 minutes");

        Instant exp = NOW.minus(ProofOfPossession.SKEW);
        assertThat(refusal(proof(exp.minus(Duration.ofMinutes(10)), exp))).as("exp + skew is now: expired").contains("expired");
        assertThat(check(proof(exp.plusSeconds(1).minus(Duration.ofMinutes(10)), exp.plusSeconds(1))))
                .isInstanceOf(ProofOfPossession.Outcome.Proven.class);

        Instant nbf = NOW.plus(ProofOfPossession.SKEW);
        assertThat(check(proof(nbf, nbf.plus(Duration.ofMinutes(10))))).as("nbf - skew is now: valid")
                .isInstanceOf(ProofOfPossession.Outcome.Proven.class);
        assertThat(refusal(proof(nbf.plusSeconds(1), nbf.plus(Duration.ofMinutes(10))))).contains("not valid before");
    }
}
