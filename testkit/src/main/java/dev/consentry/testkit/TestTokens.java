package dev.consentry.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The one place tests (and the benchmarks) mint JWTs: access tokens as Consentry issues them, and the client
 * assertions clients send (RFC 7523). A builder sets only the claims it is told to, so a test states exactly
 * what its token carries:
 *
 * <pre>{@code
 * String token = TestTokens.signedWith(key).delegated().tenant(TENANT).aud("https://graph.microsoft.com")
 *         .oid(USER).scp("User.Read").at(clock).sign();
 * }</pre>
 *
 * <p>The key is a Nimbus {@link RSAKey} (its {@code kid} goes in the header), a private key with its kid, or a
 * ready {@link JWSSigner}. Tokens are RS256 unless {@link Builder#signWith} says otherwise.
 */
public final class TestTokens {
    /** The v1 issuer Consentry writes for a tenant (wire spec, section 2). */
    public static final String V1_ISSUER_PREFIX = "https://sts.windows.net/";
    /** The lifetime {@link Builder#at(Clock)} gives a token when none is set. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private TestTokens() {}

    /** A token signed with {@code key}'s private part; its {@code kid}, when set, names it in the header. */
    public static Builder signedWith(RSAKey key) {
        try {
            return new Builder(new RSASSASigner(key), key.getKeyID());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the RSA key has no private part", e);
        }
    }

    /** A token signed with {@code key}; {@code kid} (or null for none) names it in the header. */
    public static Builder signedWith(PrivateKey key, String kid) {
        return new Builder(new RSASSASigner(key), kid);
    }

    /** A token signed by {@code signer} (for instance a signing key's ready signer); {@code kid} may be null. */
    public static Builder signedWith(JWSSigner signer, String kid) {
        return new Builder(signer, kid);
    }

    /**
     * A certificate client assertion (RFC 7523, section 3) of {@code clientId} for {@code tokenEndpoint}: {@code iss}
     * and {@code sub} are the client, {@code typ} is JWT, valid ten minutes up to {@code expiresAt}; set the
     * thumbprint with {@link Builder#x5tS256} and the {@code jti} with {@link Builder#jwtId}.
     */
    public static Builder clientAssertion(PrivateKey key, String clientId, String tokenEndpoint, Instant expiresAt) {
        return signedWith(key, null).typeJwt().issuer(clientId).subject(clientId).aud(tokenEndpoint)
                .notBefore(expiresAt.minus(Duration.ofMinutes(10))).expiresAt(expiresAt);
    }

    /** Claims and header of one token; every setter replaces what was set before. Not thread-safe. */
    public static final class Builder {
        private JWSSigner signer;
        private String kid;
        private JWSAlgorithm algorithm = JWSAlgorithm.RS256;
        private JOSEObjectType type;
        private Base64URL x5tS256;
        private JWSHeader header;
        private String tenant;
        private String issuer;
        private JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();

        private Builder(JWSSigner signer, String kid) {
            this.signer = Objects.requireNonNull(signer, "signer");
            this.kid = kid;
        }

        /** An app-only token: {@code idtyp=app}. */
        public Builder appOnly() {
            return claim("idtyp", "app");
        }

        /** A token acting for a user: {@code idtyp=user}. */
        public Builder delegated() {
            return claim("idtyp", "user");
        }

        /** The tenant: {@code tid}, and the v1 issuer of that tenant unless {@link #issuer} sets another. */
        public Builder tenant(Object tenantId) {
            this.tenant = tenantId.toString();
            return claim("tid", tenant);
        }

        /** The {@code iss} claim, whatever the tenant. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder subject(String subject) {
            claims.subject(subject);
            return this;
        }

        /** The audience: one value as a string, several as an array. */
        public Builder aud(String... audiences) {
            if (audiences.length == 1) {
                claims.audience(audiences[0]);
            } else {
                claims.audience(List.of(audiences));
            }
            return this;
        }

        /** The delegated permissions, written as one space-separated {@code scp}. */
        public Builder scp(String... scopes) {
            return claim("scp", String.join(" ", scopes));
        }

        /** The application permissions, written as the {@code roles} array. */
        public Builder roles(String... roles) {
            return claim("roles", List.of(roles));
        }

        /** The object id of the user (delegated) or of the client's service principal (app-only). */
        public Builder oid(Object objectId) {
            return claim("oid", objectId.toString());
        }

        /** The client's application id ({@code appid}, as v1 tokens carry it). */
        public Builder appId(Object appId) {
            return claim("appid", appId.toString());
        }

        /** The token version claim {@code ver} ({@code 1.0} or {@code 2.0}). */
        public Builder version(String ver) {
            return claim("ver", ver);
        }

        public Builder jwtId(String jti) {
            claims.jwtID(jti);
            return this;
        }

        /** Any other claim; null removes it. */
        public Builder claim(String name, Object value) {
            claims.claim(name, value);
            return this;
        }

        /** {@code iat} and {@code nbf} at {@code instant}. */
        public Builder issuedAt(Instant instant) {
            claims.issueTime(Date.from(instant)).notBeforeTime(Date.from(instant));
            return this;
        }

        /** {@code iat} and {@code nbf} at {@code clock}'s current instant. */
        public Builder issuedAt(Clock clock) {
            return issuedAt(clock.instant());
        }

        /** {@code exp} at {@code clock}'s current instant: a token whose lifetime ends exactly now. */
        public Builder expiresAt(Clock clock) {
            return expiresAt(clock.instant());
        }

        /** {@code nbf} alone (no {@code iat}), as some tokens and assertions carry it. */
        public Builder notBefore(Instant instant) {
            claims.notBeforeTime(instant == null ? null : Date.from(instant));
            return this;
        }

        public Builder expiresAt(Instant instant) {
            claims.expirationTime(instant == null ? null : Date.from(instant));
            return this;
        }

        /** Issued now by {@code clock}, expiring {@link #DEFAULT_LIFETIME} later. */
        public Builder at(Clock clock) {
            return at(clock.instant(), DEFAULT_LIFETIME);
        }

        /** Issued at {@code issuedAt}, expiring {@code lifetime} later. */
        public Builder at(Instant issuedAt, Duration lifetime) {
            return issuedAt(issuedAt).expiresAt(issuedAt.plus(lifetime));
        }

        /** Starts from an existing claims set (a token to re-sign with changes); what was set before is dropped. */
        public Builder from(JWTClaimsSet existing) {
            claims = new JWTClaimsSet.Builder(existing);
            tenant = null;
            issuer = null;
            return this;
        }

        /** Raw access to the claims, for what the named setters do not cover. */
        public Builder edit(UnaryOperator<JWTClaimsSet.Builder> change) {
            claims = change.apply(claims);
            return this;
        }

        /** {@code typ: JWT} in the header. */
        public Builder typeJwt() {
            this.type = JOSEObjectType.JWT;
            return this;
        }

        /** The certificate's SHA-256 thumbprint in the header ({@code x5t#S256}), as sent (normally base64url). */
        public Builder x5tS256(String thumbprint) {
            this.x5tS256 = thumbprint == null ? null : new Base64URL(thumbprint);
            return this;
        }

        /** Uses exactly this header (a client that writes an odd one); the signer stays. */
        public Builder header(JWSHeader header) {
            this.header = header;
            return this;
        }

        /** The signing algorithm, when the key is not for RS256. */
        public Builder algorithm(JWSAlgorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        /** Signs with another algorithm and key (to prove they are refused); {@code kid} may be null. */
        public Builder signWith(JWSAlgorithm algorithm, JWSSigner signer, String kid) {
            this.algorithm = algorithm;
            this.signer = signer;
            this.kid = kid;
            return this;
        }

        /** The claims as they stand. */
        public JWTClaimsSet claims() {
            String iss = issuer != null ? issuer : tenant != null ? V1_ISSUER_PREFIX + tenant + "/" : null;
            return iss == null ? claims.build() : new JWTClaimsSet.Builder(claims.build()).issuer(iss).build();
        }

        /** The compact serialisation of the signed token. */
        public String sign() {
            JWSHeader h = header;
            if (h == null) {
                JWSHeader.Builder b = new JWSHeader.Builder(algorithm).keyID(kid);
                if (type != null) {
                    b.type(type);
                }
                if (x5tS256 != null) {
                    b.x509CertSHA256Thumbprint(x5tS256);
                }
                h = b.build();
            }
            SignedJWT jwt = new SignedJWT(h, claims());
            try {
                jwt.sign(signer);
            } catch (JOSEException e) {
                throw new IllegalStateException("signing the test token failed", e);
            }
            return jwt.serialize();
        }

        /** The same claims as an unsecured JWT ({@code alg: none}), which every validator must refuse. */
        public String unsigned() {
            return new PlainJWT(claims()).serialize();
        }
    }
}
