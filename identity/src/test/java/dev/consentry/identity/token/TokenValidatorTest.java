package dev.consentry.identity.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import dev.consentry.identity.key.Certificates;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The validator is secure by default: our keys, our issuers, RS256, and an exact lifetime boundary. */
class TokenValidatorTest {
    static final Instant EXP = Instant.parse("2026-11-25T12:00:00Z");
    static final String TID = "5f0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f";
    static SigningKeys keys;
    static TokenValidator validator;

    @BeforeAll
    static void keys() {
        keys = SigningKeys.load(new InMemoryStore().signingKeys(), Clock.systemUTC());
        validator = TokenValidator.builder(keys).ignoreAudience().build();
    }

    static TestTokens.Builder claims() {
        return TestTokens.signedWith(keys.primary().signer(), keys.primary().kid()).tenant(TID).aud("https://graph.microsoft.com")
                .oid("11111111-1111-4111-8111-111111111111").scp("User.Read")
                .notBefore(EXP.minus(Duration.ofHours(1))).expiresAt(EXP);
    }

    static TokenValidator.Problem problem(TokenValidator.Result r) {
        return r instanceof TokenValidator.Result.Invalid i ? i.problem() : null;
    }

    @Test
    void validTokenAndTheExactExpiryBoundary() throws Exception {
        String token = claims().sign();
        Instant lastValid = EXP.plus(TokenValidator.SKEW).minusMillis(1);
        assertThat(validator.validate(token, lastValid)).isInstanceOf(TokenValidator.Result.Valid.class);
        assertThat(problem(validator.validate(token, EXP.plus(TokenValidator.SKEW)))).as("expires exactly now: expired")
                .isEqualTo(TokenValidator.Problem.EXPIRED);
        assertThat(problem(validator.validate(token, EXP.minus(Duration.ofHours(2))))).isEqualTo(TokenValidator.Problem.NOT_YET_VALID);
        var valid = (TokenValidator.Result.Valid) validator.validate(token, EXP);
        assertThat(valid.token().scopes()).containsExactly("User.Read");
        assertThat(valid.token().appOnly()).isFalse();
    }

    @Test
    void aRememberedTokenStillExpiresAndItsEditedTwinIsVerifiedAfresh() throws Exception {
        String token = claims().sign();
        assertThat(validator.validate(token, EXP.minusSeconds(60))).isInstanceOf(TokenValidator.Result.Valid.class);
        assertThat(validator.validate(token, EXP.minusSeconds(60))).as("from the record").isInstanceOf(TokenValidator.Result.Valid.class);
        assertThat(problem(validator.validate(token, EXP.plus(TokenValidator.SKEW)))).isEqualTo(TokenValidator.Problem.EXPIRED);
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 2);
        String edited = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        assertThat(problem(validator.validate(edited, EXP.minusSeconds(60)))).isEqualTo(TokenValidator.Problem.SIGNATURE_INVALID);
    }

    @Test
    void foreignIssuerIsUntrusted() throws Exception {
        String token = claims().issuer("https://sts.windows.net/00000000-0000-0000-0000-000000000000/").sign();
        assertThat(problem(validator.validate(token, EXP))).isEqualTo(TokenValidator.Problem.ISSUER_UNTRUSTED);
    }

    @Test
    void otherKeysAndAlgorithmsAreRefused() throws Exception {
        String other = claims().signWith(JWSAlgorithm.RS256, new RSASSASigner(Certificates.rsaKeyPair(2048).getPrivate()),
                keys.primary().kid()).sign();
        assertThat(problem(validator.validate(other, EXP))).isEqualTo(TokenValidator.Problem.SIGNATURE_INVALID);

        String hs = claims().signWith(JWSAlgorithm.HS256, new MACSigner(new byte[32]), keys.primary().kid()).sign();
        assertThat(problem(validator.validate(hs, EXP))).isEqualTo(TokenValidator.Problem.SIGNATURE_INVALID);

        assertThat(problem(validator.validate(claims().unsigned(), EXP))).isEqualTo(TokenValidator.Problem.MALFORMED);
        assertThat(problem(validator.validate("abc", EXP))).isEqualTo(TokenValidator.Problem.MALFORMED);
        assertThat(problem(validator.validate("x".repeat(20_000), EXP))).isEqualTo(TokenValidator.Problem.MALFORMED);
    }

    @Test
    void anExpectedAudienceIsCheckedAfterTheLifetimeAndNamesTheTokensTenant() throws Exception {
        TokenValidator graphOnly = TokenValidator.builder(keys).expectAudience("https://graph.microsoft.com"::equals).build();
        Instant valid = EXP.minus(Duration.ofMinutes(10));
        assertThat(graphOnly.validate(claims().sign(), valid)).isInstanceOf(TokenValidator.Result.Valid.class);
        TokenValidator.Result other = graphOnly.validate(claims().aud("api://other").sign(), valid);
        assertThat(problem(other)).isEqualTo(TokenValidator.Problem.AUDIENCE_UNEXPECTED);
        TokenValidator.Result.Invalid invalid = (TokenValidator.Result.Invalid) other;
        assertThat(invalid.tenant()).as("the signature verified, so the tenant is known").hasValueSatisfying(
                t -> assertThat(t.toString()).isEqualTo(TID));
        assertThat(invalid.audience()).containsExactly("api://other");
        assertThat(problem(graphOnly.validate(claims().aud("api://other").sign(), EXP.plus(Duration.ofHours(1)))))
                .as("an expired token is expired, whatever its audience").isEqualTo(TokenValidator.Problem.EXPIRED);
    }

    @Test
    void aValidatorMustBeToldWhichAudienceToExpect() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenValidator.builder(keys).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theUnsafeDecodeReadsClaimsButVerifiesNothing() throws Exception {
        String good = claims().sign();
        int dot = good.lastIndexOf('.');
        String forged = good.substring(0, dot + 1) + (good.charAt(dot + 1) == 'A' ? 'B' : 'A') + good.substring(dot + 2);
        UnverifiedToken t = TokenReader.unsafeDecodeWithoutSignature(forged);
        assertThat(t.verified()).isFalse();
        assertThat(t.tenantId().toString()).isEqualTo(TID);
        assertThat(t.scopes()).containsExactly("User.Read");
        assertThat(validator.validate(forged, EXP.minus(Duration.ofMinutes(1))))
                .as("the trusted path refuses what the unsafe one would read").isInstanceOf(TokenValidator.Result.Invalid.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenReader.unsafeDecodeWithoutSignature("a.b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
