package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.aad.msal4j.ClaimsRequest;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.InteractiveRequestParameters;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.SystemBrowserOptions;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.secret.Totp;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conditional access and second-factor causes of the STS, each driven through MSAL4J (the desktop app's password
 * grant, silent refresh and interactive flow, whose pages a cookie-keeping browser answers as a person would): the
 * refusal, its diagnosis read by the id the answer carried, the fix the diagnosis names applied as it names it (the
 * claims challenge sent back, the code the app shows, the server's clock moved past the lock, the policy turned off, a
 * compliant device), and the same call then issuing the token.
 */
class StsPolicyAccessCausesTest {
    static final MutableClock CLOCK = MutableClock.ticking();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new InMemoryStore(), CLOCK);
    static final String TENANT = TestTenant.TENANT.toString();
    static final String GRAPH = "00000003-0000-0000-c000-000000000000";
    static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    static final Set<String> SCOPES = Set.of("User.Read");
    private static final Pattern PAGE_TRACE = Pattern.compile("<span id=\"trace-id\">([^<]+)</span>");
    private static final Pattern REDIRECT_TRACE = Pattern.compile("Trace ID: ([0-9a-f-]{36})");

    @BeforeEach
    void freshTenants() {
        CLOCK.reset();
        Diagnosed.reset(server);
    }

    @AfterEach
    void clockBack() {
        CLOCK.reset();
    }

    private static PublicClientApplication desktop() throws Exception {
        return PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString()).authority(server.authority(TENANT))
                .instanceDiscovery(false).sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    private static void policy(String id, List<String> apps, List<String> controls, Map<String, Object> session) {
        server.consentry().store().conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy(id,
                "Policy " + id, "enabled", Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", apps)),
                Map.of("operator", "OR", "builtInControls", controls), session, null));
    }

    /** Megan's authenticator app, under a new id: codes proved in one test are not "used already" in the next. */
    private static void meganHasAnApp() {
        server.consentry().store().softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod(
                "app-" + UUID.randomUUID(), TestTenant.MEGAN, SECRET, CLOCK.instant()));
    }

    private static String code(int stepsAhead) {
        return server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, stepsAhead);
    }

    /**
     * MSAL4J's interactive flow: {@code browser} does on the pages what the person does, from the URL MSAL opens to the
     * answer for the app, which is then handed to MSAL's loopback listener as a browser would.
     */
    private static IAuthenticationResult interactive(PublicClientApplication app, String claims, Prompt prompt,
                                                     Function<String, HttpResponse<String>> browser) throws Exception {
        var p = InteractiveRequestParameters.builder(new URI("http://localhost")).scopes(SCOPES)
                .httpPollingTimeoutInSeconds(30)
                .systemBrowserOptions(SystemBrowserOptions.builder()
                        .openBrowserAction(url -> toTheApp(browser.apply(url.toString()))).build());
        if (claims != null) {
            p.claims(ClaimsRequest.formatAsClaimsRequest(claims));
        }
        if (prompt != null) {
            p.prompt(prompt);
        }
        return app.acquireToken(p.build()).get(60, TimeUnit.SECONDS);
    }

    /** The authorize endpoint's answer for the app (a redirect or an auto-posting form), delivered to the loopback. */
    private static void toTheApp(HttpResponse<String> answer) {
        FormBrowser loopback = new FormBrowser(server.baseUrl(), server.sslContext());
        if (answer.statusCode() == 302) {
            String location = answer.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith("http://localhost:");
            loopback.get(location);
            return;
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String action = dev.consentry.testkit.HtmlForms.formAction(answer.body()).orElseThrow();
        assertThat(action).startsWith("http://localhost:");
        loopback.post(action, FormBrowser.hiddenFields(answer.body()));
    }

    /** What the app's loopback receives: the query of a redirect, or the fields of the page that posts them. */
    private static Map<String, String> appReply(HttpResponse<String> answer) {
        if (answer.statusCode() == 302) {
            return FormBrowser.redirectParameters(answer);
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("action=\"http://localhost:");
        return FormBrowser.hiddenFields(answer.body());
    }

    /** Username and password pages for Megan, from the page at {@code url}. */
    private static HttpResponse<String> password(FormBrowser b, String url) {
        return b.signIn(b.get(url), TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
    }

    private static IAuthenticationResult refreshed(PublicClientApplication app, IAuthenticationResult signedIn)
            throws Exception {
        return app.acquireTokenSilently(SilentParameters.builder(SCOPES, signedIn.account()).authorityUrl(server.authority(TENANT))
                .forceRefresh(true).build()).get(30, TimeUnit.SECONDS);
    }

    private static <T extends Throwable> T refused(Class<T> type, ThrowingCall call) {
        Throwable t = catchThrowable(call::run);
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(type);
        return type.cast(t.getCause());
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static List<String> amr(IAuthenticationResult result) throws Exception {
        return SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringListClaim("amr");
    }

    private static String pageTrace(HttpResponse<String> page) {
        Matcher m = PAGE_TRACE.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    @SuppressWarnings("deprecation") // the password grant is the client call under test
    private static UserNamePasswordParameters.UserNamePasswordParametersBuilder meganPassword() {
        return UserNamePasswordParameters.builder(SCOPES, TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD.toCharArray());
    }

    /** A policy's ids as the diagnosis's {@code policies} fact names them (before the decision record in brackets). */
    private static List<String> policyIds(Diagnosis d) {
        String policies = d.facts().get("policies");
        assertThat(policies).isNotNull();
        return List.of(policies.substring(0, policies.indexOf(" (")).split(", "));
    }

    /** The administrator's own app (the daemon) holding {@code permissions} of Graph, granted as `consentry grant` does. */
    private static String adminAppToken(String... permissions) {
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            for (String p : permissions) {
                admin.grant(new Administration.GrantRequest(TENANT, TestTenant.DAEMON.toString(), null, p, "application"));
            }
        }
        return server.appToken(TENANT, TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    @Test
    @Drives(Cause.MFA_REQUIRED)
    void aRefreshRefusedForASecondFactorCarriesClaimsAndAfterTheSignInWithThemTheRefreshWorks() throws Exception {
        meganHasAnApp();
        PublicClientApplication app = desktop();
        IAuthenticationResult before = interactive(app, null, Prompt.LOGIN, url -> password(new FormBrowser(server.baseUrl(), server.sslContext()), url));
        assertThat(amr(before)).containsExactly("pwd");
        String id = UUID.randomUUID().toString();
        policy(id, List.of(GRAPH), List.of("mfa"), Map.of());

        MsalInteractionRequiredException challenge = refused(MsalInteractionRequiredException.class,
                () -> refreshed(app, before));
        assertThat(challenge.getMessage()).startsWith("AADSTS50076: ");
        assertThat(challenge.claims()).contains(id);
        Diagnosis d = Diagnosed.as(server, challenge.correlationId(), Cause.MFA_REQUIRED);
        assertThat(policyIds(d)).containsExactly(id);
        assertThat(d.facts()).containsEntry("amr", "pwd").containsEntry("resourceAppId", GRAPH);
        assertThat(d.fix()).contains("send the claims of this error to the authorize endpoint");

        // The fix: the interactive sign-in with the challenge's claims, completing the second factor.
        IAuthenticationResult after = interactive(app, challenge.claims(), null, url -> {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> codePage = password(b, url);
            assertThat(codePage.body()).contains("Enter code");
            return b.submit(codePage, Map.of("code", code(0)));
        });
        assertThat(amr(after)).contains("mfa");
        assertThat(amr(refreshed(app, after))).contains("mfa");
    }

    @Test
    @Drives(Cause.MFA_REGISTRATION_REQUIRED)
    void aRefreshRefusedForAUserWithoutAnAuthenticatorAppWorksAfterTheSignInRegistersOne() throws Exception {
        PublicClientApplication app = desktop();
        IAuthenticationResult before = interactive(app, null, Prompt.LOGIN, url -> password(new FormBrowser(server.baseUrl(), server.sslContext()), url));
        String id = UUID.randomUUID().toString();
        policy(id, List.of(GRAPH), List.of("mfa"), Map.of());

        MsalInteractionRequiredException challenge = refused(MsalInteractionRequiredException.class,
                () -> refreshed(app, before));
        assertThat(challenge.getMessage()).startsWith("AADSTS50079: ");
        Diagnosis d = Diagnosed.as(server, challenge.correlationId(), Cause.MFA_REGISTRATION_REQUIRED);
        assertThat(policyIds(d)).containsExactly(id);
        assertThat(d.fix()).contains("registers an authenticator app");

        // The fix: sign in interactively; the sign-in registers an app (its secret, shown on the page) and proves a code.
        IAuthenticationResult after = interactive(app, challenge.claims(), null, url -> {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> setUp = password(b, url);
            assertThat(setUp.body()).contains("Set up your authenticator app");
            String secret = FormBrowser.hiddenFields(setUp.body()).get("secret");
            return b.submit(setUp, Map.of("code", Totp.code(secret, Totp.step(CLOCK.instant()))));
        });
        assertThat(server.consentry().store().softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN)).hasSize(1);
        assertThat(amr(after)).contains("mfa");
        assertThat(amr(refreshed(app, after))).contains("mfa");
    }

    @Test
    @Drives(Cause.MFA_CODE_INVALID)
    void aWrongCodeIsRefusedBesideTheFormAndTheCodeTheAppShowsNowSignsIn() throws Exception {
        meganHasAnApp();
        policy(UUID.randomUUID().toString(), List.of(GRAPH), List.of("mfa"), Map.of());
        Diagnosis[] diagnosed = new Diagnosis[1];
        IAuthenticationResult result = interactive(desktop(), null, Prompt.LOGIN, url -> {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> codePage = password(b, url);
            HttpResponse<String> wrong = b.submit(codePage, Map.of("code", code(5)));
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(wrong.body()).contains("AADSTS500121").contains("name=\"code\"");
            diagnosed[0] = Diagnosed.as(server, pageTrace(wrong), Cause.MFA_CODE_INVALID);
            assertThat(diagnosed[0].facts()).containsEntry("username", TestTenant.MEGAN_UPN);
            assertThat(diagnosed[0].fix()).contains("the authenticator app shows now");
            // The fix: the six digits the app shows now, in the same form.
            return b.submit(wrong, Map.of("code", code(0)));
        });
        assertThat(diagnosed[0].facts().get("problem")).contains("matches none");
        assertThat(amr(result)).contains("mfa");
    }

    @Test
    @Drives(Cause.MFA_CODE_REUSED)
    void aCodeUsedBeforeIsRefusedAndTheNextCodeTheAppShowsSignsIn() throws Exception {
        meganHasAnApp();
        policy(UUID.randomUUID().toString(), List.of(GRAPH), List.of("mfa"), Map.of());
        PublicClientApplication app = desktop();
        String used = code(0);
        interactive(app, null, Prompt.LOGIN, url -> {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            return b.submit(password(b, url), Map.of("code", used));
        });

        Diagnosis[] diagnosed = new Diagnosis[1];
        IAuthenticationResult again = interactive(app, null, Prompt.LOGIN, url -> {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> reused = b.submit(password(b, url), Map.of("code", used));
            assertThat(reused.statusCode()).isEqualTo(400);
            diagnosed[0] = Diagnosed.as(server, pageTrace(reused), Cause.MFA_CODE_REUSED);
            assertThat(diagnosed[0].fix()).contains("next code (a new one every 30 seconds)");
            // The fix: wait for the next code (the server's clock, 30 seconds on), and type that.
            CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
            return b.submit(reused, Map.of("code", code(0)));
        });
        assertThat(diagnosed[0].facts()).containsEntry("username", TestTenant.MEGAN_UPN);
        assertThat(amr(again)).contains("mfa");
    }

    @Test
    @Drives(Cause.ACCOUNT_LOCKED)
    void tenWrongCodesLockTheSecondFactorUntilTheTimeTheDiagnosisNamesThenTheRightCodeSignsIn() throws Exception {
        meganHasAnApp();
        policy(UUID.randomUUID().toString(), List.of(GRAPH), List.of("mfa"), Map.of());
        Diagnosis[] diagnosed = new Diagnosis[1];
        IAuthenticationResult result = interactive(desktop(), null, Prompt.LOGIN, url -> {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> page = password(b, url);
            HttpResponse<String> answer = page;
            String wrong = code(5);
            for (int i = 0; i < 10 && !answer.body().contains("AADSTS50053"); i++) {
                answer = b.submit(page, Map.of("code", wrong));
            }
            assertThat(answer.body()).contains("AADSTS50053");
            HttpResponse<String> rightButLocked = b.submit(page, Map.of("code", code(0)));
            assertThat(rightButLocked.body()).contains("AADSTS50053");
            diagnosed[0] = Diagnosed.as(server, pageTrace(rightButLocked), Cause.ACCOUNT_LOCKED);
            Instant until = Instant.parse(diagnosed[0].facts().get("until"));
            assertThat(diagnosed[0].fix()).contains("Wait until " + until);
            // The fix: wait until the time named (the server's clock), then type the code the app shows at that moment.
            CLOCK.set(until);
            return b.submit(page, Map.of("code", code(0)));
        });
        assertThat(diagnosed[0].facts()).containsEntry("threshold", "10");
        assertThat(amr(result)).contains("mfa");
    }

    @Test
    @Drives(Cause.SIGN_IN_FREQUENCY_TOKEN)
    void aRefreshPastTheSignInFrequencyIsRefusedAndWorksAfterSigningInAgain() throws Exception {
        meganHasAnApp();
        String id = UUID.randomUUID().toString();
        policy(id, List.of("All"), List.of("mfa"), Map.of("signInFrequency", Map.of("value", 1, "type", "hours",
                "isEnabled", true, "authenticationType", "primaryAndSecondaryAuthentication", "frequencyInterval", "timeBased")));
        PublicClientApplication app = desktop();
        IAuthenticationResult first = interactive(app, null, Prompt.LOGIN, url -> {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            return b.submit(password(b, url), Map.of("code", code(0)));
        });
        assertThat(refreshed(app, first).accessToken()).isNotBlank();

        CLOCK.advance(Duration.ofHours(2));
        MsalInteractionRequiredException expired = refused(MsalInteractionRequiredException.class,
                () -> refreshed(app, first));
        assertThat(expired.getMessage()).startsWith("AADSTS70043: ");
        Diagnosis d = Diagnosed.as(server, expired.correlationId(), Cause.SIGN_IN_FREQUENCY_TOKEN);
        assertThat(policyIds(d)).containsExactly(id);
        assertThat(d.facts()).containsEntry("frequency", Duration.ofHours(1).toString()).containsEntry("lifetime", "3600");
        assertThat(d.fix()).contains("Sign in interactively again");

        IAuthenticationResult again = interactive(app, null, null, url -> {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            return b.submit(password(b, url), Map.of("code", code(0)));
        });
        assertThat(refreshed(app, again).accessToken()).isNotBlank();
    }

    @Test
    @Drives(Cause.SIGN_IN_FREQUENCY_SESSION)
    void aSilentSignInPastTheSignInFrequencyIsRefusedAndTheSameSignInWithoutPromptNoneAsksAgainAndWorks() throws Exception {
        meganHasAnApp();
        String id = UUID.randomUUID().toString();
        policy(id, List.of("All"), List.of("mfa"), Map.of("signInFrequency", Map.of("value", 1, "type", "hours",
                "isEnabled", true, "authenticationType", "primaryAndSecondaryAuthentication", "frequencyInterval", "timeBased")));
        PublicClientApplication app = desktop();
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        interactive(app, null, Prompt.LOGIN, url -> b.submit(password(b, url), Map.of("code", code(0))));

        CLOCK.advance(Duration.ofHours(2));
        String[] trace = new String[1];
        Throwable silent = catchThrowable(() -> interactive(app, null, Prompt.NONE, url -> {
            HttpResponse<String> back = b.get(url);
            Map<String, String> reply = appReply(back);
            assertThat(reply).containsEntry("error", "interaction_required").doesNotContainKey("code");
            Matcher m = REDIRECT_TRACE.matcher(reply.get("error_description"));
            assertThat(m.find()).isTrue();
            trace[0] = m.group(1);
            return back;
        }));
        assertThat(silent).as("MSAL4J fails the prompt=none request").isInstanceOf(ExecutionException.class);
        assertThat(trace[0]).as("the browser saw the refusal: %s", silent).isNotNull();
        Diagnosis d = Diagnosed.as(server, trace[0], Cause.SIGN_IN_FREQUENCY_SESSION);
        assertThat(policyIds(d)).containsExactly(id);
        assertThat(d.fix()).contains("without prompt=none");

        // The fix: the same browser, to the authorize endpoint without prompt=none: the password, then the code, again.
        IAuthenticationResult again = interactive(app, null, null, url -> {
            HttpResponse<String> passwordPage = b.get(url);
            assertThat(passwordPage.body()).contains("name=\"password\"");
            HttpResponse<String> codePage = b.submit(passwordPage, Map.of("password", TestTenant.ADELE_PASSWORD));
            return b.submit(codePage, Map.of("code", code(0)));
        });
        assertThat(amr(again)).contains("mfa");
    }

    @Test
    @Drives(Cause.CLAIMS_INVALID)
    void claimsNamingNoAuthenticationContextAreRefusedAndTheSameGrantWithoutThemIssuesTheToken() throws Exception {
        PublicClientApplication app = desktop();
        String claims = "{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c100\"}}}";
        MsalServiceException refused = refused(MsalServiceException.class, () -> app.acquireToken(meganPassword()
                .claims(ClaimsRequest.formatAsClaimsRequest(claims)).build()).get());
        assertThat(refused.errorCode()).isEqualTo("invalid_request");
        assertThat(refused.getMessage()).startsWith("AADSTS50117: ");
        Diagnosis d = Diagnosed.as(server, refused.correlationId(), Cause.CLAIMS_INVALID);
        assertThat(d.facts().get("problem")).contains("'c100'").contains("c1 to c99");
        assertThat(d.fix()).contains("or none");
        // The fix: the claims of a challenge as they came, or none; no challenge came here, so none.
        assertThat(app.acquireToken(meganPassword().build()).get(30, TimeUnit.SECONDS).accessToken()).isNotBlank();
    }

    @Test
    @Drives(Cause.CONDITIONAL_ACCESS_BLOCKED)
    void aBlockPolicyRefusesTheTokenUntilAnAdministratorTurnsTheNamedPolicyOff() throws Exception {
        String id = UUID.randomUUID().toString();
        policy(id, List.of(GRAPH), List.of("block"), Map.of());
        PublicClientApplication app = desktop();
        MsalInteractionRequiredException blocked = refused(MsalInteractionRequiredException.class,
                () -> app.acquireToken(meganPassword().build()).get());
        assertThat(blocked.getMessage()).startsWith("AADSTS53003: ");
        Diagnosis d = Diagnosed.as(server, blocked.correlationId(), Cause.CONDITIONAL_ACCESS_BLOCKED);
        assertThat(d.fix()).contains("turn it off (its state)");

        // The fix: an administrator turns off each policy named, through Graph.
        String admin = adminAppToken("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess");
        for (String policy : policyIds(d)) {
            HttpResponse<String> off = server.graph("PATCH", "/v1.0/identity/conditionalAccess/policies/" + policy, admin,
                    "{\"state\": \"disabled\"}");
            assertThat(off.statusCode()).as(off.body()).isEqualTo(204);
        }
        assertThat(policyIds(d)).containsExactly(id);
        assertThat(app.acquireToken(meganPassword().build()).get(30, TimeUnit.SECONDS).accessToken()).isNotBlank();
    }

    @Test
    @Drives(Cause.DEVICE_NOT_COMPLIANT)
    void aSignInFromADeviceThatIsNotCompliantGoesThroughOnceTheDeviceIsRegisteredAndMarkedCompliant() throws Exception {
        policy(UUID.randomUUID().toString(), List.of("All"), List.of("compliantDevice"), Map.of());
        Set<String> known = new HashSet<>();
        server.consentry().store().devices().list(TestTenant.TENANT).forEach(dv -> known.add(dv.deviceId()));
        Diagnosis[] diagnosed = new Diagnosis[1];
        IAuthenticationResult result = interactive(desktop(), null, null, url -> {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> offer = password(b, url);
            assertThat(offer.statusCode()).isEqualTo(400);
            assertThat(offer.body()).contains("AADSTS53000").contains("Register this device");
            diagnosed[0] = Diagnosed.as(server, pageTrace(offer), Cause.DEVICE_NOT_COMPLIANT);
            String state = diagnosed[0].facts().get("state");
            assertThat(diagnosed[0].fix()).contains("a device the tenant marks " + state);
            // The fix: sign in from a device the tenant marks compliant: this browser's device, registered, then marked
            // compliant by an administrator through Graph.
            assertThat(b.submit(offer, Map.of()).statusCode()).isEqualTo(303);
            Device device = server.consentry().store().devices().list(TestTenant.TENANT).stream()
                    .filter(dv -> !known.contains(dv.deviceId())).findFirst().orElseThrow();
            HttpResponse<String> marked = server.graph("PATCH", "/v1.0/devices/" + device.id(),
                    adminAppToken("Device.ReadWrite.All"), "{\"isCompliant\": true}");
            assertThat(marked.statusCode()).as(marked.body()).isEqualTo(204);
            return b.get(url);
        });
        assertThat(diagnosed[0].facts()).containsEntry("state", "compliant");
        assertThat(SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("deviceid")).isNotBlank();
    }
}
