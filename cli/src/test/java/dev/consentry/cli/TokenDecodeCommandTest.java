package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.cli.CommandLineTest.Run;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code consentry token decode}, run in-process through {@link Main#commandLine()} with a fixed clock. */
class TokenDecodeCommandTest {
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneId.of("Europe/Paris"));
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String CONSUMERS = "9188040d-6c67-4c5b-b112-36a304b66dad";
    private static final String CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
    private static RSAKey key;

    @BeforeAll
    static void throwawayKey() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("test-kid").generate();
    }

    /** A v1.0 delegated Microsoft Graph token as Entra's v1.0 endpoint issues it, expiring in 50 minutes. */
    private static JWTClaimsSet.Builder v1DelegatedGraph() {
        return new JWTClaimsSet.Builder().audience("https://graph.microsoft.com").issuer("https://sts.windows.net/" + TENANT + "/")
                .issueTime(Date.from(NOW.minusSeconds(600))).notBeforeTime(Date.from(NOW.minusSeconds(600)))
                .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(50))))
                .claim("acr", "1").claim("aio", "E2RgYJg...").claim("amr", List.of("pwd", "mfa")).claim("appid", CLIENT)
                .claim("appidacr", "0").claim("name", "Adele Vance").claim("oid", "87d349ed-44d7-43e1-9a83-5f2406dee5bd")
                .claim("scp", "User.Read Mail.Read").subject("l2b9...pairwise").claim("tid", TENANT)
                .claim("unique_name", "AdeleV@contoso.com").claim("upn", "AdeleV@contoso.com").claim("uti", "Ty2Yx")
                .claim("ver", "1.0").claim("wids", List.of("b79fbf4d-3ef9-4689-8143-76b194e85509"))
                .claim("xms_tcdt", 1289241547L).claim("contoso_custom", "x");
    }

    private static JWTClaimsSet.Builder v2AppOnlyGraph() {
        return new JWTClaimsSet.Builder().audience("00000003-0000-0000-c000-000000000000")
                .issuer("https://login.microsoftonline.com/" + TENANT + "/v2.0")
                .issueTime(Date.from(NOW.minus(Duration.ofHours(3)))).notBeforeTime(Date.from(NOW.minus(Duration.ofHours(3))))
                .expirationTime(Date.from(NOW.minus(Duration.ofMinutes(125))))
                .claim("azp", CLIENT).claim("azpacr", "1").claim("idtyp", "app").claim("oid", "2f1a0b3c-9d7e-4c5b-8a6f-1e2d3c4b5a69")
                .claim("roles", List.of("User.Read.All", "Mail.Send")).subject("2f1a0b3c-9d7e-4c5b-8a6f-1e2d3c4b5a69")
                .claim("tid", TENANT).claim("ver", "2.0");
    }

    private static String sign(JWTClaimsSet.Builder claims) throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(key.getKeyID())
                .x509CertThumbprint(new Base64URL("nOo3ZDrODXEK1jKWhXslHR_KXEg")).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static Run decode(String stdin, String... args) {
        CommandLine cl = Main.commandLine();
        TokenCommand.Decode command = cl.getSubcommands().get("token").getSubcommands().get("decode").getCommand();
        command.clock = CLOCK;
        command.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return CommandLineTest.run(cl, args);
    }

    @Test
    void aV1DelegatedGraphTokenIsSummarisedWithItsClaimsMeaningsAndTimes() throws Exception {
        Run r = decode("", "token", "decode", sign(v1DelegatedGraph()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith(TokenCommand.Decode.NOT_CHECKED + "\n")
                .contains("\n  alg  RS256\n  kid  test-kid\n  typ  JWT\n  x5t  nOo3ZDrODXEK1jKWhXslHR_KXEg\n")
                .contains("\n  aud  https://graph.microsoft.com  (audience:")
                .contains("\n  amr  [\"pwd\",\"mfa\"]  (how the subject proved")
                .contains("\n  scp  User.Read Mail.Read  (delegated permissions")
                .contains("\n  contoso_custom  x  (no description)\n")
                .contains("      2026-03-02T12:50:00Z UTC, 2026-03-02T13:50:00+01:00[Europe/Paris] local; valid for 50 min more\n")
                .contains("      2010-11-08T18:39:07Z UTC, 2010-11-08T19:39:07+01:00[Europe/Paris] local\n")
                .contains("  Issued by  Microsoft Entra ID, v1.0 endpoint, tenant " + TENANT + "\n")
                .contains("  Version    1.0\n")
                .contains("  Access     delegated: AdeleV@contoso.com through client " + CLIENT + "\n")
                .contains("  Resource   Microsoft Graph (https://graph.microsoft.com)\n")
                .contains("  Scopes     User.Read Mail.Read\n  Roles      none\n")
                .contains("  Lifetime   valid for 50 min more\n");
    }

    @Test
    void aV2AppOnlyGraphTokenInJsonHasStableFieldsAndSaysItExpired() throws Exception {
        Run r = decode("", "token", "decode", "--output", "json", sign(v2AppOnlyGraph()));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("signatureChecked").isBoolean()).isTrue();
        assertThat(json.path("signatureChecked").asBoolean()).isFalse();
        assertThat(json.path("header").path("alg").asText()).isEqualTo("RS256");
        assertThat(json.path("header").path("kid").asText()).isEqualTo("test-kid");
        JsonNode exp = find(json, "exp");
        assertThat(exp.path("value").asLong()).isEqualTo(NOW.minus(Duration.ofMinutes(125)).getEpochSecond());
        assertThat(exp.path("utc").asText()).isEqualTo("2026-03-02T09:55:00Z");
        assertThat(exp.path("local").asText()).isEqualTo("2026-03-02T10:55:00+01:00[Europe/Paris]");
        assertThat(find(json, "roles").path("value").isArray()).isTrue();
        assertThat(find(json, "idtyp").path("meaning").asText()).contains("app");
        assertThat(find(json, "azp").path("utc").isNull()).isTrue();
        JsonNode s = json.path("summary");
        assertThat(s.path("issuerKind").asText()).isEqualTo("entra-v2");
        assertThat(s.path("issuedBy").asText()).isEqualTo("Microsoft Entra ID, v2.0 endpoint, tenant " + TENANT);
        assertThat(s.path("version").asText()).isEqualTo("2.0");
        assertThat(s.path("access").asText()).isEqualTo("app-only");
        assertThat(s.path("client").asText()).isEqualTo(CLIENT);
        assertThat(s.path("resource").asText()).isEqualTo("00000003-0000-0000-c000-000000000000");
        assertThat(s.path("resourceName").asText()).isEqualTo("Microsoft Graph");
        assertThat(s.path("scopes").isEmpty()).isTrue();
        assertThat(s.path("roles").toString()).isEqualTo("[\"User.Read.All\",\"Mail.Send\"]");
        assertThat(s.path("expired").asBoolean()).isTrue();
        assertThat(s.path("lifetime").asText()).isEqualTo("expired 2 h 5 min ago");

        Run text = decode("", "token", "decode", sign(v2AppOnlyGraph()));
        assertThat(text.out()).contains("  Access     app-only: an app acting as itself (client " + CLIENT + ")\n")
                .contains("  Roles      User.Read.All Mail.Send\n").contains("; expired 2 h 5 min ago\n");
    }

    @Test
    void expiringExactlyNowIsExpiredAndRolesWithoutScpIsAppOnly() throws Exception {
        Run r = decode("", "token", "decode", sign(v2AppOnlyGraph().claim("idtyp", null).expirationTime(Date.from(NOW))));
        assertThat(r.out()).contains("  Lifetime   expired 0 s ago\n").contains("  Access     app-only");
    }

    @Test
    void aPersonalAccountTokenIsNamedSo() throws Exception {
        Run r = decode("", "token", "decode", sign(v2AppOnlyGraph().issuer("https://login.microsoftonline.com/" + CONSUMERS + "/v2.0")
                .claim("tid", CONSUMERS).claim("idtyp", null).claim("roles", null).claim("scp", "User.Read")
                .claim("preferred_username", "someone@outlook.com")));
        assertThat(r.out()).contains("  Issued by  Microsoft, for a personal Microsoft account (consumers tenant " + CONSUMERS + ")\n")
                .contains("  Access     delegated: someone@outlook.com through client " + CLIENT + "\n");
    }

    @Test
    void anAzureAdGraphTokenSaysTheApiIsRetired() throws Exception {
        Run r = decode("", "token", "decode", sign(v1DelegatedGraph().audience("https://graph.windows.net")));
        assertThat(r.out()).contains("  Resource   Azure AD Graph (retired) (https://graph.windows.net)\n");
    }

    @Test
    void otherIssuersAreRecognisedByTheirIssuer() throws Exception {
        Run google = decode("", "token", "decode", sign(new JWTClaimsSet.Builder().issuer("https://accounts.google.com")
                .audience("1234.apps.googleusercontent.com").subject("1101").claim("email", "a@gmail.com")
                .expirationTime(Date.from(NOW.plusSeconds(30)))));
        assertThat(google.out()).contains("  Issued by  Google\n").contains("  Version    (no ver claim)\n")
                .contains("  Resource   1234.apps.googleusercontent.com\n").contains("  Lifetime   valid for 30 s more\n");
        assertThat(decode("", "token", "decode", sign(v2AppOnlyGraph().issuer("https://kc.example/realms/acme"))).out())
                .contains("  Issued by  Keycloak, realm acme\n");
        assertThat(decode("", "token", "decode", sign(v2AppOnlyGraph().issuer("https://localhost:8443/" + TENANT + "/v2.0"))).out())
                .contains("  Issued by  Consentry (an Entra-shaped issuer on localhost:8443, not a Microsoft host), tenant " + TENANT);
        assertThat(decode("", "token", "decode", sign(v2AppOnlyGraph().issuer("https://idp.example"))).out())
                .contains("  Issued by  another issuer: https://idp.example\n");
    }

    @Test
    void readsStandardInputWithABearerPrefixAndWhitespace() throws Exception {
        Run r = decode("  Bearer " + sign(v1DelegatedGraph()) + "\n", "token", "decode", "-");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("  Resource   Microsoft Graph");
    }

    @Test
    void inputThatIsNotAReadableJwtIsAUsageErrorOfOneLineThatDoesNotRepeatIt() {
        String notJson = Base64URL.encode("not json").toString();
        String[][] cases = {
            {"abc", "not a JWT: a JWT has three parts separated by dots, this input has 1"},
            {"abc.def", "not a JWT: a JWT has three parts separated by dots, this input has 2"},
            {"eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", "the token is encrypted (a JWE, five parts): it cannot be read without the "
                    + "recipient's private key"},
            {notJson + "." + notJson + ".sig", "not a JWT: its header and claims must be base64url-encoded JSON objects"},
            {"x".repeat(40 * 1024), "not a token: the input is longer than 32768 characters"}};
        for (String[] c : cases) {
            Run r = decode("", "token", "decode", c[0]);
            assertThat(r.exit()).as(c[0]).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("consentry: " + c[1] + System.lineSeparator());
        }
        Run empty = decode("", "token", "decode", "-");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err().strip()).isEqualTo("consentry: no token: the input is empty");
        assertThat(decode("  \n", "token", "decode", "-").exit()).isEqualTo(2);
        Run tooLong = decode("x".repeat(40 * 1024), "token", "decode", "-");
        assertThat(tooLong.exit()).isEqualTo(2);
        assertThat(tooLong.err().strip()).isEqualTo("consentry: not a token: the input is longer than 32768 characters");
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedEvenWithAGoodHeader() throws Exception {
        String header = sign(v1DelegatedGraph()).split("\\.")[0];
        Run r = decode("", "token", "decode", header + "." + Base64URL.encode("[1,2]") + ".sig");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).doesNotContain(header).doesNotContain("Exception");
    }

    private static JsonNode find(JsonNode json, String name) {
        for (JsonNode c : json.path("claims")) {
            if (c.path("name").asText().equals(name)) {
                assertThat(c.has("meaning")).isTrue();
                return c;
            }
        }
        throw new AssertionError("no claim " + name);
    }
}
