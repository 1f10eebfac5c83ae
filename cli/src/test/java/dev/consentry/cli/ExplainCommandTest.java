package dev.consentry.cli;

import static dev.consentry.cli.CommandLineTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.cli.CommandLineTest.Run;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code consentry explain --token}, run in-process: tokens shaped as the real Entra ID issues them (a v1.0 delegated
 * Graph token, an Azure AD Graph token), signed with a key Consentry never saw, and what Graph would decide for them,
 * in text and JSON, with the exit codes scripts read.
 */
class ExplainCommandTest {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static RSAKey key;

    @BeforeAll
    static void aKeyOfItsOwn() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("entra-kid").generate();
    }

    /** A v1.0 delegated token of the real Entra ID's shape, issued ten minutes ago for an hour. */
    static String v1(String aud, String scp, Instant issued) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(aud).issuer("https://sts.windows.net/" + TENANT + "/")
                .issueTime(Date.from(issued)).notBeforeTime(Date.from(issued)).expirationTime(Date.from(issued.plus(Duration.ofHours(1))))
                .claim("aio", "E2RgYJg...").claim("amr", List.of("pwd", "mfa")).claim("appid", "04b07795-8ddb-461a-bbee-02f9e1bf7b46")
                .claim("appidacr", "0").claim("idtyp", "user").claim("name", "Adele Vance")
                .claim("oid", "d3b4e2f1-5a6b-4c7d-8e9f-0a1b2c3d4e5f").claim("scp", scp).claim("tid", TENANT)
                .claim("unique_name", "adele@contoso.example").claim("upn", "adele@contoso.example").claim("ver", "1.0")
                .subject("k9x2...").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static String v1(String scp) throws Exception {
        return v1("https://graph.microsoft.com", scp, Instant.now().minus(Duration.ofMinutes(10)));
    }

    @Test
    void anAllowedCallExitsZeroAndSaysTheSignatureWasNotChecked() throws Exception {
        Run r = run("explain", "--token", v1("User.Read Mail.Read"), "GET", "https://graph.microsoft.com/v1.0/me/messages");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("GET /v1.0/me/messages\n")
                .contains("Decided offline from the token's claims: its signature was not checked.")
                .contains("Graph would allow this call, with Mail.Read.")
                .contains("??  signature-and-issuer").contains("Microsoft Entra ID (v1.0 issuer)")
                .contains("ok  permission").contains("Not known offline");
    }

    @Test
    void aRefusedCallExitsOneWithTheCauseTheFixAndTheLeastPrivilegedPermission() throws Exception {
        Run r = run("explain", "--token", "Bearer " + v1("User.Read"), "get", "/v1.0/users");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Graph would refuse this call: 403 Authorization_RequestDenied")
                .contains("Why: ").contains("Fix: ").contains("NO  permission")
                .contains("Least privileged permissions for this call: ").contains("DelegatedWork User.ReadBasic.All");
    }

    @Test
    void jsonIsTheDiagnosisWithTheSignatureMarkedUnchecked() throws Exception {
        Run r = run("explain", "--token", v1("User.Read"), "GET", "v1.0/users", "--output", "json");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("signatureChecked").asBoolean(true)).isFalse();
        assertThat(json.path("decision").asText()).isEqualTo("deny");
        assertThat(json.path("cause").asText()).isEqualTo("permission-not-held");
        assertThat(json.path("path").asText()).isEqualTo("/v1.0/users");
        assertThat(json.path("steps").get(1).path("check").asText()).isEqualTo("signature-and-issuer");
        assertThat(json.path("steps").get(1).path("outcome").asText()).isEqualTo("unknown");
    }

    @Test
    void tokensForAnotherResourceOrExpiredOnesAreRefusedAsGraphRefusesThem() throws Exception {
        Run aadGraph = run("explain", "--token", v1("https://graph.windows.net", "User.Read", Instant.now()), "GET", "/v1.0/me");
        assertThat(aadGraph.exit()).isEqualTo(1);
        assertThat(aadGraph.out()).contains("Azure AD Graph");
        Run expired = run("explain", "--token", v1("https://graph.microsoft.com", "User.Read",
                Instant.now().minus(Duration.ofHours(3))), "GET", "/v1.0/me");
        assertThat(expired.exit()).isEqualTo(1);
        assertThat(expired.out()).contains("401 InvalidAuthenticationToken, \"Lifetime validation failed, the token is expired.\"");
        Run garbage = run("explain", "--token", "not-a-jwt", "GET", "/v1.0/me");
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.out()).contains("401 InvalidAuthenticationToken").doesNotContain("Exception");
    }

    @Test
    void theTokenCanComeFromStandardInputSoThatItStaysOutOfTheShellHistory() throws Exception {
        InputStream before = System.in;
        try {
            System.setIn(new ByteArrayInputStream((v1("User.Read") + "\n").getBytes(StandardCharsets.UTF_8)));
            assertThat(run("explain", "--token", "-", "GET", "/v1.0/me").exit()).isZero();
            System.setIn(new ByteArrayInputStream(new byte[0]));
            Run empty = run("explain", "--token", "-", "GET", "/v1.0/me");
            assertThat(empty.exit()).isEqualTo(2);
            assertThat(empty.err()).contains("no token on standard input");
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void withoutARunningConsentryTheStoreStillHoldsTheRefusals(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        dev.consentry.core.explain.Diagnosis refused = dev.consentry.core.explain.Diagnosis.refused("req-42",
                dev.consentry.core.explain.Diagnosis.Channel.GRAPH, null, "corr-42", "GET", "/v1.0/groups", Instant.now(), 403,
                dev.consentry.core.cause.Failure.of(dev.consentry.core.cause.Cause.TOKEN_MISSING, "problem", "no header"),
                List.of(), java.util.Map.of());
        try (var store = dev.consentry.store.jdbc.JdbcStore.h2File(dir)) {
            store.traces().record(new dev.consentry.store.TraceEntry("req-42", null, "corr-42",
                    dev.consentry.store.TraceChannel.GRAPH, refused.at(), refused.toJson()));
        }
        Run byCorrelation = run("explain", "CORR-42", "--data-dir", dir.toString());
        assertThat(byCorrelation.exit()).as(byCorrelation.err()).isEqualTo(1);
        assertThat(byCorrelation.out()).contains("GET /v1.0/groups").contains("Refused: 403 InvalidAuthenticationToken (token-missing)");
    }

    @Test
    void usageErrorsExitTwoWithOneClearLine() throws Exception {
        Run method = run("explain", "--token", v1("User.Read"), "FETCH", "/v1.0/me");
        assertThat(method.exit()).isEqualTo(2);
        assertThat(method.err()).contains("'FETCH' is not a Graph method").doesNotContain("Exception");
        Run url = run("explain", "--token", v1("User.Read"), "GET", "https://example.com/v1.0/me");
        assertThat(url.exit()).isEqualTo(2);
        assertThat(url.err()).contains("is not a Microsoft Graph URL");
        assertThat(run("explain", "GET", "/v1.0/me").exit()).isEqualTo(2);
    }
}
