package dev.consentry.identity.grant;

import static dev.consentry.identity.grant.GrantFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.identity.client.ClientAssertionValidator;
import dev.consentry.identity.key.Certificates;
import dev.consentry.testkit.TestTokens;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The client credentials grant with a certificate client assertion (RFC 7523, section 2.2), at {@link TokenEndpoint#handle}. */
class ClientAssertionGrantTest {
    /** The skew the validator allows an assertion's lifetime (five minutes, as Entra). */
    static final Duration SKEW = Duration.ofMinutes(5);
    final GrantFixture f = new GrantFixture();

    static String assertion(PrivateKey key, String audience, Instant expiresAt, String jti) {
        return TestTokens.clientAssertion(key, CERT_APP.toString(), audience, expiresAt)
                .x5tS256(Certificates.sha256Thumbprint(CERT)).jwtId(jti).sign();
    }

    TokenOutcome certApp(String assertion) {
        return certApp(assertion, ClientAssertionValidator.JWT_BEARER);
    }

    TokenOutcome certApp(String assertion, String type) {
        return f.post("grant_type", "client_credentials", "client_id", CERT_APP.toString(), "client_assertion_type", type,
                "client_assertion", assertion, "scope", API_URI + "/.default");
    }

    @Test
    void aSignedAssertionAuthenticatesTheClientOnce() throws Exception {
        String a = assertion(CERT_KEYS.getPrivate(), tokenEndpoint(), T0.plus(Duration.ofMinutes(5)), "jti-1");
        var body = issued(certApp(a));
        assertThat(claims(body.get("access_token")).getStringListClaim("roles")).containsExactly("Orders.Read.All");
        assertThat(refused(certApp(a))).as("the same jti again").isEqualTo(Cause.CLIENT_ASSERTION_REPLAYED);
    }

    @Test
    void anAssertionIsExpiredExactlyWhenItsExpiryPlusTheSkewIsNow() {
        f.clock.set(T0.plus(SKEW).minusMillis(1));
        issued(certApp(assertion(CERT_KEYS.getPrivate(), tokenEndpoint(), T0, "jti-last-moment")));
        f.clock.set(T0.plus(SKEW));
        assertThat(refused(certApp(assertion(CERT_KEYS.getPrivate(), tokenEndpoint(), T0, "jti-too-late"))))
                .isEqualTo(Cause.CLIENT_ASSERTION_EXPIRED);
    }

    @Test
    void anotherKeyAnotherAudienceOrAnotherTypeIsRefused() {
        PrivateKey other = Certificates.rsaKeyPair(2048).getPrivate();
        Instant exp = T0.plus(Duration.ofMinutes(5));
        assertThat(refused(certApp(assertion(other, tokenEndpoint(), exp, "jti-a"))))
                .isEqualTo(Cause.CLIENT_ASSERTION_SIGNATURE_INVALID);
        assertThat(refused(certApp(assertion(CERT_KEYS.getPrivate(), "https://login.example.net/token", exp, "jti-b"))))
                .isEqualTo(Cause.CLIENT_ASSERTION_AUDIENCE_INVALID);
        assertThat(refused(certApp(assertion(CERT_KEYS.getPrivate(), tokenEndpoint(), exp, "jti-c"), "urn:other")))
                .isEqualTo(Cause.CLIENT_ASSERTION_TYPE_INVALID);
        assertThat(refused(certApp("not-a-jwt"))).isEqualTo(Cause.CLIENT_ASSERTION_MALFORMED);
    }

    @Test
    void theCertificateMustBeValidAtTheTimeOfTheCall() {
        // The registered certificate was made valid from a day before T0 for thirty days.
        f.clock.set(T0.plus(Duration.ofDays(29)));
        Instant exp = f.clock.instant().plus(Duration.ofMinutes(5));
        assertThat(refused(certApp(assertion(CERT_KEYS.getPrivate(), tokenEndpoint(), exp, "jti-late"))))
                .isEqualTo(Cause.CLIENT_CERTIFICATE_EXPIRED);
    }
}
