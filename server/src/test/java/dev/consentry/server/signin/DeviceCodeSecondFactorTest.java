package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.DeviceCode;
import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.secret.Totp;
import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The second factor on the device code page: with a policy that wants multifactor authentication for Megan at Graph,
 * the verification page asks for her authenticator app's code right after her password (or sets one up the first
 * time), as Entra does in the browser of a device code sign-in, and the device's token then holds {@code mfa} in
 * {@code amr}. MSAL4J polls through it unchanged. A wrong code stays on the page; a second-factor form for an account
 * that did not sign in in this browser is sent back to the username step.
 */
class DeviceCodeSecondFactorTest {
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    @RegisterExtension
    static final Chromium chromium = Chromium.trusting(server);
    static final String GRAPH = "00000003-0000-0000-c000-000000000000";
    static final String TENANT = TestTenant.TENANT.toString();

    @BeforeEach
    void mfaForMeganAtGraph() {
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy(
                "0d7c7f55-2f1e-4d0b-9a39-5b8f4a8f2c11", "Require MFA for Graph", "enabled",
                Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of(GRAPH))),
                Map.of("operator", "OR", "builtInControls", List.of("mfa")), Map.of(), null));
    }

    @AfterEach
    void noPolicyNorAuthenticator() {
        STORE.conditionalAccessPolicies().list(TestTenant.TENANT)
                .forEach(p -> STORE.conditionalAccessPolicies().delete(TestTenant.TENANT, p.id()));
        STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN)
                .forEach(m -> STORE.softwareOathMethods().delete(TestTenant.TENANT, m.id()));
    }

    static List<String> amr(String accessToken) throws Exception {
        return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringListClaim("amr");
    }

    @Test
    void msalsDeviceFlowGetsAnMfaTokenOnceMeganSetsUpHerAuthenticatorAppOnTheVerificationPage() throws Exception {
        PublicClientApplication app = PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TENANT)).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        CompletableFuture<Throwable> browserFailure = new CompletableFuture<>();
        DeviceCodeFlowParameters p = DeviceCodeFlowParameters.builder(Set.of("User.Read"), code ->
                DeviceCodeTest.person(() -> {
                    try {
                        setUpAppOnThePage(code);
                    } catch (RuntimeException e) {
                        browserFailure.complete(e);
                        throw e;
                    }
                }, 300)).build();
        IAuthenticationResult result;
        try {
            result = app.acquireToken(p).get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("browser step: " + browserFailure.getNow(null), browserFailure.getNow(e));
        }
        assertThat(amr(result.accessToken())).containsExactly("pwd", "mfa");
        assertThat(result.account().username()).isEqualTo(TestTenant.MEGAN_UPN);
        assertThat(STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN)).hasSize(1);
    }

    private static void setUpAppOnThePage(DeviceCode code) {
        chromium.open(code.verificationUri());
        chromium.driver().manage().deleteAllCookies();
        chromium.open(code.verificationUri());
        chromium.fill("user_code", code.userCode());
        chromium.submit();
        chromium.click("continue");
        chromium.fill("username", TestTenant.MEGAN_UPN);
        chromium.submit();
        chromium.fill("password", TestTenant.ADELE_PASSWORD);
        chromium.submit();
        chromium.awaitText("Set up your authenticator app");
        String secret = chromium.driver().findElement(org.openqa.selenium.By.id("secret")).getText().replace(" ", "");
        chromium.fill("code", Totp.code(secret, Totp.step(Instant.now())));
        chromium.submit();
        chromium.awaitText("You have signed in");
    }

    /** Starts a flow and signs Megan in with her password on the page; returns the device code and the page after it. */
    static Map.Entry<String, HttpResponse<String>> passwordOnThePage(FormBrowser person) {
        HttpResponse<String> started = server.postForm("/" + TENANT + "/oauth2/v2.0/devicecode", FormBrowser.encode(Map.of(
                "client_id", TestTenant.PUBLIC_APP.toString(), "scope", "openid offline_access User.Read")));
        JsonNode flow = DeviceCodeTest.json(started);
        HttpResponse<String> confirm = person.submit(person.get("/devicelogin"), Map.of("user_code", flow.path("user_code").asText()));
        HttpResponse<String> username = person.submit(confirm, Map.of("step", "confirm"));
        return Map.entry(flow.path("device_code").asText(), person.signIn(username, TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD));
    }

    static HttpResponse<String> poll(String deviceCode) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("device_code", deviceCode);
        return server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(p));
    }

    @Test
    void aRegisteredAppIsAskedForItsCodeAndAWrongCodeStaysOnThePageWhileTheDeviceWaits() throws Exception {
        STORE.softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod("megan-app", TestTenant.MEGAN,
                "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", Instant.now()));
        FormBrowser person = new FormBrowser(server.baseUrl(), server.sslContext());
        var signedIn = passwordOnThePage(person);
        HttpResponse<String> codePage = signedIn.getValue();
        assertThat(codePage.body()).contains("Enter code").contains(TestTenant.MEGAN_UPN);
        assertThat(DeviceCodeTest.json(poll(signedIn.getKey())).path("error").asText())
                .as("no tokens before the second factor").isEqualTo("authorization_pending");

        HttpResponse<String> wrong = person.submit(codePage, Map.of("code",
                server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, 5)));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("Enter code").contains("is not the one their authenticator app shows");

        HttpResponse<String> done = person.submit(wrong, Map.of("code", server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, 0)));
        assertThat(done.body()).contains("You have signed in");
        Thread.sleep(5_100); // the device honours the interval before it polls again
        HttpResponse<String> tokens = poll(signedIn.getKey());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(amr(DeviceCodeTest.json(tokens).path("access_token").asText())).containsExactly("pwd", "mfa");
    }

    @Test
    void aSecondFactorFormForAnAccountThatDidNotSignInHereGoesBackToTheUsernameStep() {
        STORE.softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod("megan-app", TestTenant.MEGAN,
                "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", Instant.now()));
        FormBrowser megan = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> codePage = passwordOnThePage(megan).getValue();
        assertThat(codePage.body()).contains("Enter code");

        // Another browser replays Megan's code form (its own cookie and CSRF token, her hidden fields).
        FormBrowser other = new FormBrowser(server.baseUrl(), server.sslContext());
        Map<String, String> form = FormBrowser.hiddenFields(other.get("/devicelogin").body());
        Map<String, String> hers = FormBrowser.hiddenFields(codePage.body());
        form.put("step", hers.get("step"));
        form.put("request", hers.get("request"));
        form.put("user_tenant", hers.get("user_tenant"));
        form.put("user", hers.get("user"));
        form.put("code", server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, 0));
        HttpResponse<String> answer = other.post("/devicelogin", form);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("name=\"username\"").doesNotContain("You have signed in");
    }
}
