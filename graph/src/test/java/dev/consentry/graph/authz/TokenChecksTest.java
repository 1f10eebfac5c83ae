package dev.consentry.graph.authz;

import dev.consentry.core.explain.Step;
import dev.consentry.identity.token.TokenValidator;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.identity.key.Certificates;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.store.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token stage of the Graph pipeline, check by check in Graph's order, with real RS256 tokens signed by
 * Consentry's key store and a fixed instant: each refusal names its cause and the step that failed, and a
 * good token passes every step.
 */
class TokenChecksTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final String TID = "5f0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f";
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static SigningKeys keys;
    static TokenChecks checks;

    @BeforeAll
    static void setUp() {
        keys = SigningKeys.load(new InMemoryStore().signingKeys(), Clock.systemUTC());
        checks = new TokenChecks(TokenChecks.graphTokenValidator(keys), GraphPermissionCatalogue.builtin());
    }

    @AfterAll
    static void everyTokenCauseIsProvenHere() {
        assertThat(EXERCISED).containsAll(EnumSet.of(Cause.TOKEN_MISSING, Cause.TOKEN_MALFORMED, Cause.TOKEN_SIGNATURE_INVALID,
                Cause.TOKEN_ISSUER_UNTRUSTED, Cause.TOKEN_EXPIRED, Cause.TOKEN_NOT_YET_VALID, Cause.WRONG_AUDIENCE,
                Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED));
    }

    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer("https://sts.windows.net/" + TID + "/").audience("https://graph.microsoft.com")
                .claim("tid", TID).claim("oid", "11111111-1111-4111-8111-111111111111").claim("idtyp", "user")
                .claim("scp", "User.Read").claim("ver", "1.0")
                .notBeforeTime(Date.from(NOW.minus(Duration.ofMinutes(5)))).expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
    }

    static String sign(JWTClaimsSet c) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.primary().kid()).build(), c);
        jwt.sign(keys.primary().signer());
        return jwt.serialize();
    }

    static StageResult check(String authorization, String path) {
        return checks.apply(Evaluation.of(new GraphRequest("GET", path, authorization), NOW));
    }

    static void assertRefused(StageResult stage, Cause cause, String failedCheck) {
        EXERCISED.add(cause);
        assertThat(stage).isInstanceOf(StageResult.Stop.class);
        StageResult.Stop refused = (StageResult.Stop) stage;
        assertThat(refused.failure().cause()).isEqualTo(cause);
        Step last = refused.steps().get(refused.steps().size() - 1);
        assertThat(last.passed()).isFalse();
        assertThat(last.check().wireName()).isEqualTo(failedCheck);
        assertThat(refused.steps().subList(0, refused.steps().size() - 1)).allMatch(Step::passed);
    }

    @Test
    void aGoodTokenPassesEveryCheckInOrder() throws Exception {
        StageResult stage = check("Bearer " + sign(claims().build()), "/v1.0/me");
        assertThat(stage).isInstanceOf(StageResult.Continue.class);
        assertThat(stage.steps()).extracting(s -> s.check().wireName())
                .containsExactly("token-present", "signature-and-issuer", "lifetime", "audience", "account-type");
        assertThat(stage.steps()).allMatch(Step::passed);
        assertThat(check("bearer " + sign(claims().audience(WellKnown.GRAPH_APP_ID.toString()).build()), "/v1.0/me"))
                .as("scheme in any case; Graph's app id as audience").isInstanceOf(StageResult.Continue.class);
    }

    @Test
    void missingOrNonBearerAuthorization() {
        assertRefused(check(null, "/v1.0/me"), Cause.TOKEN_MISSING, "token-present");
        assertRefused(check("Bearer ", "/v1.0/me"), Cause.TOKEN_MISSING, "token-present");
        assertRefused(check("Basic dXNlcjpwYXNz", "/v1.0/me"), Cause.TOKEN_MISSING, "token-present");
    }

    @Test
    void malformedTokensOfEveryKind() throws Exception {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes(StandardCharsets.UTF_8));
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"RS256\",\"kid\":\"" + keys.primary().kid() + "\"}").getBytes(StandardCharsets.UTF_8));
        for (String bad : new String[] {"abc", "a.b", sign(claims().build()).substring(0, 40), header + "." + payload + ".sig",
                new PlainJWT(claims().build()).serialize(), "x".repeat(20_000)}) {
            assertRefused(check("Bearer " + bad, "/v1.0/me"), Cause.TOKEN_MALFORMED, "well-formed");
        }
    }

    @Test
    void signaturesOfOtherKeysAlgorithmsAndIssuers() throws Exception {
        SignedJWT other = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.primary().kid()).build(),
                claims().build());
        other.sign(new RSASSASigner(Certificates.rsaKeyPair(2048).getPrivate()));
        assertRefused(check("Bearer " + other.serialize(), "/v1.0/me"), Cause.TOKEN_SIGNATURE_INVALID, "signature-and-issuer");

        // HS256 keyed with the public key, the classic algorithm confusion.
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.primary().kid()).build(), claims().build());
        hs.sign(new MACSigner(keys.primary().publicKey().getEncoded()));
        assertRefused(check("Bearer " + hs.serialize(), "/v1.0/me"), Cause.TOKEN_SIGNATURE_INVALID, "signature-and-issuer");

        SignedJWT unknownKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("not-a-key").build(), claims().build());
        unknownKid.sign(keys.primary().signer());
        assertRefused(check("Bearer " + unknownKid.serialize(), "/v1.0/me"), Cause.TOKEN_SIGNATURE_INVALID,
                "signature-and-issuer");

        assertRefused(check("Bearer " + sign(claims().issuer("https://sts.windows.net/00000000-0000-0000-0000-000000000000/")
                .build()), "/v1.0/me"), Cause.TOKEN_ISSUER_UNTRUSTED, "signature-and-issuer");
    }

    @Test
    void lifetimeWithFiveMinutesOfSkewAndTheExactBoundary() throws Exception {
        Instant exp = NOW.minus(TokenValidator.SKEW);
        assertRefused(check("Bearer " + sign(claims().expirationTime(Date.from(exp)).build()), "/v1.0/me"),
                Cause.TOKEN_EXPIRED, "lifetime");
        assertThat(check("Bearer " + sign(claims().expirationTime(Date.from(exp.plusSeconds(1))).build()), "/v1.0/me"))
                .isInstanceOf(StageResult.Continue.class);
        assertRefused(check("Bearer " + sign(claims().notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(6)))).build()),
                "/v1.0/me"), Cause.TOKEN_NOT_YET_VALID, "lifetime");
    }

    @Test
    void tokensForAnotherResourceAreNotGraphs() throws Exception {
        StageResult stage = check("Bearer " + sign(claims().audience("https://graph.windows.net").build()), "/v1.0/me");
        assertRefused(stage, Cause.WRONG_AUDIENCE, "audience");
        assertThat(((StageResult.Stop) stage).failure().explanation()).contains("https://graph.windows.net");
        assertThat(((StageResult.Stop) stage).failure().fix()).contains("https://graph.windows.net/.default");
    }

    @Test
    void everyNameTheTokenEndpointIssuesGraphTokensForIsAGraphAudience() throws Exception {
        // The token endpoint issues a v1 Graph token with aud = the name asked for (ResourceResolver keeps it), so each
        // of Graph's names must pass here: before one list of names served both, the canary host was refused.
        for (String aud : new String[] {"https://graph.microsoft.com", "https://graph.microsoft.com/",
                "https://canary.graph.microsoft.com", "https://canary.graph.microsoft.com/", "HTTPS://GRAPH.MICROSOFT.COM",
                WellKnown.GRAPH_APP_ID.toString()}) {
            StageResult stage = check("Bearer " + sign(claims().audience(aud).build()), "/v1.0/me");
            assertThat(stage).as(aud).isInstanceOf(StageResult.Continue.class);
        }
        assertRefused(check("Bearer " + sign(claims().audience("https://graph.microsoft.com.evil.example").build()),
                "/v1.0/me"), Cause.WRONG_AUDIENCE, "audience");
    }

    @Test
    void personalAccountsOnlyWhereADelegatedPersonalPermissionExists() throws Exception {
        String personal = "Bearer " + sign(claims().issuer("https://sts.windows.net/" + WellKnown.CONSUMERS_TENANT_ID + "/")
                .claim("tid", WellKnown.CONSUMERS_TENANT_ID.toString()).build());
        assertThat(check(personal, "/v1.0/me")).as("User.Read exists for personal accounts")
                .isInstanceOf(StageResult.Continue.class);
        StageResult users = check(personal, "/v1.0/users");
        assertRefused(users, Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED, "account-type");
        assertThat(((StageResult.Stop) users).failure().explanation()).contains("GET /users");
    }
}
