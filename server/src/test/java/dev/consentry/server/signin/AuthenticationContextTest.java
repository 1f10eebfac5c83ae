package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.secret.Totp;
import dev.consentry.server.signin.AuthorizeEndpointTest.Pkce;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.TenantBuilder;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Authentication context (step-up) through the {@code claims} parameter: a policy on {@code c1} requires a second
 * factor only when a request asks for {@code c1}; the sign-in then asks for the code and the tokens state {@code acrs};
 * a refresh asking for {@code c1} is refused with AADSTS50076 for a password-only sign-in and answered with
 * {@code acrs} for one that proved a second factor; a {@code claims} value that cannot be read is AADSTS50117, at the
 * authorize endpoint (redirected) and at the token endpoint (before the code is spent).
 */
public class AuthenticationContextTest {
    /** The causes this class proves on the wire. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.CLAIMS_INVALID, Cause.AUTH_CONTEXT_REQUIRED);
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    static final String C1 = "{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}";
    static final String RESET_PASSWORD = "POST /users/{id}/authentication/methods/{id}/resetPassword";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void stepUpForC1AndMeganHasAnApp() {
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("c1-policy", "Step-up for c1",
                "enabled", Map.of("users", Map.of("includeUsers", List.of("All")),
                        "applications", Map.of("includeAuthenticationContextClassReferences", List.of("c1"))),
                Map.of("operator", "OR", "builtInControls", List.of("mfa")), Map.of(), null));
        STORE.softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod("megan-app", TestTenant.MEGAN, SECRET,
                Instant.now()));
        STORE.softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod("adele-app", TestTenant.ADELE, SECRET,
                Instant.now()));
        TenantDirectory t = STORE.tenants().export(TestTenant.TENANT).orElseThrow();
        STORE.tenants().replace(TenantBuilder.from(t).withSettings(new TenantSettings(null, List.of(
                new TenantSettings.AuthenticationContext("c1", List.of(RESET_PASSWORD))), null)).build());
    }

    @AfterAll
    static void everyCauseWasProven() {
        assertThat(EXERCISED).as("causes proven here").containsAll(COVERED_HERE);
    }

    /** Megan's sign-in for the desktop app, with {@code extra} authorize parameters, answered by {@code code}. */
    static Map<String, String> signIn(FormBrowser b, Pkce pkce, String... extra) {
        return signIn(b, TestTenant.MEGAN_UPN, pkce, extra);
    }

    /** The sign-in of {@code upn} (whose password is the test tenant's), with a code when the page asks for one. */
    static Map<String, String> signIn(FormBrowser b, String upn, Pkce pkce, String... extra) {
        HttpResponse<String> page = b.get(AuthorizeEndpointTest.authorize(TestTenant.TENANT.toString(),
                AuthorizeEndpointTest.desktopExact(pkce, extra)));
        HttpResponse<String> after = b.signIn(page, upn, TestTenant.ADELE_PASSWORD);
        if (after.statusCode() == 200 && after.body().contains("Enter code")) {
            after = b.submit(after, Map.of("code", Totp.code(SECRET, Totp.step(Instant.now()))));
        }
        return FormBrowser.redirectParameters(after);
    }

    static HttpResponse<String> token(Map<String, String> form) {
        return server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(form));
    }

    static Map<String, String> redemption(String code, Pkce pkce) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "authorization_code");
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("code", code);
        p.put("redirect_uri", "http://localhost:51234");
        p.put("scope", "openid offline_access User.Read");
        p.put("code_verifier", pkce.verifier());
        return p;
    }

    static Map<String, String> refresh(String refreshToken, String claims) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "refresh_token");
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("refresh_token", refreshToken);
        p.put("scope", "User.Read");
        if (claims != null) {
            p.put("claims", claims);
        }
        return p;
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static List<String> claim(JsonNode tokenResponse, String name) throws Exception {
        List<String> v = SignedJWT.parse(tokenResponse.path("access_token").asText()).getJWTClaimsSet().getStringListClaim(name);
        return v == null ? List.of() : v;
    }

    @Test
    void askingForC1StepsUpTheSignInAndTheTokensStateIt() throws Exception {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        Pkce plainPkce = Pkce.create();
        Map<String, String> plain = signIn(b, plainPkce, "prompt", "login");
        JsonNode plainTokens = json(token(redemption(plain.get("code"), plainPkce)));
        assertThat(claim(plainTokens, "amr")).as("no context asked: no second factor").containsExactly("pwd");
        assertThat(claim(plainTokens, "acrs")).isEmpty();

        // The same refresh token asked for c1: this sign-in proved no second factor.
        HttpResponse<String> refused = token(refresh(plainTokens.path("refresh_token").asText(), C1));
        JsonNode error = json(refused);
        assertThat(error.path("error_codes").get(0).asInt()).as(refused.body()).isEqualTo(50076);
        assertThat(error.path("claims").asText()).contains("c1-policy");

        Pkce pkce = Pkce.create();
        Map<String, String> stepped = signIn(b, pkce, "prompt", "login", "claims", C1);
        JsonNode tokens = json(token(redemption(stepped.get("code"), pkce)));
        assertThat(claim(tokens, "amr")).containsExactly("pwd", "mfa");
        assertThat(claim(tokens, "acrs")).containsExactly("c1");
        JsonNode renewed = json(token(refresh(tokens.path("refresh_token").asText(), C1)));
        assertThat(claim(renewed, "acrs")).as(renewed.toString()).containsExactly("c1");
    }

    static HttpResponse<String> resetNewHiresPassword(String token) {
        return server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/v1.0/users/"
                        + TestTenant.NEWHIRE + "/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"newPassword\":\"Fresh-Passw0rd!\"}")).build());
    }

    @Test
    void aPasswordResetTheTenantProtectsWithC1IsChallengedUntilTheAdminStepsUp() throws Exception {
        String scope = "UserAuthenticationMethod.ReadWrite.All";
        Map<String, String> ropc = new LinkedHashMap<>(Map.of("grant_type", "password", "client_id",
                TestTenant.PUBLIC_APP.toString(), "username", TestTenant.ADELE_UPN, "password", TestTenant.ADELE_PASSWORD,
                "scope", scope));
        String plain = json(token(ropc)).path("access_token").asText();
        HttpResponse<String> challenged = resetNewHiresPassword(plain);
        assertThat(challenged.statusCode()).as(challenged.body()).isEqualTo(403);
        assertThat(json(challenged).path("error").path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        String header = challenged.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(header).contains("error=\"insufficient_claims\"");
        String claims = new String(java.util.Base64.getDecoder().decode(header.replaceAll(".*claims=\"([^\"]+)\".*", "$1")),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(claims).isEqualTo(C1);
        EXERCISED.add(Cause.AUTH_CONTEXT_REQUIRED);
        // The password grant cannot step up: the policy on c1 asks for a second factor.
        ropc.put("claims", claims);
        assertThat(json(token(ropc)).path("error_codes").get(0).asInt()).isEqualTo(50076);

        // Interactively, with the challenge's claims: the code page, then a token stating c1, and the reset goes through.
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        Pkce pkce = Pkce.create();
        Map<String, String> stepped = signIn(b, TestTenant.ADELE_UPN, pkce, "scope", "openid " + scope, "claims", claims);
        Map<String, String> redeem = redemption(stepped.get("code"), pkce);
        redeem.put("scope", "openid " + scope);
        JsonNode tokens = json(token(redeem));
        assertThat(claim(tokens, "acrs")).as(tokens.toString()).containsExactly("c1");
        HttpResponse<String> reset = resetNewHiresPassword(tokens.path("access_token").asText());
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(202);
    }

    @Test
    void claimsThatCannotBeReadAreAadsts50117RedirectedOrAnsweredBeforeTheCodeIsSpent() throws Exception {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> redirected = b.get(AuthorizeEndpointTest.authorize(TestTenant.TENANT.toString(),
                AuthorizeEndpointTest.desktopExact(Pkce.create(), "claims", "{\"access_token\":{\"acrs\":{\"value\":\"c100\"}}}",
                        "state", "z")));
        assertThat(redirected.statusCode()).isEqualTo(302);
        Map<String, String> p = FormBrowser.redirectParameters(redirected);
        assertThat(p).containsEntry("error", "invalid_request").containsEntry("state", "z");
        assertThat(p.get("error_description")).startsWith("AADSTS50117: Failed to deserialize policy specified in the "
                + "request's claim parameter.");

        Pkce pkce = Pkce.create();
        Map<String, String> signedIn = signIn(b, pkce, "prompt", "login");
        Map<String, String> bad = redemption(signedIn.get("code"), pkce);
        bad.put("claims", "{not json");
        HttpResponse<String> refused = token(bad);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("error").asText()).isEqualTo("invalid_request");
        assertThat(json(refused).path("error_codes").get(0).asInt()).isEqualTo(50117);
        EXERCISED.add(Cause.CLAIMS_INVALID);
        HttpResponse<String> good = token(redemption(signedIn.get("code"), pkce));
        assertThat(good.statusCode()).as("the code was not spent: " + good.body()).isEqualTo(200);
    }
}
