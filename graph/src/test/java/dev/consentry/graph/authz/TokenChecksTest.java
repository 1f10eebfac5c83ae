package dev.consentry.graph.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Step;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.identity.key.Certificates;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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

    static TestTokens.Builder claims() {
        return TestTokens.signedWith(keys.primary().signer(), keys.primary().kid()).tenant(TID).aud("https://graph.microsoft.com")
                .oid("11111111-1111-4111-8111-111111111111").delegated().scp("User.Read").version("1.0")
                .notBefore(NOW.minus(Duration.ofMinutes(5))).expiresAt(NOW.plus(Duration.ofHours(1)));
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
        StageResult stage = check("Bearer " + claims().sign(), "/v1.0/me");
        assertThat(stage).isInstanceOf(StageResult.Continue.class);
        assertThat(stage.steps()).extracting(s -> s.check().wireName())
                .containsExactly("token-present", "signature-and-issuer", "lifetime", "audience", "account-type");
        assertThat(stage.steps()).allMatch(Step::passed);
        assertThat(check("bearer " + claims().aud(WellKnown.GRAPH_APP_ID.toString()).sign(), "/v1.0/me"))
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
        String signed = claims().sign();
        for (String bad : new String[] {"a.b", signed.substring(0, signed.indexOf('.') + 10), header + "." + payload + ".sig",
                claims().unsigned()}) {
            assertRefused(check("Bearer " + bad, "/v1.0/me"), Cause.TOKEN_MALFORMED, "well-formed");
        }
        // Without a dot: Graph's IDX14100 answer.
        for (String bad : new String[] {"abc", "x".repeat(20_000), header, signed.substring(0, 40)}) {
            assertRefused(check("Bearer " + bad, "/v1.0/me"), Cause.TOKEN_NOT_COMPACT, "well-formed");
        }
    }

    @Test
    void signaturesOfOtherKeysAlgorithmsAndIssuers() throws Exception {
        String other = claims().signWith(JWSAlgorithm.RS256, new RSASSASigner(Certificates.rsaKeyPair(2048).getPrivate()),
                keys.primary().kid()).sign();
        assertRefused(check("Bearer " + other, "/v1.0/me"), Cause.TOKEN_SIGNATURE_INVALID, "signature-and-issuer");

        // HS256 keyed with the public key, the classic algorithm confusion.
        String hs = claims().signWith(JWSAlgorithm.HS256, new MACSigner(keys.primary().publicKey().getEncoded()),
                keys.primary().kid()).sign();
        assertRefused(check("Bearer " + hs, "/v1.0/me"), Cause.TOKEN_SIGNATURE_INVALID, "signature-and-issuer");

        String unknownKid = claims().signWith(JWSAlgorithm.RS256, keys.primary().signer(), "not-a-key").sign();
        assertRefused(check("Bearer " + unknownKid, "/v1.0/me"), Cause.TOKEN_SIGNATURE_INVALID,
                "signature-and-issuer");

        assertRefused(check("Bearer " + claims().issuer("https://sts.windows.net/00000000-0000-0000-0000-000000000000/")
                .sign(), "/v1.0/me"), Cause.TOKEN_ISSUER_UNTRUSTED, "signature-and-issuer");
    }

    @Test
    void lifetimeWithFiveMinutesOfSkewAndTheExactBoundary() throws Exception {
        Instant exp = NOW.minus(TokenValidator.SKEW);
        assertRefused(check("Bearer " + claims().expiresAt(exp).sign(), "/v1.0/me"),
                Cause.TOKEN_EXPIRED, "lifetime");
        assertThat(check("Bearer " + claims().expiresAt(exp.plusSeconds(1)).sign(), "/v1.0/me"))
                .isInstanceOf(StageResult.Continue.class);
        assertRefused(check("Bearer " + claims().notBefore(NOW.plus(Duration.ofMinutes(6))).sign(),
                "/v1.0/me"), Cause.TOKEN_NOT_YET_VALID, "lifetime");
    }

    @Test
    void tokensForAnotherResourceAreNotGraphs() throws Exception {
        StageResult stage = check("Bearer " + claims().aud("https://graph.windows.net").sign(), "/v1.0/me");
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
            StageResult stage = check("Bearer " + claims().aud(aud).sign(), "/v1.0/me");
            assertThat(stage).as(aud).isInstanceOf(StageResult.Continue.class);
        }
        assertRefused(check("Bearer " + claims().aud("https://graph.microsoft.com.evil.example").sign(),
                "/v1.0/me"), Cause.WRONG_AUDIENCE, "audience");
    }

    @Test
    void personalAccountsOnlyWhereADelegatedPersonalPermissionExists() throws Exception {
        String personal = "Bearer " + claims().issuer("https://sts.windows.net/" + WellKnown.CONSUMERS_TENANT_ID + "/")
                .tenant(WellKnown.CONSUMERS_TENANT_ID).sign();
        assertThat(check(personal, "/v1.0/me")).as("User.Read exists for personal accounts")
                .isInstanceOf(StageResult.Continue.class);
        StageResult users = check(personal, "/v1.0/users");
        assertRefused(users, Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED, "account-type");
        assertThat(((StageResult.Stop) users).failure().explanation()).contains("GET /users");
    }
}
