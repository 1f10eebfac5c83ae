package dev.consentry.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.key.SigningKeys;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Validates access tokens Consentry issued (secure by default: RS256 only, our published keys only,
 * our issuers only, five minutes of clock skew, time from the caller's clock, and the audience the validator was
 * built to expect: {@link Builder#expectAudience} or, only where the caller checks the audience itself against
 * a per-request value, the explicit {@link Builder#ignoreAudience}; after Tink's {@code JwtValidator}). Build one
 * validator per purpose, once. The signature and issuer of a
 * token are checked once: its exact text is remembered (a token longer than {@value #CACHE_KEY_CHARS} characters by its
 * SHA-256), in a bounded least-recently-used
 * record of {@value #CACHE_ENTRIES}, while its key is still published; the lifetime is checked on every call. Only this class makes a
 * {@link VerifiedToken}; what a refusal means is for the caller to say (the STS and Graph name it
 * differently).
 */
public final class TokenValidator {
    /** Clock skew allowed on {@code nbf} and {@code exp}. */
    public static final Duration SKEW = Duration.ofMinutes(5);
    /**
     * The longest token read. A token of an app holding every Microsoft Graph application permission is about
     * 27,000 characters, and Graph accepts it; the server's 32 KB request-header limit bounds the rest.
     */
    private static final int MAX_TOKEN_CHARS = 32 * 1024;
    /** How many verified tokens are remembered: a client reuses its token for an hour, so repeats are the rule. */
    public static final int CACHE_ENTRIES = 4096;
    /**
     * The longest token remembered by its own text; a longer one is remembered by its SHA-256, which bounds the
     * record to about {@value #CACHE_ENTRIES} times this many bytes. Hashing every token took a sixth of an authorized
     * {@code /me} in a profile; comparing the text of a repeated token costs next to nothing.
     */
    static final int CACHE_KEY_CHARS = 4096;
    private final SigningKeys keys;
    /** Accepts one {@code aud} value; null when the caller checks the audience itself. */
    private final Predicate<String> audience;
    private final java.util.Map<String, Verified> cache = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Verified> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private TokenValidator(SigningKeys keys, Predicate<String> audience) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audience = audience;
    }

    /** A validator over {@code keys}; it must be told which audience to expect, or to ignore it, before it is built. */
    public static Builder builder(SigningKeys keys) {
        return new Builder(keys);
    }

    /** Builds a {@link TokenValidator}; the audience choice is required. */
    public static final class Builder {
        private final SigningKeys keys;
        private Predicate<String> audience;
        private boolean audienceChosen;

        private Builder(SigningKeys keys) {
            this.keys = keys;
        }

        /** Refuses, as {@link Problem#AUDIENCE_UNEXPECTED}, a token none of whose {@code aud} values {@code accepts}. */
        public Builder expectAudience(Predicate<String> accepts) {
            this.audience = Objects.requireNonNull(accepts, "accepts");
            this.audienceChosen = true;
            return this;
        }

        /** For callers that check {@code aud} themselves against a per-request value (on-behalf-of, an id token hint). */
        public Builder ignoreAudience() {
            this.audience = null;
            this.audienceChosen = true;
            return this;
        }

        public TokenValidator build() {
            if (!audienceChosen) {
                throw new IllegalStateException("choose expectAudience or ignoreAudience");
            }
            return new TokenValidator(keys, audience);
        }
    }

    /** Why a token was refused, in the order the checks run. */
    public enum Problem { MALFORMED, SIGNATURE_INVALID, ISSUER_UNTRUSTED, EXPIRED, NOT_YET_VALID, AUDIENCE_UNEXPECTED }

    /** The outcome of a validation. */
    public sealed interface Result {
        /** A token whose signature, issuer and lifetime hold. */
        record Valid(VerifiedToken token, String kid) implements Result {
            public Valid(VerifiedToken token) {
                this(token, null);
            }
        }

        /**
         * A refused token, with what failed and a detail for the diagnosis; {@code tenant} and {@code audience} are
         * the token's when its signature and issuer verified and a later check (lifetime, audience) refused it, else
         * empty.
         */
        record Invalid(Problem problem, String detail, Optional<TenantId> tenant, List<String> audience) implements Result {
            public Invalid {
                audience = List.copyOf(audience);
            }

            public Invalid(Problem problem, String detail) {
                this(problem, detail, Optional.empty(), List.of());
            }
        }
    }

    public Result validate(String compact, Instant now) {
        if (compact == null || compact.isEmpty() || compact.length() > MAX_TOKEN_CHARS) {
            return new Result.Invalid(Problem.MALFORMED, "the token is empty or longer than " + MAX_TOKEN_CHARS + " characters");
        }
        // A compact token has two dots and a digest none, so the two kinds of key never meet.
        String cacheKey = compact.length() <= CACHE_KEY_CHARS ? compact : dev.consentry.core.secret.Digests.sha256Url(compact);
        Verified cached = cached(cacheKey);
        if (cached != null && keys.find(cached.kid()).isPresent()) {
            // The signature and issuer of these exact bytes were checked before; the lifetime depends on now.
            return lifetimeAndAudience(cached.token(), now);
        }
        Result result = verify(compact, now);
        if (result instanceof Result.Valid v) {
            remember(cacheKey, new Verified(v.token(), v.kid()));
        }
        return result;
    }

    /** A verified token with the key that signed it, as the cache keeps it. */
    private record Verified(VerifiedToken token, String kid) {}

    private Verified cached(String key) {
        synchronized (cache) {
            return cache.get(key);
        }
    }

    private void remember(String key, Verified verified) {
        synchronized (cache) {
            cache.put(key, verified);
        }
    }

    /** The checks that depend on the moment and the purpose, run on every call: lifetime, then audience. */
    private Result lifetimeAndAudience(VerifiedToken token, Instant now) {
        Optional<Result.Invalid> refused = lifetimeAndAudience(token, now, audience);
        return refused.isPresent() ? refused.get() : new Result.Valid(token, null);
    }

    /**
     * The lifetime ({@code exp}, {@code nbf}, with {@link #SKEW} either way) and, when {@code audience} is not null, the
     * audience of {@code token} at {@code now}: the refusal, or empty when both hold. The same checks for a verified
     * token and for one only decoded (an offline explanation of a real Entra token).
     */
    public static Optional<Result.Invalid> lifetimeAndAudience(TokenView token, Instant now, Predicate<String> audience) {
        Instant exp = token.expiresAt().orElse(null);
        Instant nbf = token.notBefore().orElse(null);
        if (exp == null || !now.isBefore(exp.plus(SKEW))) {
            return Optional.of(invalid(Problem.EXPIRED, "exp " + (exp == null ? "missing" : exp) + ", now " + now, token));
        }
        if (nbf != null && now.plus(SKEW).isBefore(nbf)) {
            return Optional.of(invalid(Problem.NOT_YET_VALID, "nbf " + nbf + ", now " + now, token));
        }
        if (audience != null && !anyAccepted(token.audience(), audience)) {
            return Optional.of(invalid(Problem.AUDIENCE_UNEXPECTED, "aud is " + String.join(", ", token.audience()), token));
        }
        return Optional.empty();
    }

    private static boolean anyAccepted(List<String> audiences, Predicate<String> audience) {
        for (String a : audiences) {
            if (audience.test(a)) {
                return true;
            }
        }
        return false;
    }

    private static Result.Invalid invalid(Problem problem, String detail, TokenView token) {
        return new Result.Invalid(problem, detail, Optional.of(token.tenantId()), token.audience());
    }

    private Result verify(String compact, Instant now) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(compact);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return new Result.Invalid(Problem.MALFORMED, "not a compact JWS with a JSON claims set");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return new Result.Invalid(Problem.SIGNATURE_INVALID, "alg is " + jwt.getHeader().getAlgorithm() + ", only RS256 is accepted");
        }
        Optional<SigningKeys.ActiveKey> key = Optional.ofNullable(jwt.getHeader().getKeyID()).flatMap(keys::find);
        if (key.isEmpty()) {
            return new Result.Invalid(Problem.SIGNATURE_INVALID, "kid '" + jwt.getHeader().getKeyID() + "' is not a published key");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(key.get().publicKey()))) {
                return new Result.Invalid(Problem.SIGNATURE_INVALID, "the signature does not verify with key " + key.get().kid());
            }
        } catch (JOSEException e) {
            return new Result.Invalid(Problem.SIGNATURE_INVALID, "the signature cannot be checked");
        }
        VerifiedToken token;
        try {
            token = VerifiedToken.of(claims);
        } catch (IllegalArgumentException e) {
            return new Result.Invalid(Problem.MALFORMED, e.getMessage());
        }
        String iss = token.issuer();
        boolean ours = iss.equals("https://sts.windows.net/" + token.tenantId() + "/")
                || (iss.startsWith("https://") && iss.endsWith("/" + token.tenantId() + "/v2.0"));
        if (!ours) {
            return new Result.Invalid(Problem.ISSUER_UNTRUSTED, "iss '" + iss + "' is not an issuer of tenant " + token.tenantId());
        }
        Result checked = lifetimeAndAudience(token, now);
        return checked instanceof Result.Valid ? new Result.Valid(token, key.get().kid()) : checked;
    }
}
