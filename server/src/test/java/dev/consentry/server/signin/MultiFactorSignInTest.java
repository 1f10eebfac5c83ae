package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.aad.msal4j.ClaimsRequest;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.InteractionRequiredExceptionReason;
import com.microsoft.aad.msal4j.InteractiveRequestParameters;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.SystemBrowserOptions;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.secret.Totp;
import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Multi-factor authentication end to end, through MSAL4J and Chromium: a conditional access policy requires a second
 * factor for Megan at Graph; MSAL4J's silent refresh raises {@code MsalInteractionRequiredException} with the claims
 * (AADSTS50079 while she has no authenticator app); the interactive sign-in with those claims registers one (the QR
 * code page), verified with a code computed from its secret, and the token then holds {@code mfa} in {@code amr} and
 * reads her profile at Graph. A later sign-in asks for the code only; a wrong code and a code used before are refused
 * beside the form. The pictures of both pages in docs/ are taken here.
 */
class MultiFactorSignInTest {
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    @RegisterExtension
    static final Chromium chromium = Chromium.trusting(server);
    static final String GRAPH = "00000003-0000-0000-c000-000000000000";
    static final String POLICY = "7c1f6a0e-5b2d-4e8f-9a3c-1d2e3f4a5b6c";

    @BeforeEach
    void signedOutBrowserAndNoPolicy() {
        chromium.open(server.baseUrl() + "/consentry/health");
        chromium.driver().manage().deleteAllCookies();
    }

    @AfterEach
    void noPolicyNorAuthenticator() {
        STORE.conditionalAccessPolicies().list(TestTenant.TENANT)
                .forEach(p -> STORE.conditionalAccessPolicies().delete(TestTenant.TENANT, p.id()));
        STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN)
                .forEach(m -> STORE.softwareOathMethods().delete(TestTenant.TENANT, m.id()));
    }

    static void requireMfaForMeganAtGraph() {
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy(POLICY, "Require MFA for Graph",
                "enabled", Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of(GRAPH))),
                Map.of("operator", "OR", "builtInControls", List.of("mfa")), Map.of(), null));
    }

    static PublicClientApplication desktop() throws Exception {
        return PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    /** MSAL4J's interactive flow in Chromium, with {@code browser} doing what the person does on the pages. */
    static IAuthenticationResult interactive(PublicClientApplication app, String claims, Prompt prompt,
                                             Consumer<String> browser) throws Exception {
        var b = InteractiveRequestParameters.builder(new URI("http://localhost")).scopes(Set.of("User.Read"))
                .systemBrowserOptions(SystemBrowserOptions.builder().openBrowserAction(url -> browser.accept(url.toString()))
                        .build());
        if (claims != null) {
            b.claims(ClaimsRequest.formatAsClaimsRequest(claims));
        }
        if (prompt != null) {
            b.prompt(prompt);
        }
        return app.acquireToken(b.build()).get(60, TimeUnit.SECONDS);
    }

    static void password(String url) {
        chromium.open(url);
        chromium.fill("username", TestTenant.MEGAN_UPN);
        chromium.submit();
        chromium.fill("password", TestTenant.ADELE_PASSWORD);
        chromium.submit();
    }

    static List<String> amr(IAuthenticationResult result) throws Exception {
        return SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringListClaim("amr");
    }

    static int me(IAuthenticationResult result) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1.0/me"))
                .header("Authorization", "Bearer " + result.accessToken()).GET().build()).statusCode();
    }

    @Test
    void msalsClaimsChallengeLeadsToRegisteringAnAuthenticatorAppAndTheNewTokenProvesMfa() throws Exception {
        PublicClientApplication app = desktop();
        IAuthenticationResult before = interactive(app, null, Prompt.SELECT_ACCOUNT, MultiFactorSignInTest::password);
        assertThat(amr(before)).containsExactly("pwd");
        requireMfaForMeganAtGraph();

        Throwable t = catchThrowable(() -> app.acquireTokenSilently(SilentParameters.builder(Set.of("User.Read"),
                before.account()).authorityUrl(server.authority(TestTenant.TENANT.toString())).forceRefresh(true).build()).get());
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MsalInteractionRequiredException.class);
        MsalInteractionRequiredException challenge = (MsalInteractionRequiredException) t.getCause();
        assertThat(challenge.errorCode()).isEqualTo("invalid_grant");
        assertThat(challenge.reason()).isEqualTo(InteractionRequiredExceptionReason.BASIC_ACTION);
        assertThat(challenge.getMessage()).startsWith("AADSTS50079: Due to a configuration change made by your administrator, "
                + "or because you moved to a new location, you must enroll in multi-factor authentication to access '" + GRAPH + "'.");
        assertThat(challenge.claims()).contains("\"capolids\"").contains(POLICY);

        // The interactive sign-in with those claims: the browser's session resumes Megan, who registers an app.
        String[] used = new String[1];
        IAuthenticationResult after = interactive(app, challenge.claims(), null, url -> {
            chromium.open(url);
            chromium.awaitText("Set up your authenticator app");
            assertThat(chromium.text()).contains(TestTenant.MEGAN_UPN);
            chromium.screenshot(Msal4jConsentTest.docs().resolve("screenshots/mfa-registration-page.png"));
            String secret = chromium.driver().findElement(org.openqa.selenium.By.id("secret")).getText().replace(" ", "");
            used[0] = Totp.code(secret, Totp.step(Instant.now()));
            chromium.fill("code", used[0]);
            chromium.submit();
        });
        assertThat(amr(after)).containsExactly("pwd", "mfa");
        assertThat(me(after)).isEqualTo(200);
        List<SoftwareOathMethod> methods = STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN);
        assertThat(methods).as("the app is registered").hasSize(1);

        // Signing in again asks for the code only; a wrong code and the code used at registration are refused.
        IAuthenticationResult again = interactive(app, null, Prompt.LOGIN, url -> {
            password(url);
            chromium.awaitText("Enter code");
            chromium.screenshot(Msal4jConsentTest.docs().resolve("screenshots/mfa-code-page.png"));
            chromium.fill("code", server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, 5));
            chromium.submit();
            chromium.awaitText("is not the one their authenticator app shows");
            chromium.fill("code", used[0]);
            chromium.submit();
            chromium.awaitText("was used already");
            chromium.fill("code", server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, 1));
            chromium.submit();
        });
        assertThat(amr(again)).containsExactly("pwd", "mfa");
        assertThat(me(again)).isEqualTo(200);

        // Cancel on the code page, as a person clicks it: the app hears access_denied (MSAL4J fails the request).
        Throwable cancelled = catchThrowable(() -> interactive(app, null, Prompt.LOGIN, url -> {
            password(url);
            chromium.awaitText("Enter code");
            chromium.click("cancel");
        }));
        assertThat(cancelled).isInstanceOf(ExecutionException.class);
        assertThat(((com.microsoft.aad.msal4j.MsalClientException) cancelled.getCause()).errorCode())
                .isEqualTo("invalid_authorization_result");
        chromium.awaitText("access_denied");
    }
}
