package dev.consentry.server.acceptance;

import static dev.consentry.server.signin.AuthorizeEndpointTest.authorize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.DeviceCode;
import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.graph.models.Application;
import com.microsoft.graph.models.ImplicitGrantSettings;
import com.microsoft.graph.models.WebApplication;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.signin.AuthorizeEndpointTest.Pkce;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The causes of the authorize endpoint, the sign-in pages, the authorization code grant and the device code flow,
 * each driven through the client that meets it: a cookie-keeping browser ({@link FormBrowser}) for the pages and
 * the redirects, MSAL4J for code redemption and the device code flow, and a hand-rolled poller (as curl would send)
 * for the polling mistakes no library makes. Each refusal's diagnosis is read through the diagnostics API by the id
 * the answer carried; the fix it names is applied as it names it, and the same call then succeeds.
 */
class StsBrowserCausesTest {
    private static final String TENANT = TestTenant.TENANT.toString();
    private static final String LOOPBACK = "http://localhost:51234";
    private static final Set<String> USER_READ = Set.of("User.Read");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRACE = Pattern.compile("Trace ID: ([0-9a-f-]{36})");

    /** The server's clock: it follows the system clock until a test moves it; put back after each test. */
    static final MutableClock clock = MutableClock.ticking();

    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new InMemoryStore(), clock);

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
    }

    @AfterEach
    void clockBack() {
        clock.reset();
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /**
     * The desktop app's authorization request as a browser carries it: code with PKCE S256, query mode, to a loopback
     * port; {@code changes} are name, value pairs (a null value removes the parameter).
     */
    private static Map<String, String> desktop(Pkce pkce, String... changes) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("response_type", "code");
        p.put("redirect_uri", LOOPBACK);
        p.put("scope", "openid profile offline_access User.Read");
        p.put("state", "state-" + UUID.randomUUID());
        p.put("nonce", "nonce-" + UUID.randomUUID());
        p.put("code_challenge", pkce.challenge());
        p.put("code_challenge_method", "S256");
        return changed(p, changes);
    }

    private static Map<String, String> changed(Map<String, String> p, String... changes) {
        Map<String, String> copy = new LinkedHashMap<>(p);
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                copy.remove(changes[i]);
            } else {
                copy.put(changes[i], changes[i + 1]);
            }
        }
        return copy;
    }

    /** A refusal shown on Consentry's page, asserted and diagnosed through the API by the trace id the page shows. */
    private static Diagnosis onPage(HttpResponse<String> page, Cause cause) {
        server.assertRefusedOnPage(page, cause);
        String trace = page.body().replaceAll("(?s).*<span id=\"trace-id\">([^<]+)</span>.*", "$1");
        return Diagnosed.as(server, trace, cause);
    }

    /**
     * A refusal redirected to the app (query or fragment), with the cause's error and the trace id in its
     * error_description, diagnosed through the API by that trace id.
     */
    private static Diagnosis redirected(HttpResponse<String> r, Cause cause) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        Map<String, String> p = FormBrowser.redirectParameters(r);
        assertThat(p.get("error")).as(p.toString()).isEqualTo(cause.error());
        assertThat(p.get("error_description")).startsWith("AADSTS" + cause.code() + ": ");
        Matcher m = TRACE.matcher(p.get("error_description"));
        assertThat(m.find()).as(p.get("error_description")).isTrue();
        return Diagnosed.as(server, m.group(1), cause);
    }

    /** The parameters of a successful redirect (query or fragment), asserted to carry no error. */
    private static Map<String, String> answered(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        Map<String, String> p = FormBrowser.redirectParameters(r);
        assertThat(p).as(p.toString()).doesNotContainKey("error");
        return p;
    }

    /** Opens the request in {@code browser} and signs Adele in; answers the last response (the redirect, normally). */
    private static HttpResponse<String> signInAdele(FormBrowser browser, String tenant, Map<String, String> request) {
        HttpResponse<String> page = browser.get(authorize(tenant, request));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return browser.signIn(page, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD);
    }

    /** A code for the desktop app issued to {@code browser} (signing Adele in unless it has her session). */
    private static String code(FormBrowser browser, Pkce pkce) {
        HttpResponse<String> r = browser.get(authorize(TENANT, desktop(pkce)));
        if (r.statusCode() == 200) {
            r = browser.signIn(r, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD);
        }
        return answered(r).get("code");
    }

    private static PublicClientApplication desktopApp(String clientId, String tenant) throws Exception {
        return PublicClientApplication.builder(clientId).authority(server.authority(tenant)).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    private static PublicClientApplication desktopApp() throws Exception {
        return desktopApp(TestTenant.PUBLIC_APP.toString(), TENANT);
    }

    /** MSAL4J's code redemption: the code, the redirect URI it was requested for, the PKCE verifier. */
    private static IAuthenticationResult redeem(PublicClientApplication app, String code, String redirectUri,
                                                String verifier) throws Exception {
        return app.acquireToken(redemption(code, redirectUri, verifier)).get(30, TimeUnit.SECONDS);
    }

    private static IAuthenticationResult redeem(ConfidentialClientApplication app, String code, String redirectUri,
                                                String verifier) throws Exception {
        return app.acquireToken(redemption(code, redirectUri, verifier)).get(30, TimeUnit.SECONDS);
    }

    private static AuthorizationCodeParameters redemption(String code, String redirectUri, String verifier)
            throws Exception {
        return AuthorizationCodeParameters.builder(code, new URI(redirectUri)).scopes(USER_READ).codeVerifier(verifier)
                .build();
    }

    /** The service exception MSAL4J ended with, asserted to carry the cause's error and code. */
    private static MsalServiceException msalRefused(ThrowingCall call, Cause cause) {
        Throwable t = catchThrowable(call::run);
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(MsalServiceException.class);
        MsalServiceException e = (MsalServiceException) t.getCause();
        assertThat(e.errorCode()).isEqualTo(cause.error());
        assertThat(e.getMessage()).startsWith("AADSTS" + cause.code());
        return e;
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static void assertAdele(IAuthenticationResult result) throws Exception {
        assertThat(SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("oid"))
                .isEqualTo(TestTenant.ADELE.toString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /**
     * Adds {@code redirectUri} to the web platform of the app {@code appId} with the Graph SDK, as Adele (Global
     * Administrator) signed in to an admin tool (the desktop app, given Application.ReadWrite.All as
     * {@code consentry grant} gives it).
     */
    private static void registerWebRedirect(String appId, String redirectUri) {
        try (var admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            admin.grant(new Administration.GrantRequest(TENANT, TestTenant.PUBLIC_APP.toString(), null,
                    "Application.ReadWrite.All", "delegated"));
        }
        GraphServiceClient graph = GraphSdk.client(server, () -> server.userToken(TENANT, TestTenant.PUBLIC_APP.toString(),
                TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("Application.ReadWrite.All")));
        com.microsoft.graph.models.Application app = graph.applications().get().getValue().stream()
                .filter(a -> appId.equals(a.getAppId())).findFirst().orElseThrow();
        var web = new com.microsoft.graph.models.WebApplication();
        List<String> uris = new java.util.ArrayList<>(app.getWeb() == null || app.getWeb().getRedirectUris() == null
                ? List.of() : app.getWeb().getRedirectUris());
        uris.add(redirectUri);
        web.setRedirectUris(uris);
        var patch = new com.microsoft.graph.models.Application();
        patch.setWeb(web);
        graph.applications().byApplicationId(app.getId()).patch(patch);
    }

    // ---- the authorize endpoint: refusals on the page --------------------------------------------------

    @Test
    @Drives(Cause.REDIRECT_URI_MISMATCH)
    void aWebAppSendingAnUnregisteredRedirectUriIsToldWhichOneToRegisterAndThenSignsIn() {
        // The registered URI is https://app.fabrikam.example:8443/signin-oidc; the app sends it without the port.
        String sent = "https://app.fabrikam.example/signin-oidc";
        Map<String, String> request = new LinkedHashMap<>(Map.of("client_id", TestTenant.WEB_APP.toString(),
                "response_type", "code", "redirect_uri", sent, "scope", "openid User.Read", "state", "w"));
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());

        Diagnosis d = onPage(browser.get(authorize(TENANT, request)), Cause.REDIRECT_URI_MISMATCH);
        assertThat(d.facts()).containsEntry("redirectUri", sent);
        assertThat(d.facts().get("registered")).contains(TestTenant.WEB_REDIRECT);
        assertThat(d.fix()).contains("Register '" + sent + "'");
        assertThat(d.facts()).containsEntry("clientId", TestTenant.WEB_APP.toString());
        // The fix: register the URI the diagnosis names on the app it names (its web platform).
        registerWebRedirect(d.facts().get("clientId"), d.facts().get("redirectUri"));

        HttpResponse<String> done = signInAdele(browser, TENANT, request);
        assertThat(done.headers().firstValue("Location").orElseThrow()).startsWith(sent + "?code=");
        assertThat(answered(done)).containsKey("code").containsEntry("state", "w");
    }

    @Test
    @Drives(Cause.REDIRECT_URI_NONE_REGISTERED)
    void anAppWithNoRedirectUriIsToldToAddOneAndThenShowsTheSignInPage() {
        String redirect = "https://daemon.fabrikam.example/callback";
        Map<String, String> request = new LinkedHashMap<>(Map.of("client_id", TestTenant.DAEMON.toString(),
                "response_type", "code", "redirect_uri", redirect, "scope", "openid", "state", "d"));
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());

        Diagnosis d = onPage(browser.get(authorize(TENANT, request)), Cause.REDIRECT_URI_NONE_REGISTERED);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.DAEMON.toString());
        assertThat(d.fix()).contains("redirect URI");
        // The fix: add the app's redirect URI (the one it sends) to the registration of the app the diagnosis names,
        // through Graph, as Adele (a Global Administrator) with an admin tool.
        registerWebRedirect(d.facts().get("clientId"), redirect);

        HttpResponse<String> page = browser.get(authorize(TENANT, request));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"username\"");
    }

    @Test
    @Drives(Cause.FORM_TOKEN_INVALID)
    void aSignInFormPostedWithoutTheBrowsersTokenIsRefusedAndStartingAgainSignsIn() {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Map<String, String> request = desktop(Pkce.create());
        HttpResponse<String> page = browser.get(authorize(TENANT, request));
        // A form kept from another browser's page (a cross-site post): its token is not bound to this browser.
        Map<String, String> stolen = FormBrowser.hiddenFields(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize(TENANT, request)).body());
        stolen.put("username", TestTenant.ADELE_UPN);
        String action = dev.consentry.testkit.HtmlForms.formAction(page.body()).orElseThrow();

        Diagnosis d = onPage(browser.post(action, stolen), Cause.FORM_TOKEN_INVALID);
        assertThat(d.fix()).contains("Start again from the application");
        // The fix: start again from the application, in this browser, and post the form its page serves.
        HttpResponse<String> again = browser.get(authorize(TENANT, request));
        HttpResponse<String> done = browser.signIn(again, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(answered(done)).containsKey("code");
    }

    // ---- the authorize endpoint: refusals redirected to the app ----------------------------------------

    @Test
    @Drives(Cause.IMPLICIT_TOKEN_NOT_ENABLED)
    void theImplicitAccessTokenResponseTypeIsRefusedAndTheCodeItNamesIsIssued() throws Exception {
        responseTypeRefusedThenTheNamedOneIssued("token", Cause.IMPLICIT_TOKEN_NOT_ENABLED);
    }

    @Test
    @Drives(Cause.RESPONSE_TYPE_UNSUPPORTED)
    void aResponseTypeConsentryDoesNotServeIsRefusedAndTheCodeItNamesIsIssued() throws Exception {
        responseTypeRefusedThenTheNamedOneIssued("none", Cause.RESPONSE_TYPE_UNSUPPORTED);
    }

    private void responseTypeRefusedThenTheNamedOneIssued(String responseType, Cause cause) throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Pkce pkce = Pkce.create();
        Map<String, String> request = desktop(pkce, "response_type", responseType);

        Diagnosis d = redirected(browser.get(authorize(TENANT, request)), cause);
        assertThat(d.facts()).containsEntry("responseType", responseType);
        Matcher named = Pattern.compile("response_type=(\\w+)").matcher(d.fix());
        assertThat(named.find()).as(d.fix()).isTrue();
        // The fix: the response type the diagnosis names (with the PKCE challenge the request already has).
        HttpResponse<String> done = signInAdele(browser, TENANT, changed(request, "response_type", named.group(1)));
        String code = answered(done).get("code");
        assertAdele(redeem(desktopApp(), code, LOOPBACK, pkce.verifier()));
    }

    @Test
    @Drives(Cause.RESPONSE_MODE_INVALID)
    void anUnknownResponseModeIsRefusedAndAModeTheFixNamesCarriesTheCode() {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Map<String, String> request = desktop(Pkce.create(), "response_mode", "json");

        Diagnosis d = redirected(browser.get(authorize(TENANT, request)), Cause.RESPONSE_MODE_INVALID);
        assertThat(d.facts()).containsEntry("responseMode", "json");
        assertThat(d.fix()).contains("response_mode=form_post");
        // The fix: the first mode the fix names, form_post: the code arrives as an auto-posted form to the app.
        HttpResponse<String> posted = signInAdele(browser, TENANT, changed(request, "response_mode", "form_post"));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(posted.body()).contains("action=\"" + LOOPBACK + "\"");
        assertThat(FormBrowser.hiddenFields(posted.body())).containsKey("code").doesNotContainKey("error")
                .containsEntry("state", request.get("state"));
    }

    @Test
    @Drives(Cause.NONCE_REQUIRED)
    void anIdTokenRequestWithoutANonceIsRefusedAndWithOneReturnsTheIdToken() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Map<String, String> request = desktop(Pkce.create(), "response_type", "id_token", "nonce", null);

        Diagnosis d = redirected(browser.get(authorize(TENANT, request)), Cause.NONCE_REQUIRED);
        assertThat(d.fix()).contains("nonce");
        // The fix: a fresh random nonce.
        String nonce = UUID.randomUUID().toString();
        Map<String, String> p = answered(signInAdele(browser, TENANT, changed(request, "nonce", nonce)));
        assertThat(SignedJWT.parse(p.get("id_token")).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo(nonce);
    }

    @Test
    @Drives(Cause.ID_TOKEN_NOT_ENABLED)
    void anIdTokenForAWebAppThatDoesNotEnableItIsRefusedUntilGraphEnablesIt() throws Exception {
        // A web app signing users in with OpenID Connect's hybrid flow (ASP.NET's default): code and id token, posted.
        Map<String, String> request = new LinkedHashMap<>(Map.of("client_id", TestTenant.WEB_APP.toString(),
                "response_type", "code id_token", "response_mode", "form_post", "redirect_uri", TestTenant.WEB_REDIRECT,
                "scope", "openid profile User.Read", "nonce", UUID.randomUUID().toString(), "state", "hybrid"));
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> refused = browser.get(authorize(TENANT, request));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
        Map<String, String> fields = FormBrowser.hiddenFields(refused.body());
        assertThat(fields).containsEntry("error", "unsupported_response_type").containsEntry("state", "hybrid");
        assertThat(fields.get("error_description"))
                .startsWith("AADSTS700054: response_type 'id_token' is not enabled for the application.");
        Matcher trace = TRACE.matcher(fields.get("error_description"));
        assertThat(trace.find()).isTrue();
        Diagnosis d = Diagnosed.as(server, trace.group(1), Cause.ID_TOKEN_NOT_ENABLED);
        assertThat(d.facts()).containsEntry("responseType", "code id_token").containsEntry("setting", "not set")
                .containsEntry("clientId", TestTenant.WEB_APP.toString());
        assertThat(d.fix()).contains("enableIdTokenIssuance");

        // The fix as the diagnosis names it: the registration enables id tokens, through Graph, by an admin tool.
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            admin.grant(new Administration.GrantRequest(TENANT, TestTenant.API.toString(), null, "Application.ReadWrite.All",
                    "application"));
        }
        String adminToken = server.appToken(TENANT, TestTenant.API.toString(), TestTenant.API_SECRET);
        GraphServiceClient graph = GraphSdk.client(server, () -> adminToken);
        ImplicitGrantSettings implicit = new ImplicitGrantSettings();
        implicit.setEnableIdTokenIssuance(true);
        WebApplication web = new WebApplication();
        web.setImplicitGrantSettings(implicit);
        Application change = new Application();
        change.setWeb(web);
        graph.applications().byApplicationId(d.facts().get("applicationObjectId")).patch(change);
        Application read = graph.applications().byApplicationId(d.facts().get("applicationObjectId")).get();
        assertThat(read.getWeb().getImplicitGrantSettings().getEnableIdTokenIssuance()).isTrue();
        assertThat(read.getWeb().getImplicitGrantSettings().getEnableAccessTokenIssuance()).isFalse();
        assertThat(read.getWeb().getRedirectUris()).as("the redirect URIs the PATCH did not name are kept")
                .contains(TestTenant.WEB_REDIRECT);

        // The same request now signs Adele in and posts the code and an id token that carries the nonce and c_hash.
        HttpResponse<String> posted = signInAdele(browser, TENANT, request);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        Map<String, String> answer = FormBrowser.hiddenFields(posted.body());
        assertThat(answer).doesNotContainKey("error").containsKey("code").containsEntry("state", "hybrid");
        var claims = SignedJWT.parse(answer.get("id_token")).getJWTClaimsSet();
        assertThat(claims.getStringClaim("nonce")).isEqualTo(request.get("nonce"));
        assertThat(claims.getStringClaim("c_hash")).isNotBlank();
        assertThat(claims.getAudience()).containsExactly(TestTenant.WEB_APP.toString());
    }

    @Test
    @Drives(Cause.PKCE_REQUIRED)
    void aPublicClientWithoutPkceIsRefusedAndWithAnS256ChallengeGetsACodeMsalRedeems() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Pkce pkce = Pkce.create();
        Map<String, String> request = desktop(pkce, "code_challenge", null, "code_challenge_method", null);

        Diagnosis d = redirected(browser.get(authorize(TENANT, request)), Cause.PKCE_REQUIRED);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.PUBLIC_APP.toString());
        assertThat(d.fix()).contains("code_challenge_method=S256");
        // The fix: code_challenge = BASE64URL(SHA256(verifier)) and the method the fix names.
        String code = answered(signInAdele(browser, TENANT, changed(request, "code_challenge", pkce.challenge(),
                "code_challenge_method", "S256"))).get("code");
        assertAdele(redeem(desktopApp(), code, LOOPBACK, pkce.verifier()));
    }

    @Test
    @Drives(Cause.PKCE_METHOD_UNSUPPORTED)
    void thePlainChallengeMethodIsRefusedAndS256IsAccepted() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Pkce pkce = Pkce.create();
        Map<String, String> request = desktop(pkce, "code_challenge", pkce.verifier(), "code_challenge_method", "plain");

        Diagnosis d = redirected(browser.get(authorize(TENANT, request)), Cause.PKCE_METHOD_UNSUPPORTED);
        assertThat(d.facts()).containsEntry("method", "plain");
        Matcher named = Pattern.compile("code_challenge_method=(\\w+)").matcher(d.fix());
        assertThat(named.find()).as(d.fix()).isTrue();
        String code = answered(signInAdele(browser, TENANT, changed(request, "code_challenge", pkce.challenge(),
                "code_challenge_method", named.group(1)))).get("code");
        assertAdele(redeem(desktopApp(), code, LOOPBACK, pkce.verifier()));
    }

    @Test
    @Drives(Cause.LOGIN_REQUIRED)
    void aSilentRequestWithoutASessionIsRefusedAndSucceedsAfterAnInteractiveSignIn() {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Map<String, String> silent = desktop(Pkce.create(), "prompt", "none");

        Diagnosis d = redirected(browser.get(authorize(TENANT, silent)), Cause.LOGIN_REQUIRED);
        assertThat(d.fix()).contains("interactively");
        // The fix: sign the user in interactively first (no prompt=none), then retry silently.
        answered(signInAdele(browser, TENANT, changed(silent, "prompt", null)));

        assertThat(answered(browser.get(authorize(TENANT, silent)))).containsKey("code");
    }

    @Test
    @Drives(Cause.ACCOUNT_SELECTION_REQUIRED)
    void aSilentRequestInABrowserWithTwoAccountsIsRefusedAndTheLoginHintPicksOne() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        answered(signInAdele(browser, TENANT, desktop(Pkce.create())));
        HttpResponse<String> again = browser.get(authorize(TENANT, desktop(Pkce.create(), "prompt", "login")));
        answered(browser.signIn(again, TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD));
        Pkce pkce = Pkce.create();
        Map<String, String> silent = desktop(pkce, "prompt", "none");

        Diagnosis d = redirected(browser.get(authorize(TENANT, silent)), Cause.ACCOUNT_SELECTION_REQUIRED);
        assertThat(d.facts()).containsEntry("count", "2");
        assertThat(d.fix()).contains("login_hint");
        // The fix: login_hint with the account's user name.
        String code = answered(browser.get(authorize(TENANT, changed(silent, "login_hint", TestTenant.ADELE_UPN))))
                .get("code");
        assertAdele(redeem(desktopApp(), code, LOOPBACK, pkce.verifier()));
    }

    @Test
    @Drives(Cause.USER_CANCELLED)
    void aUserWhoCancelsTheSignInIsReportedToTheAppAndSigningInInsteadGetsTheCode() {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Map<String, String> request = desktop(Pkce.create());
        HttpResponse<String> page = browser.get(authorize(TENANT, request));

        Diagnosis d = redirected(browser.submit(page, Map.of("step", "cancel")), Cause.USER_CANCELLED);
        assertThat(d.explanation()).contains("Cancel");
        // Nothing to fix (the user chose not to sign in): the same request with the user's other choice succeeds.
        assertThat(answered(signInAdele(browser, TENANT, request))).containsKey("code");
    }

    // ---- the authorization code grant, through MSAL4J ---------------------------------------------------

    @Test
    @Drives(Cause.PKCE_MISMATCH)
    void aCodeRedeemedWithAnotherVerifierIsRefusedAndWithItsOwnVerifierYieldsTokens() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        PublicClientApplication app = desktopApp();
        Pkce pkce = Pkce.create();
        String code = code(browser, pkce);

        MsalServiceException e = msalRefused(() -> redeem(app, code, LOOPBACK, Pkce.create().verifier()), Cause.PKCE_MISMATCH);
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.PKCE_MISMATCH);
        assertThat(d.fix()).contains("code_verifier whose S256 hash was sent as code_challenge");
        // The fix: the verifier of the challenge; a refused redemption spends the code (as Entra's does), so the
        // browser, still signed in, fetches the next code.
        assertAdele(redeem(app, code(browser, pkce), LOOPBACK, pkce.verifier()));
    }

    @Test
    @Drives(Cause.AUTHORIZATION_CODE_INVALID)
    void aMangledCodeIsRefusedAndTheCodeAsItArrivedYieldsTokens() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        PublicClientApplication app = desktopApp();
        Pkce pkce = Pkce.create();
        String code = code(browser, pkce);
        String mangled = code.substring(0, code.length() - 4); // cut short, as a careless copy does

        MsalServiceException e = msalRefused(() -> redeem(app, mangled, LOOPBACK, pkce.verifier()),
                Cause.AUTHORIZATION_CODE_INVALID);
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.AUTHORIZATION_CODE_INVALID);
        assertThat(d.facts().get("problem")).contains("no code");
        assertThat(d.fix()).contains("exactly as it arrived");
        // The fix: the code exactly as it arrived (a mangled code matches none, so the real one is still unspent).
        assertAdele(redeem(app, code, LOOPBACK, pkce.verifier()));
    }

    @Test
    @Drives(Cause.AUTHORIZATION_CODE_REDEEMED)
    void aCodeRedeemedTwiceIsRefusedAndOneRedeemedOnceYieldsTokens() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        PublicClientApplication app = desktopApp();
        Pkce pkce = Pkce.create();
        String code = code(browser, pkce);
        redeem(app, code, LOOPBACK, pkce.verifier());

        MsalServiceException e = msalRefused(() -> redeem(app, code, LOOPBACK, pkce.verifier()),
                Cause.AUTHORIZATION_CODE_REDEEMED);
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.AUTHORIZATION_CODE_REDEEMED);
        assertThat(d.facts()).containsKey("redeemedAt");
        assertThat(d.fix()).contains("Redeem each code once");
        // The fix: each code once. The replay revoked the refresh tokens of the first redemption (as the explanation
        // says), so the closest success is the same redemption of the browser's next code, once.
        assertAdele(redeem(app, code(browser, pkce), LOOPBACK, pkce.verifier()));
    }

    @Test
    @Drives(Cause.AUTHORIZATION_CODE_EXPIRED)
    void aCodeRedeemedAfterItsLifetimeIsRefusedAndOneRedeemedAtOnceYieldsTokens() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        PublicClientApplication app = desktopApp();
        Pkce pkce = Pkce.create();
        String code = code(browser, pkce);
        clock.advance(Duration.ofMinutes(11)); // the app left the code waiting

        MsalServiceException e = msalRefused(() -> redeem(app, code, LOOPBACK, pkce.verifier()),
                Cause.AUTHORIZATION_CODE_EXPIRED);
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.AUTHORIZATION_CODE_EXPIRED);
        assertThat(d.facts()).containsKeys("expiresAt", "lifetime");
        assertThat(d.explanation()).contains(d.facts().get("lifetime"));
        assertThat(d.fix()).contains("as soon as it arrives");
        // The fix: redeem the browser's next code as soon as it arrives.
        clock.reset();
        assertAdele(redeem(app, code(browser, pkce), LOOPBACK, pkce.verifier()));
    }

    @Test
    @Drives(Cause.AUTHORIZATION_CODE_CLIENT_MISMATCH)
    void aCodeRedeemedByAnotherClientIsRefusedAndTheClientItNamesRedeemsIt() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Pkce pkce = Pkce.create();
        ConfidentialClientApplication web = ConfidentialClientApplication.builder(TestTenant.WEB_APP.toString(),
                        ClientCredentialFactory.createFromSecret(TestTenant.WEB_SECRET))
                .authority(server.authority(TENANT)).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        String code = code(browser, pkce);

        MsalServiceException e = msalRefused(() -> redeem(web, code, LOOPBACK, pkce.verifier()),
                Cause.AUTHORIZATION_CODE_CLIENT_MISMATCH);
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.AUTHORIZATION_CODE_CLIENT_MISMATCH);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.WEB_APP.toString());
        String issuedTo = d.facts().get("issuedTo");
        assertThat(issuedTo).isEqualTo(TestTenant.PUBLIC_APP.toString());
        // The fix: the client the code was issued to redeems it (the refused redemption spent that code).
        assertAdele(redeem(desktopApp(issuedTo, TENANT), code(browser, pkce), LOOPBACK, pkce.verifier()));
    }

    @Test
    @Drives(Cause.AUTHORIZATION_CODE_REDIRECT_MISMATCH)
    void aCodeRedeemedWithAnotherRedirectUriIsRefusedAndWithTheOneItNamesYieldsTokens() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        PublicClientApplication app = desktopApp();
        Pkce pkce = Pkce.create();
        String code = code(browser, pkce);

        MsalServiceException e = msalRefused(() -> redeem(app, code, LOOPBACK + "/", pkce.verifier()),
                Cause.AUTHORIZATION_CODE_REDIRECT_MISMATCH);
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.AUTHORIZATION_CODE_REDIRECT_MISMATCH);
        assertThat(d.facts()).containsEntry("redirectUri", LOOPBACK + "/");
        String expected = d.facts().get("expected");
        assertThat(expected).isEqualTo(LOOPBACK);
        // The fix: the redirect URI the diagnosis names (on the browser's next code: the refusal spent this one).
        assertAdele(redeem(app, code(browser, pkce), expected, pkce.verifier()));
    }

    @Test
    @Drives(Cause.AUTHORIZATION_CODE_TENANT_MISMATCH)
    void aCodeRedeemedAtAnotherTenantIsRefusedAndAtTheTenantItNamesYieldsTokens() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Pkce pkce = Pkce.create();
        PublicClientApplication atOther = desktopApp(TestTenant.PUBLIC_APP.toString(), TestTenant.OTHER_TENANT.toString());
        String code = code(browser, pkce);

        MsalServiceException e = msalRefused(() -> redeem(atOther, code, LOOPBACK, pkce.verifier()),
                Cause.AUTHORIZATION_CODE_TENANT_MISMATCH);
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.AUTHORIZATION_CODE_TENANT_MISMATCH);
        String codeTenant = d.facts().get("codeTenant");
        assertThat(codeTenant).isEqualTo(TENANT);
        // The fix: redeem at the authority the diagnosis names (the browser's next code: the refusal spent this one).
        assertAdele(redeem(desktopApp(TestTenant.PUBLIC_APP.toString(), codeTenant), code(browser, pkce), LOOPBACK,
                pkce.verifier()));
    }

    // ---- the device code flow -----------------------------------------------------------------------

    /** A device code flow of MSAL4J on its own: the code it shows, and its result. */
    private record DeviceFlow(CompletableFuture<DeviceCode> shown, CompletableFuture<IAuthenticationResult> result) {}

    /** Starts MSAL4J's device code flow for the desktop app, every request carrying {@code correlationId}. */
    private static DeviceFlow startDeviceFlow(String correlationId) throws Exception {
        PublicClientApplication app = PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TENANT)).instanceDiscovery(false).correlationId(correlationId)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
        CompletableFuture<DeviceCode> shown = new CompletableFuture<>();
        CompletableFuture<IAuthenticationResult> result = app.acquireToken(
                DeviceCodeFlowParameters.builder(USER_READ, shown::complete).build());
        return new DeviceFlow(shown, result);
    }

    /** The person at the verification page: enters the user code, then signs Adele in (approve) or cancels. */
    private static void atVerificationPage(String userCode, boolean approve) {
        FormBrowser person = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> confirm = person.submit(person.get("/devicelogin"), Map.of("user_code", userCode));
        assertThat(confirm.body()).as(confirm.body()).contains("Fabrikam Desktop");
        if (!approve) {
            HttpResponse<String> cancelled = person.submit(confirm, Map.of("step", "cancel"));
            assertThat(cancelled.statusCode()).as(cancelled.body()).isLessThan(500);
            return;
        }
        HttpResponse<String> username = person.submit(confirm, Map.of("step", "confirm"));
        HttpResponse<String> done = person.signIn(username, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(done.body()).contains("You have signed in");
    }

    /** Waits until the newest diagnosis under {@code correlationId} is a refusal of {@code cause}; answers it. */
    private static Diagnosis awaitDiagnosis(String correlationId, Cause cause) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = server.get("/consentry/diagnostics/" + correlationId);
            if (r.statusCode() == 200 && cause.slug().equals(Diagnosis.parse(r.body()).cause())) {
                return Diagnosed.as(server, correlationId, cause);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + cause.slug() + " recorded under " + correlationId);
    }

    @Test
    @Drives(Cause.DEVICE_AUTHORIZATION_PENDING)
    void msalsPollIsPendingUntilTheUserSignsInAndKeepingToTheIntervalGetsTheToken() throws Exception {
        String correlationId = UUID.randomUUID().toString();
        DeviceFlow flow = startDeviceFlow(correlationId);
        DeviceCode code = flow.shown().get(30, TimeUnit.SECONDS);

        // MSAL's first poll, before anyone has entered the code.
        Diagnosis d = awaitDiagnosis(correlationId, Cause.DEVICE_AUTHORIZATION_PENDING);
        assertThat(d.facts()).containsEntry("userCode", code.userCode())
                .containsEntry("interval", String.valueOf(code.interval()));
        assertThat(d.fix()).contains("Keep polling every " + code.interval() + " seconds");
        // The fix: keep polling at the interval (MSAL does) while the user signs in at the verification page.
        atVerificationPage(code.userCode(), true);

        assertAdele(flow.result().get(60, TimeUnit.SECONDS));
    }

    @Test
    @Drives(Cause.DEVICE_AUTHORIZATION_DECLINED)
    void aDeclineEndsMsalsFlowAndANewFlowTheUserApprovesGetsTheToken() throws Exception {
        String correlationId = UUID.randomUUID().toString();
        DeviceFlow flow = startDeviceFlow(correlationId);
        DeviceCode code = flow.shown().get(30, TimeUnit.SECONDS);
        atVerificationPage(code.userCode(), false);

        MsalServiceException e = msalRefused(() -> flow.result().get(60, TimeUnit.SECONDS),
                Cause.DEVICE_AUTHORIZATION_DECLINED);
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.DEVICE_AUTHORIZATION_DECLINED);
        assertThat(d.facts()).containsEntry("userCode", code.userCode());
        assertThat(d.fix()).contains("Start a new device code flow");
        // The fix: a new device code flow; this time the user approves (the closest success: the decline was theirs).
        DeviceFlow next = startDeviceFlow(UUID.randomUUID().toString());
        atVerificationPage(next.shown().get(30, TimeUnit.SECONDS).userCode(), true);
        assertAdele(next.result().get(60, TimeUnit.SECONDS));
    }

    @Test
    @Drives(Cause.DEVICE_CODE_EXPIRED)
    void aFlowNobodyCompletesInItsLifetimeExpiresAndANewOneCompletedInTimeGetsTheToken() throws Exception {
        String correlationId = UUID.randomUUID().toString();
        DeviceFlow flow = startDeviceFlow(correlationId);
        DeviceCode code = flow.shown().get(30, TimeUnit.SECONDS);
        awaitDiagnosis(correlationId, Cause.DEVICE_AUTHORIZATION_PENDING);
        clock.advance(Duration.ofSeconds(code.expiresIn() + 60)); // nobody came: the lifetime passes

        MsalServiceException e = msalRefused(() -> flow.result().get(60, TimeUnit.SECONDS), Cause.DEVICE_CODE_EXPIRED);
        Diagnosis d = Diagnosed.as(server, e.correlationId(), Cause.DEVICE_CODE_EXPIRED);
        assertThat(d.facts()).containsEntry("lifetime", code.expiresIn() / 60 + " minutes");
        assertThat(d.fix()).contains("Start a new device code flow");
        // The fix: a new flow, signed in within its lifetime.
        clock.reset();
        DeviceFlow next = startDeviceFlow(UUID.randomUUID().toString());
        atVerificationPage(next.shown().get(30, TimeUnit.SECONDS).userCode(), true);
        assertAdele(next.result().get(60, TimeUnit.SECONDS));
    }

    @Test
    @Drives(Cause.USER_CODE_ATTEMPTS)
    void fiveCodesNoSignInWaitsForStopThePageUntilTheTimeTheDiagnosisNamesThenTheRightCodeSignsIn() throws Exception {
        DeviceFlow flow = startDeviceFlow(UUID.randomUUID().toString());
        DeviceCode code = flow.shown().get(30, TimeUnit.SECONDS);
        FormBrowser person = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = person.get("/devicelogin");
        HttpResponse<String> answer = page;
        for (int i = 1; i <= 5; i++) {
            answer = person.submit(page, Map.of("user_code", "GUESS" + i + "XY"));
        }
        assertThat(answer.statusCode()).as("the fifth wrong code").isEqualTo(429);
        HttpResponse<String> right = person.submit(page, Map.of("user_code", code.userCode()));
        assertThat(right.statusCode()).as("locked, even the right code").isEqualTo(429);
        assertThat(right.body()).contains("Too many codes were tried. Wait a minute, then enter the code shown on your device.");
        Diagnosis d = Diagnosed.as(server, pageTrace(right), Cause.USER_CODE_ATTEMPTS);
        assertThat(d.facts()).containsEntry("attempts", "5").containsEntry("where", "in this browser");
        Instant until = Instant.parse(d.facts().get("until"));
        assertThat(d.fix()).contains("Wait until " + until);

        // The fix: wait until the time named (the server's clock), then type the code the app shows.
        clock.set(until);
        HttpResponse<String> confirm = person.submit(page, Map.of("user_code", code.userCode()));
        assertThat(confirm.body()).as(confirm.body()).contains("Fabrikam Desktop");
        HttpResponse<String> done = person.signIn(person.submit(confirm, Map.of("step", "confirm")), TestTenant.ADELE_UPN,
                TestTenant.ADELE_PASSWORD);
        assertThat(done.body()).contains("You have signed in");
        assertAdele(flow.result().get(60, TimeUnit.SECONDS));
    }

    private static String pageTrace(HttpResponse<String> page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<span id=\"trace-id\">([^<]+)</span>").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    // A hand-rolled poller, as curl would send it: MSAL4J neither polls early nor sends anything but the device_code.

    private static JsonNode startDeviceAuthorization() {
        HttpResponse<String> r = server.postForm("/" + TENANT + "/oauth2/v2.0/devicecode", FormBrowser.encode(Map.of(
                "client_id", TestTenant.PUBLIC_APP.toString(), "scope", "openid offline_access User.Read")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static HttpResponse<String> poll(String deviceCode) {
        return server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:device_code", "client_id", TestTenant.PUBLIC_APP.toString(),
                "device_code", deviceCode)));
    }

    private static Diagnosis pollRefused(HttpResponse<String> r, Cause cause) {
        JsonNode body = json(r);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(cause.status());
        assertThat(body.path("error").asText()).as(r.body()).isEqualTo(cause.error());
        return Diagnosed.as(server, body.path("trace_id").asText(), cause);
    }

    @Test
    @Drives(Cause.DEVICE_SLOW_DOWN)
    void aPollerThatPollsAgainAtOnceIsToldToSlowDownAndWaitingTheIntervalItNamesGetsTheToken() {
        JsonNode started = startDeviceAuthorization();
        String deviceCode = started.path("device_code").asText();
        pollRefused(poll(deviceCode), Cause.DEVICE_AUTHORIZATION_PENDING);

        Diagnosis d = pollRefused(poll(deviceCode), Cause.DEVICE_SLOW_DOWN);
        int interval = Integer.parseInt(d.facts().get("interval"));
        assertThat(interval).isGreaterThan(started.path("interval").asInt());
        assertThat(d.fix()).contains(interval + " seconds");
        // The fix: wait the interval the diagnosis names (on the server's clock) before each next poll. The next
        // poll is pending again, not slowed down; after the user signs in, the one after it gets the token.
        clock.advance(Duration.ofSeconds(interval));
        pollRefused(poll(deviceCode), Cause.DEVICE_AUTHORIZATION_PENDING);
        atVerificationPage(started.path("user_code").asText(), true);
        clock.advance(Duration.ofSeconds(interval));

        HttpResponse<String> tokens = poll(deviceCode);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(json(tokens).path("access_token").asText()).isNotBlank();
    }

    @Test
    @Drives(Cause.DEVICE_CODE_INVALID)
    void aPollerSendingTheUserCodeIsToldToSendTheDeviceCodeAndThenGetsTheToken() {
        JsonNode started = startDeviceAuthorization();
        String userCode = started.path("user_code").asText();
        atVerificationPage(userCode, true);

        // The poller sends the code the user typed instead of the device_code.
        Diagnosis d = pollRefused(poll(userCode), Cause.DEVICE_CODE_INVALID);
        assertThat(d.facts().get("problem")).contains("no device authorization has this device_code");
        assertThat(d.fix()).contains("device_code from the /devicecode response");
        // The fix: poll with the device_code of the /devicecode response.
        HttpResponse<String> tokens = poll(started.path("device_code").asText());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(json(tokens).path("access_token").asText()).isNotBlank();
    }
}
