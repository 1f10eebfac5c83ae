package dev.consentry.identity.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.EntraTime;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.identity.key.Certificates;
import dev.consentry.store.AssertionReplayStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a certificate client assertion (RFC 7523, section 3; Entra's "certificate credentials"):
 * a JWS signed with the private key of one of the app's registered certificates of usage {@code Verify}, named in the
 * header by {@code x5t#S256} or {@code x5t}; {@code iss} = {@code sub} = client id; {@code aud} = the token endpoint;
 * within {@code nbf}..{@code exp} (five minutes of skew); {@code jti} used once.
 *
 * <p>Guaranteed: the first failed check is reported with its own {@link Cause}; nothing is trusted from
 * the assertion before its signature has been verified with a registered certificate.
 */
public final class ClientAssertionValidator {
    /** The only client assertion type (RFC 7523, section 2.2). */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final int MAX_ASSERTION_CHARS = 16 * 1024;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);

    private final AssertionReplayStore replay;
    private final ConcurrentHashMap<String, RegisteredCertificate> parsed = new ConcurrentHashMap<>();

    public ClientAssertionValidator(AssertionReplayStore replay) {
        this.replay = replay;
    }

    /**
     * Validates {@code assertion} for {@code app}; {@code audiences} are the token endpoint URLs this
     * request may name (compared case-insensitively). Throws {@link FailureException} on the first failure.
     */
    public void validate(Application app, String assertion, Set<String> audiences, Instant now) {
        String clientId = app.appId().toString();
        if (assertion.length() > MAX_ASSERTION_CHARS) {
            throw malformed("it is longer than " + MAX_ASSERTION_CHARS + " characters");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw malformed("it is not a compact JWS with a JSON claims set");
        }
        JWSHeader header = jwt.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw malformed("its alg is '" + header.getAlgorithm() + "'; RS256 or PS256 is expected");
        }
        // MSAL4J (1.x) writes these thumbprints in standard base64 with padding, RFC 7515 says base64url:
        // Entra accepts both, so both are normalised to unpadded base64url before comparing.
        String s256 = thumbprintParam(header, "x5t#S256");
        String s1 = thumbprintParam(header, "x5t");
        if (s256 == null && s1 == null) {
            throw malformed("its header has neither x5t#S256 nor x5t to name the certificate");
        }
        String thumbprint = s256 != null ? s256 : s1;
        RegisteredCertificate cert = find(app.keyCredentials(), s256, s1);
        if (cert == null) {
            throw Failure.of(Cause.CLIENT_ASSERTION_CERTIFICATE_UNKNOWN, "clientId", clientId, "thumbprint", thumbprint)
                    .toException();
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(cert.publicKey()))) {
                throw signatureInvalid(clientId, thumbprint);
            }
        } catch (JOSEException e) {
            throw signatureInvalid(clientId, thumbprint);
        }
        String iss = claims.getIssuer();
        String sub = claims.getSubject();
        if (iss == null || sub == null || !iss.equalsIgnoreCase(clientId) || !sub.equalsIgnoreCase(clientId)) {
            throw Failure.of(Cause.CLIENT_ASSERTION_CLIENT_MISMATCH, "subject", iss + "/" + sub, "clientId", clientId)
                    .toException();
        }
        List<String> aud = claims.getAudience();
        boolean audienceOk = aud.stream().anyMatch(a -> audiences.contains(a.toLowerCase(Locale.ROOT)));
        if (!audienceOk) {
            throw Failure.of(Cause.CLIENT_ASSERTION_AUDIENCE_INVALID, "audience", String.join(" ", aud),
                    // The first audience is the v2.0 endpoint the request was posted to (StsUrls#assertionAudiences).
                    "expected", audiences.stream().findFirst().orElse("")).toException();
        }
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (exp == null) {
            throw malformed("it has no exp claim");
        }
        Instant expiresAt = exp.toInstant();
        Instant notBefore = nbf == null ? null : nbf.toInstant();
        if (!now.isBefore(expiresAt.plus(SKEW)) || (notBefore != null && now.plus(SKEW).isBefore(notBefore))) {
            throw Failure.of(Cause.CLIENT_ASSERTION_EXPIRED, "notBefore", String.valueOf(notBefore),
                    "expiresAt", expiresAt.toString(), "now", now.toString(), "skew", SKEW.toString(),
                    "currentTime", EntraTime.of(now), "validFrom", EntraTime.of(notBefore == null ? Instant.EPOCH : notBefore),
                    "expiryTime", EntraTime.of(expiresAt)).toException();
        }
        KeyCredential credential = cert.credential();
        if (!credential.validAt(now) || !cert.certificateValidAt(now)) {
            throw Failure.of(Cause.CLIENT_CERTIFICATE_EXPIRED, "thumbprint", thumbprint, "clientId", clientId,
                    "startDateTime", String.valueOf(credential.startDateTime()),
                    "endDateTime", String.valueOf(credential.endDateTime())).toException();
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw malformed("it has no jti claim");
        }
        if (!replay.firstUse(clientId + "|" + jti, expiresAt.plus(SKEW), now)) {
            throw Failure.of(Cause.CLIENT_ASSERTION_REPLAYED, "clientId", clientId, "jti", jti).toException();
        }
    }

    private RegisteredCertificate find(List<KeyCredential> credentials, String s256, String s1) {
        for (KeyCredential c : credentials) {
            if (!c.verifies()) {
                continue; // a Sign key (X509CertAndPassword) signs for the app, e.g. SAML tokens; it proves nothing here
            }
            RegisteredCertificate r = parsed.computeIfAbsent(c.key(), k -> RegisteredCertificate.parse(c));
            if (r == null) {
                continue;
            }
            if ((s256 != null && s256.equals(r.sha256())) || (s256 == null && s1 != null && s1.equals(r.sha1()))) {
                return r.withCredential(c);
            }
        }
        return null;
    }

    /** The header parameter as unpadded base64url, whichever base64 alphabet the client used; null when absent. */
    private static String thumbprintParam(JWSHeader header, String name) {
        Object value = header.toJSONObject().get(name);
        if (!(value instanceof String text) || text.isBlank()) {
            return null;
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '+' -> b.append('-');
                case '/' -> b.append('_');
                case '=' -> { }
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static FailureException malformed(String problem) {
        return Failure.of(Cause.CLIENT_ASSERTION_MALFORMED, "problem", problem).toException();
    }

    private static FailureException signatureInvalid(String clientId, String thumbprint) {
        return Failure.of(Cause.CLIENT_ASSERTION_SIGNATURE_INVALID, "clientId", clientId, "thumbprint", thumbprint)
                .toException();
    }

    /** A registered certificate, parsed once, with its thumbprints. */
    private record RegisteredCertificate(KeyCredential credential, X509Certificate certificate, RSAPublicKey publicKey,
                                         String sha1, String sha256) {
        static RegisteredCertificate parse(KeyCredential c) {
            try {
                X509Certificate x = Certificates.fromBase64Der(c.key());
                if (!(x.getPublicKey() instanceof RSAPublicKey rsa)) {
                    return null;
                }
                return new RegisteredCertificate(c, x, rsa, Certificates.sha1Thumbprint(x), Certificates.sha256Thumbprint(x));
            } catch (CertificateException e) {
                return null;
            }
        }

        RegisteredCertificate withCredential(KeyCredential c) {
            return new RegisteredCertificate(c, certificate, publicKey, sha1, sha256);
        }

        boolean certificateValidAt(Instant now) {
            return !now.isBefore(certificate.getNotBefore().toInstant()) && now.isBefore(certificate.getNotAfter().toInstant());
        }
    }

}
