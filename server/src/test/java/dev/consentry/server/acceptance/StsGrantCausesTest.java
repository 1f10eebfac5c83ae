package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.AbstractClientApplicationBase;
import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.OnBehalfOfParameters;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.RefreshTokenParameters;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.UserAssertion;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.id.AppId;
import dev.consentry.identity.token.RefreshTokens;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.signin.AuthorizeEndpointTest.Pkce;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The token endpoint's scope, refresh token, on-behalf-of, user and account-kind causes, each driven through MSAL4J
 * (client credentials, username/password, refresh, on-behalf-of, and the authorization code flow whose URL MSAL builds
 * and whose pages a cookie-keeping browser fills in): the refusal, its diagnosis, the fix the diagnosis names applied
 * as it names it, and the same MSAL call then issuing a token.
 */
class StsGrantCausesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = TestTenant.TENANT.toString();
    private static final String GRAPH_DEFAULT = "https://graph.microsoft.com/.default";
    private static final String API_SCOPE = "api://" + TestTenant.API + "/access_as_user";
    /** The desktop app's loopback redirect URI: the registration has http://localhost, which any port matches. */
    private static final String LOOPBACK = "http://localhost:51234";

    /** The server's clock: it follows the system clock until a test moves it (and puts it back). */
    private static final MutableClock clock = MutableClock.ticking();
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

    // ---- clients ------------------------------------------------------------------------------------

    private static PublicClientApplication publicClient(AppId app, String tenant) throws Exception {
        return PublicClientApplication.builder(app.toString()).authority(server.authority(tenant)).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    private static PublicClientApplication desktop() throws Exception {
        return publicClient(TestTenant.PUBLIC_APP, TENANT);
    }

    private static ConfidentialClientApplication confidential(String clientId, String secret) throws Exception {
        return ConfidentialClientApplication.builder(clientId, ClientCredentialFactory.createFromSecret(secret))
                .authority(server.authority(TENANT)).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    /** A new daemon client each call, so that MSAL asks the server instead of answering from its cache. */
    private static IAuthenticationResult daemonToken(Set<String> scopes) throws Exception {
        return confidential(TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET)
                .acquireToken(ClientCredentialParameters.builder(scopes).build()).get();
    }

    @SuppressWarnings("deprecation") // ROPC is deprecated by Microsoft, still offered by MSAL and emulated here
    private static IAuthenticationResult ropc(PublicClientApplication app, String user, String password, Set<String> scopes)
            throws Exception {
        return app.acquireToken(UserNamePasswordParameters.builder(scopes, user, password.toCharArray()).build()).get();
    }

    private static IAuthenticationResult refresh(PublicClientApplication app, String refreshToken) throws Exception {
        return app.acquireToken(RefreshTokenParameters.builder(Set.of("User.Read"), refreshToken).build()).get();
    }

    /** MSAL's silent call that must redeem the cached refresh token (the authority again: MSAL4J drops the port). */
    private static IAuthenticationResult silentRefresh(PublicClientApplication app) throws Exception {
        var account = app.getAccounts().get().iterator().next();
        return app.acquireTokenSilently(SilentParameters.builder(Set.of("User.Read"), account)
                .authorityUrl(server.authority(TENANT)).forceRefresh(true).build()).get();
    }

    /** The refresh token MSAL keeps in its cache for the one account it has (its serialised cache, as a file would). */
    private static String cachedRefreshToken(PublicClientApplication app) throws Exception {
        JsonNode tokens = JSON.readTree(app.tokenCache().serialize()).path("RefreshToken");
        assertThat(tokens.size()).as("one refresh token cached").isEqualTo(1);
        return tokens.elements().next().path("secret").asText();
    }

    private static IAuthenticationResult onBehalfOf(ConfidentialClientApplication api, String assertion) throws Exception {
        return api.acquireToken(OnBehalfOfParameters.builder(Set.of("https://graph.microsoft.com/User.Read"),
                new UserAssertion(assertion)).build()).get();
    }

    private static ConfidentialClientApplication api() throws Exception {
        return confidential(TestTenant.API.toString(), TestTenant.API_SECRET);
    }

    /** Adele's token for the Fabrikam API, as the desktop app sends it to the API. */
    private static String adeleForTheApi() throws Exception {
        return ropc(desktop(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of(API_SCOPE)).accessToken();
    }

    /** The service exception MSAL raised for {@code call}. */
    private static MsalServiceException refused(Callable<?> call) {
        Throwable t = catchThrowable(call::call);
        while (t instanceof ExecutionException || t instanceof CompletionException) {
            t = t.getCause();
        }
        assertThat(t).isInstanceOf(MsalServiceException.class);
        MsalServiceException e = (MsalServiceException) t;
        assertThat(e.correlationId()).isNotBlank();
        return e;
    }

    private static Diagnosis diagnosed(MsalServiceException e, Cause cause) {
        assertThat(e.getMessage()).startsWith("AADSTS" + cause.code() + ":");
        assertThat(e.errorCode()).isEqualTo(cause.error());
        return Diagnosed.as(server, e.correlationId(), cause);
    }

    private static String oid(IAuthenticationResult r) throws Exception {
        return SignedJWT.parse(r.accessToken()).getJWTClaimsSet().getStringClaim("oid");
    }

    private static String aud(IAuthenticationResult r) throws Exception {
        return SignedJWT.parse(r.accessToken()).getJWTClaimsSet().getAudience().get(0);
    }

    /**
     * A Graph token of Adele (Global Administrator) through the desktop app, which an administrator first lets ask
     * for the given delegated permissions (the CLI's grant): the admin's tool for applying a fix through Graph.
     */
    private static String adminToken(String... permissions) {
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            for (String p : permissions) {
                admin.grant(new Administration.GrantRequest(TENANT, TestTenant.PUBLIC_APP.toString(), null, p, "delegated"));
            }
        }
        return server.userToken(TENANT, TestTenant.PUBLIC_APP.toString(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD,
                Set.of(permissions));
    }

    private static void graphOk(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }

    // ---- the authorization code flow: MSAL builds the request, a browser signs in -------------------------

    /** One sign-in: MSAL's authorization URL (with PKCE, form_post), opened in a fresh browser. */
    private static final class CodeFlow {
        final AbstractClientApplicationBase app;
        final Set<String> scopes;
        final String redirectUri;
        final Pkce pkce = Pkce.create();
        final FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());

        CodeFlow(AbstractClientApplicationBase app, Set<String> scopes) throws Exception {
            this(app, scopes, LOOPBACK);
        }

        CodeFlow(AbstractClientApplicationBase app, Set<String> scopes, String redirectUri) throws Exception {
            this.app = app;
            this.scopes = scopes;
            this.redirectUri = redirectUri;
        }

        HttpResponse<String> open() {
            String url = app.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(redirectUri, scopes)
                    .prompt(Prompt.LOGIN).codeChallenge(pkce.challenge()).codeChallengeMethod("S256").build()).toString();
            return browser.get(url);
        }

        /** Opens the request and signs {@code user} in; answers the last page (the form_post to the app, or a refusal). */
        HttpResponse<String> signIn(String user, String password) {
            HttpResponse<String> page = open();
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            return browser.signIn(page, user, password);
        }

        /** The user accepts the consent page when one is shown. */
        HttpResponse<String> consentIfAsked(HttpResponse<String> page) {
            return page.body().contains("Permissions requested") ? browser.submit(page, Map.of("decision", "accept")) : page;
        }

        /** The form_post MSAL asked for: the authorization response's fields. */
        Map<String, String> response(HttpResponse<String> page) {
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("action=\"" + redirectUri + "\"");
            return FormBrowser.hiddenFields(page.body());
        }

        IAuthenticationResult redeem(HttpResponse<String> page) throws Exception {
            Map<String, String> reply = response(page);
            assertThat(reply).as(page.body()).containsKey("code");
            return app.acquireToken(AuthorizationCodeParameters.builder(reply.get("code"), new URI(redirectUri))
                    .scopes(scopes).codeVerifier(pkce.verifier()).build()).get();
        }
    }

    /** The diagnosis of a refusal Consentry showed on its own page, by the trace id the page shows. */
    private static Diagnosis diagnosedOnPage(HttpResponse<String> page, Cause cause) {
        server.assertRefusedOnPage(page, cause);
        String trace = page.body().replaceAll("(?s).*<span id=\"trace-id\">([^<]+)</span>.*", "$1");
        return Diagnosed.as(server, trace, cause);
    }

    /** An authority the fix text names as https://&lt;host&gt;/{tenant}/: the tenant segment. */
    private static String authorityNamedIn(String fix) {
        Matcher m = Pattern.compile("https://<host>/([^/\\s]+)/").matcher(fix);
        assertThat(m.find()).as(fix).isTrue();
        return m.group(1);
    }

    // ---- scopes and resources ---------------------------------------------------------------------

    @Test
    @Drives(Cause.SCOPE_MISSING)
    void aClientCredentialsRequestWithoutScopeIsToldToAddResourceDefault() throws Exception {
        // MSAL always sends a scope; a hand-written request (as curl sends it) is how a request goes without one.
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "client_credentials",
                "client_id", TestTenant.DAEMON.toString(), "client_secret", TestTenant.DAEMON_SECRET));
        HttpResponse<String> r = server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);

        Diagnosis d = Diagnosed.as(server, JSON.readTree(r.body()).path("trace_id").asText(), Cause.SCOPE_MISSING);
        assertThat(d.facts()).containsEntry("grantType", "client_credentials");
        assertThat(d.fix()).contains("scope=<resource>/.default");
        // The explanation names the example resource: Microsoft Graph, on which the daemon holds its role.
        Matcher example = Pattern.compile("such as (\\S+/\\.default)").matcher(d.explanation());
        assertThat(example.find()).as(d.explanation()).isTrue();
        form.put("scope", example.group(1));

        HttpResponse<String> again = server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(form));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("access_token").asText()).isNotBlank();
    }

    @Test
    @Drives(Cause.SCOPE_INVALID_FOR_FLOW)
    void aDaemonAskingForADelegatedScopeIsToldToAskForDefault() throws Exception {
        Diagnosis d = diagnosed(refused(() -> daemonToken(Set.of("User.Read"))), Cause.SCOPE_INVALID_FOR_FLOW);
        assertThat(d.facts()).containsEntry("scope", "User.Read");
        String suggestion = d.facts().get("suggestion");
        assertThat(d.fix()).contains("'" + suggestion + "'");

        IAuthenticationResult r = daemonToken(Set.of(suggestion));
        assertThat(aud(r)).isEqualTo("https://graph.microsoft.com");
    }

    @Test
    @Drives(Cause.SCOPE_INVALID)
    void aDaemonAskingForTwoResourcesIsToldToAskForOne() throws Exception {
        String api = "api://" + TestTenant.API + "/.default";
        Diagnosis d = diagnosed(refused(() -> daemonToken(Set.of(GRAPH_DEFAULT, api))), Cause.SCOPE_INVALID);
        assertThat(d.explanation()).contains("2 resources");
        assertThat(d.fix()).contains("exactly one resource").contains("/.default");
        List<String> asked = List.of(d.facts().get("scope").split(" "));
        assertThat(asked).containsExactlyInAnyOrder(GRAPH_DEFAULT, api);

        // Exactly one resource per request: each of the two asked for, on its own, gets the daemon its roles there.
        for (String one : asked) {
            IAuthenticationResult r = daemonToken(Set.of(one));
            assertThat(SignedJWT.parse(r.accessToken()).getJWTClaimsSet().getStringListClaim("roles")).as(one)
                    .containsExactly(one.equals(api) ? "Orders.Read.All" : "User.Read.All");
        }
    }

    @Test
    @Drives(Cause.SCOPE_DEFAULT_COMBINED)
    void aUserAskingForDefaultAndASinglePermissionIsToldToAskForDefaultAlone() throws Exception {
        Set<String> scopes = Set.of(GRAPH_DEFAULT, "https://graph.microsoft.com/User.Read");
        Diagnosis d = diagnosed(refused(() -> ropc(desktop(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, scopes)),
                Cause.SCOPE_DEFAULT_COMBINED);
        assertThat(d.facts()).containsEntry("others", "User.Read");
        String alone = d.facts().get("resource") + "/.default";
        assertThat(d.fix()).contains("'" + alone + "' alone");

        IAuthenticationResult r = ropc(desktop(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of(alone));
        assertThat(oid(r)).isEqualTo(TestTenant.ADELE.toString());
        assertThat(aud(r)).isEqualTo("https://graph.microsoft.com");
    }

    @Test
    @Drives(Cause.SCOPE_MULTIPLE_RESOURCES)
    void aUserAskingForTwoResourcesGetsOneTokenPerResource() throws Exception {
        Set<String> scopes = Set.of("User.Read", API_SCOPE);
        Diagnosis d = diagnosed(refused(() -> ropc(desktop(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, scopes)),
                Cause.SCOPE_MULTIPLE_RESOURCES);
        assertThat(d.facts()).containsEntry("count", "2");
        assertThat(d.fix()).contains("one resource per token request");
        List<String> resources = List.of(d.facts().get("resources").split(", "));
        assertThat(resources).hasSize(2);

        // One request per resource the diagnosis lists, each with that resource's scopes.
        for (String resource : resources) {
            Set<String> mine = Set.copyOf(scopes.stream().filter(s -> resourceOf(s).equals(resource)).toList());
            assertThat(mine).as(resource).isNotEmpty();
            IAuthenticationResult r = ropc(desktop(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, mine);
            assertThat(oid(r)).isEqualTo(TestTenant.ADELE.toString());
        }
    }

    /** The resource of a scope as Entra reads it: a bare permission is Microsoft Graph's. */
    private static String resourceOf(String scope) {
        int slash = scope.lastIndexOf('/');
        return slash < 0 ? "https://graph.microsoft.com" : scope.substring(0, slash).toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    @Drives(Cause.RESOURCE_NOT_FOUND)
    void aDaemonAskingForAnApiWithoutServicePrincipalIsToldToAddItThenGetsItsToken() throws Exception {
        String admin = adminToken("Application.ReadWrite.All");
        // The API's service principal is gone from the tenant (as when it was never installed there).
        graphOk(server.graph("DELETE", "/v1.0/servicePrincipals(appId='" + TestTenant.API + "')", admin, null));
        Set<String> scopes = Set.of("api://" + TestTenant.API + "/.default");

        Diagnosis d = diagnosed(refused(() -> daemonToken(scopes)), Cause.RESOURCE_NOT_FOUND);
        assertThat(d.facts()).containsEntry("tenant", TENANT);
        String resource = d.facts().get("resource");
        assertThat(resource).isEqualTo("api://" + TestTenant.API);
        assertThat(d.fix()).contains("add the API's application (or service principal) to the tenant");

        // The API's application is still registered: its id in the resource's URI is what a service principal needs.
        String appId = resource.substring("api://".length());
        graphOk(server.graph("POST", "/v1.0/servicePrincipals", admin, "{\"appId\": \"" + appId + "\"}"));

        assertThat(aud(daemonToken(scopes))).isIn(TestTenant.API.toString(), resource);
    }

    @Test
    @Drives(Cause.SCOPE_NOT_ON_RESOURCE)
    void aSignInAskingForAPermissionTheApiDoesNotDefineIsToldWhereThePermissionsAreListed() throws Exception {
        String misspelt = "api://" + TestTenant.API + "/access_as_usr";
        CodeFlow flow = new CodeFlow(desktop(), Set.of(misspelt));
        Map<String, String> reply = flow.response(flow.signIn(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD));
        assertThat(reply.get("error")).isEqualTo("invalid_client");
        String trace = reply.get("error_description").replaceAll("(?s).*Trace ID: ([0-9a-f-]{36}).*", "$1");

        Diagnosis d = Diagnosed.as(server, trace, Cause.SCOPE_NOT_ON_RESOURCE);
        assertThat(d.facts()).containsEntry("scope", "access_as_usr");
        assertThat(d.explanation()).contains("oauth2PermissionScopes");
        assertThat(d.fix()).contains("spelling");
        // The explanation points at the resource's oauth2PermissionScopes: read them, and ask for the one meant.
        AppId resource = AppId.of(d.facts().get("resourceAppId"));
        List<String> defined = server.consentry().store().servicePrincipals().findByAppId(TestTenant.TENANT, resource)
                .orElseThrow().oauth2PermissionScopes().stream().map(PermissionScope::value).toList();
        String meant = defined.stream().min(Comparator.comparingInt(v -> distance(v, d.facts().get("scope")))).orElseThrow();
        String corrected = misspelt.substring(0, misspelt.lastIndexOf('/') + 1) + meant;

        CodeFlow again = new CodeFlow(desktop(), Set.of(corrected));
        IAuthenticationResult r = again.redeem(again.signIn(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD));
        assertThat(SignedJWT.parse(r.accessToken()).getJWTClaimsSet().getStringClaim("scp")).isEqualTo("access_as_user");
    }

    /** Levenshtein distance, case-insensitive: which defined permission a misspelt one meant. */
    private static int distance(String a, String b) {
        a = a.toLowerCase(java.util.Locale.ROOT);
        b = b.toLowerCase(java.util.Locale.ROOT);
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    // ---- refresh tokens ------------------------------------------------------------------------------

    @Test
    @Drives(Cause.REFRESH_TOKEN_INVALID)
    void aRefreshTokenConsentryNeverIssuedIsRefusedAndANewSignInGivesOneThatWorks() throws Exception {
        PublicClientApplication app = desktop();
        Diagnosis d = diagnosed(refused(() -> refresh(app, "1.not-a-token-we-made")), Cause.REFRESH_TOKEN_INVALID);
        assertThat(d.facts().get("problem")).contains("no refresh token with this value");
        assertThat(d.fix()).contains("Sign the user in again");

        ropc(app, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        assertThat(oid(refresh(desktop(), cachedRefreshToken(app)))).isEqualTo(TestTenant.ADELE.toString());
    }

    @Test
    @Drives(Cause.REFRESH_TOKEN_CLIENT_MISMATCH)
    void aRefreshTokenPresentedByAnotherClientIsRefusedAndWorksWithItsOwn() throws Exception {
        PublicClientApplication desktop = desktop();
        ropc(desktop, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        String token = cachedRefreshToken(desktop);
        PublicClientApplication other = publicClient(TestTenant.PERSONAL_APP, TENANT);

        Diagnosis d = diagnosed(refused(() -> refresh(other, token)), Cause.REFRESH_TOKEN_CLIENT_MISMATCH);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.PERSONAL_APP.toString());
        String issuedTo = d.facts().get("issuedTo");
        assertThat(d.fix()).contains("the client it was issued to");

        IAuthenticationResult r = refresh(publicClient(AppId.of(issuedTo), TENANT), token);
        assertThat(SignedJWT.parse(r.accessToken()).getJWTClaimsSet().getStringClaim("appid"))
                .isEqualTo(TestTenant.PUBLIC_APP.toString());
    }

    @Test
    @Drives(Cause.REFRESH_TOKEN_EXPIRED)
    void aRefreshTokenUnusedForNinetyDaysIsRefusedUntilTheUserSignsInAgain() throws Exception {
        PublicClientApplication app = desktop();
        ropc(app, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        clock.advance(RefreshTokens.MAX_INACTIVE); // ninety days pass on the server without the token being used

        MsalServiceException e = refused(() -> silentRefresh(app));
        Diagnosis d = diagnosed(e, Cause.REFRESH_TOKEN_EXPIRED);
        assertThat(d.facts()).containsEntry("maxInactive", "90.00:00:00").containsKey("lastUsedAt");
        assertThat(d.fix()).contains("Sign the user in again");

        ropc(app, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        assertThat(oid(silentRefresh(app))).isEqualTo(TestTenant.ADELE.toString());
    }

    @Test
    @Drives(Cause.REFRESH_TOKEN_REUSED)
    void aRedeemedRefreshTokenPresentedAgainIsRefusedAndTheNewestOneAfterASignInWorks() throws Exception {
        PublicClientApplication app = desktop();
        ropc(app, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        String first = cachedRefreshToken(app);
        silentRefresh(app); // MSAL redeems it and keeps the next one

        Diagnosis d = diagnosed(refused(() -> refresh(desktop(), first)), Cause.REFRESH_TOKEN_REUSED);
        assertThat(d.facts()).containsKey("replacedAt");
        assertThat(d.fix()).contains("Keep the newest refresh token").contains("sign the user in again");

        ropc(app, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        String newest = cachedRefreshToken(app);
        assertThat(newest).isNotEqualTo(first);
        assertThat(oid(refresh(desktop(), newest))).isEqualTo(TestTenant.ADELE.toString());
    }

    @Test
    @Drives(Cause.REFRESH_TOKEN_REVOKED)
    void aRefreshTokenOfARevokedFamilyIsRefusedUntilTheUserSignsInAgain() throws Exception {
        PublicClientApplication app = desktop();
        ropc(app, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        String stolen = cachedRefreshToken(app);
        silentRefresh(app);
        // A stale copy of the first token is replayed elsewhere: that revokes the whole family, MSAL's token included.
        refused(() -> refresh(desktop(), stolen));

        Diagnosis d = diagnosed(refused(() -> silentRefresh(app)), Cause.REFRESH_TOKEN_REVOKED);
        assertThat(d.facts()).containsKey("revokedAt");
        assertThat(d.fix()).contains("Sign the user in again");

        ropc(app, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        assertThat(oid(silentRefresh(app))).isEqualTo(TestTenant.ADELE.toString());
    }

    // ---- on-behalf-of --------------------------------------------------------------------------------

    @Test
    @Drives(Cause.OBO_ASSERTION_INVALID)
    void anApiPassingAnAlteredUserTokenIsToldToPassItUnchanged() throws Exception {
        String received = adeleForTheApi();
        // The API passes the token with its signature damaged (as a careless re-encoding would).
        String[] parts = received.split("\\.");
        char last = parts[2].charAt(0);
        String altered = parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1);

        Diagnosis d = diagnosed(refused(() -> onBehalfOf(api(), altered)), Cause.OBO_ASSERTION_INVALID);
        assertThat(d.facts().get("problem")).containsIgnoringCase("signature");
        assertThat(d.fix()).contains("unchanged");

        IAuthenticationResult r = onBehalfOf(api(), received);
        assertThat(oid(r)).isEqualTo(TestTenant.ADELE.toString());
        assertThat(aud(r)).isEqualTo("https://graph.microsoft.com");
    }

    @Test
    @Drives(Cause.OBO_ASSERTION_EXPIRED)
    void anApiPassingAnExpiredUserTokenIsToldToAskTheCallerForAFreshOne() throws Exception {
        String expired = server.resignedInThePast(adeleForTheApi(), Duration.ofHours(2));

        Diagnosis d = diagnosed(refused(() -> onBehalfOf(api(), expired)), Cause.OBO_ASSERTION_EXPIRED);
        assertThat(d.facts().get("problem")).isNotBlank();
        assertThat(d.fix()).contains("fresh token");

        String fresh = adeleForTheApi(); // the caller (the desktop app) gets a fresh token for the API
        assertThat(oid(onBehalfOf(api(), fresh))).isEqualTo(TestTenant.ADELE.toString());
    }

    @Test
    @Drives(Cause.OBO_ASSERTION_WRONG_AUDIENCE)
    void anotherAppExchangingTheApisTokenIsToldOnlyTheApiMay() throws Exception {
        String forTheApi = adeleForTheApi();
        ConfidentialClientApplication web = confidential(TestTenant.WEB_APP.toString(), TestTenant.WEB_SECRET);

        Diagnosis d = diagnosed(refused(() -> onBehalfOf(web, forTheApi)), Cause.OBO_ASSERTION_WRONG_AUDIENCE);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.WEB_APP.toString());
        String audience = d.facts().get("audience");
        assertThat(d.fix()).contains("that API's own client id and credential");

        // The API the token names as its audience, with its own credential, exchanges it.
        assertThat(audience).isEqualTo(TestTenant.API.toString());
        IAuthenticationResult r = onBehalfOf(confidential(audience, TestTenant.API_SECRET), forTheApi);
        assertThat(SignedJWT.parse(r.accessToken()).getJWTClaimsSet().getStringClaim("appid")).isEqualTo(audience);
    }

    @Test
    @Drives(Cause.OBO_APP_ONLY_ASSERTION)
    void anApiPassingAnAppOnlyTokenIsToldToPassAUsersToken() throws Exception {
        String appOnly = daemonToken(Set.of("api://" + TestTenant.API + "/.default")).accessToken();

        Diagnosis d = diagnosed(refused(() -> onBehalfOf(api(), appOnly)), Cause.OBO_APP_ONLY_ASSERTION);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.API.toString());
        assertThat(d.fix()).contains("pass a delegated user token");

        assertThat(oid(onBehalfOf(api(), adeleForTheApi()))).isEqualTo(TestTenant.ADELE.toString());
    }

    // ---- users -------------------------------------------------------------------------------------

    @Test
    @Drives(Cause.USER_NOT_FOUND)
    void anUnknownUserIsToldToBeAddedThenSignsIn() throws Exception {
        String upn = "pradeep@" + TestTenant.DOMAIN;
        String password = "Pradeep-Passw0rd!";
        Diagnosis d = diagnosed(refused(() -> ropc(desktop(), upn, password, Set.of("User.Read"))), Cause.USER_NOT_FOUND);
        assertThat(d.facts()).containsEntry("username", upn).containsEntry("tenant", TENANT);
        assertThat(d.fix()).contains("add the user");

        // An administrator adds the user the diagnosis names, with the password the user will use.
        String admin = adminToken("User.ReadWrite.All");
        graphOk(server.graph("POST", "/v1.0/users", admin, "{\"accountEnabled\": true, \"displayName\": \"Pradeep\", "
                + "\"mailNickname\": \"pradeep\", \"userPrincipalName\": \"" + d.facts().get("username") + "\", "
                + "\"passwordProfile\": {\"password\": \"" + password + "\", \"forceChangePasswordNextSignIn\": false}}"));

        IAuthenticationResult r = ropc(desktop(), upn, password, Set.of("User.Read"));
        assertThat(r.account().username()).isEqualTo(upn);
    }

    @Test
    @Drives(Cause.PASSWORD_INVALID)
    void aWrongPasswordIsToldToUseTheCurrentOne() throws Exception {
        Diagnosis d = diagnosed(refused(() -> ropc(desktop(), TestTenant.ADELE_UPN, "Adele-Passw0rd?", Set.of("User.Read"))),
                Cause.PASSWORD_INVALID);
        assertThat(d.facts()).containsEntry("username", TestTenant.ADELE_UPN);
        assertThat(d.toString()).doesNotContain("Adele-Passw0rd?");
        assertThat(d.fix()).contains("current password");

        assertThat(oid(ropc(desktop(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"))))
                .isEqualTo(TestTenant.ADELE.toString());
    }

    @Test
    @Drives(Cause.PASSWORD_LOCKOUT)
    void tenWrongPasswordsLockTheUserOutUntilTheTimeTheDiagnosisNamesThenTheRightOneSignsIn() throws Exception {
        for (int i = 1; i < 10; i++) {
            String guess = "guess-" + i;
            diagnosed(refused(() -> ropc(desktop(), TestTenant.ADELE_UPN, guess, Set.of("User.Read"))), Cause.PASSWORD_INVALID);
        }
        diagnosed(refused(() -> ropc(desktop(), TestTenant.ADELE_UPN, "guess-10", Set.of("User.Read"))), Cause.PASSWORD_LOCKOUT);
        // Locked, the right password is refused as well, as Entra refuses it.
        MsalServiceException locked = refused(() -> ropc(desktop(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read")));
        assertThat(locked.getMessage()).startsWith("AADSTS50053: The account is locked, you've tried to sign in too many times "
                + "with an incorrect user ID or password.");
        assertThat(locked.errorCode()).isEqualTo("invalid_grant");
        Diagnosis d = diagnosed(locked, Cause.PASSWORD_LOCKOUT);
        assertThat(d.facts()).containsEntry("username", TestTenant.ADELE_UPN).containsEntry("threshold", "10")
                .containsEntry("address", "127.0.0.1");
        Instant until = Instant.parse(d.facts().get("until"));
        assertThat(Duration.between(clock.instant(), until)).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
        assertThat(d.fix()).contains("Wait until " + until);

        // The fix: wait until the time named (the server's clock), then sign in with the right password.
        clock.set(until);
        assertThat(oid(ropc(desktop(), TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"))))
                .isEqualTo(TestTenant.ADELE.toString());
        diagnosed(refused(() -> ropc(desktop(), TestTenant.ADELE_UPN, "guess-11", Set.of("User.Read"))), Cause.PASSWORD_INVALID);
    }

    @Test
    @Drives(Cause.USER_DISABLED)
    void aDisabledUserIsEnabledThroughGraphThenSignsIn() throws Exception {
        Diagnosis d = diagnosed(refused(() -> ropc(desktop(), TestTenant.GONE_UPN, TestTenant.ADELE_PASSWORD,
                Set.of("User.Read"))), Cause.USER_DISABLED);
        assertThat(d.facts()).containsEntry("username", TestTenant.GONE_UPN);
        assertThat(d.fix()).contains("Set accountEnabled to true");

        String admin = adminToken("User.ReadWrite.All");
        graphOk(server.graph("PATCH", "/v1.0/users/" + d.facts().get("username"), admin, "{\"accountEnabled\": true}"));

        assertThat(oid(ropc(desktop(), TestTenant.GONE_UPN, TestTenant.ADELE_PASSWORD, Set.of("User.Read"))))
                .isEqualTo(TestTenant.GONE.toString());
    }

    @Test
    @Drives(Cause.PASSWORD_EXPIRED)
    void aUserWhoMustChangeHerPasswordGetsANewOneThroughGraphThenSignsIn() throws Exception {
        Diagnosis d = diagnosed(refused(() -> ropc(desktop(), TestTenant.NEWHIRE_UPN, TestTenant.ADELE_PASSWORD,
                Set.of("User.Read"))), Cause.PASSWORD_EXPIRED);
        assertThat(d.facts()).containsEntry("username", TestTenant.NEWHIRE_UPN);
        assertThat(d.explanation()).contains("forceChangePasswordNextSignIn is true");
        assertThat(d.fix()).contains("Set a new password for the user");

        String admin = adminToken("User.ReadWrite.All");
        String newPassword = "NewHire-Passw0rd!";
        graphOk(server.graph("PATCH", "/v1.0/users/" + d.facts().get("username"), admin,
                "{\"passwordProfile\": {\"password\": \"" + newPassword + "\", \"forceChangePasswordNextSignIn\": false}}"));

        assertThat(oid(ropc(desktop(), TestTenant.NEWHIRE_UPN, newPassword, Set.of("User.Read"))))
                .isEqualTo(TestTenant.NEWHIRE.toString());
    }

    @Test
    @Drives(Cause.USER_NOT_IN_TENANT)
    void aUserOfAnotherTenantSigningInToFabrikamIsToldToUseOrganizationsWithTheMultiTenantApp() throws Exception {
        CodeFlow flow = new CodeFlow(web(TENANT), Set.of("User.Read"), TestTenant.WEB_REDIRECT);
        Diagnosis d = diagnosedOnPage(flow.signIn(TestTenant.OLGA_UPN, TestTenant.ADELE_PASSWORD), Cause.USER_NOT_IN_TENANT);
        assertThat(d.facts()).containsEntry("username", TestTenant.OLGA_UPN).containsEntry("tenant", TENANT)
                .containsEntry("homeTenant", TestTenant.OTHER_TENANT.toString());
        assertThat(d.fix()).contains("use /organizations or /common with a multi-tenant app");

        // The web app is multi-tenant: through /organizations Olga signs in to her own tenant, where she consents to it.
        assertThat(server.consentry().store().applications().findByAppId(TestTenant.TENANT, TestTenant.WEB_APP).orElseThrow()
                .signInAudience()).isEqualTo("AzureADMultipleOrgs");
        CodeFlow organizations = new CodeFlow(web("organizations"), Set.of("User.Read"), TestTenant.WEB_REDIRECT);
        IAuthenticationResult r = organizations.redeem(organizations.consentIfAsked(
                organizations.signIn(TestTenant.OLGA_UPN, TestTenant.ADELE_PASSWORD)));
        assertThat(oid(r)).isEqualTo(TestTenant.OLGA.toString());
        assertThat(SignedJWT.parse(r.accessToken()).getJWTClaimsSet().getStringClaim("tid"))
                .isEqualTo(d.facts().get("homeTenant"));
    }

    @Test
    void thePasswordGrantRefusesAUserOfAnotherTenantThroughATenantsAuthorityAsNotInTheTenant() throws Exception {
        // The same refusal as the sign-in page's, not "the app is not in the user's home tenant" (AADSTS700016).
        Diagnosis d = diagnosed(refused(() -> ropc(desktop(), TestTenant.OLGA_UPN, TestTenant.ADELE_PASSWORD,
                Set.of("User.Read"))), Cause.USER_NOT_IN_TENANT);
        assertThat(d.facts()).containsEntry("tenant", TENANT).containsEntry("clientId", TestTenant.PUBLIC_APP.toString());
    }

    /** The confidential web app (multi-tenant) with its secret, through {@code authority}. */
    private static ConfidentialClientApplication web(String authority) throws Exception {
        return ConfidentialClientApplication.builder(TestTenant.WEB_APP.toString(),
                        ClientCredentialFactory.createFromSecret(TestTenant.WEB_SECRET))
                .authority(server.authority(authority)).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    // ---- personal and work accounts, and the authority an app can be used through ---------------------------

    @Test
    @Drives(Cause.PERSONAL_ACCOUNT_NOT_ALLOWED)
    void aPersonalAccountThroughOrganizationsIsToldToUseCommonThenSignsIn() throws Exception {
        CodeFlow flow = new CodeFlow(publicClient(TestTenant.PERSONAL_APP, "organizations"), Set.of("User.Read"));
        Diagnosis d = diagnosedOnPage(flow.signIn(TestTenant.ALEX_UPN, TestTenant.ADELE_PASSWORD),
                Cause.PERSONAL_ACCOUNT_NOT_ALLOWED);
        assertThat(d.facts()).containsEntry("username", TestTenant.ALEX_UPN);
        assertThat(d.facts().get("reason")).contains("/organizations");
        assertThat(d.fix()).contains("sign in through /common or /consumers");

        // The app is registered for AzureADandPersonalMicrosoftAccount already: the authority is what changes.
        CodeFlow common = new CodeFlow(publicClient(TestTenant.PERSONAL_APP, "common"), Set.of("User.Read"));
        IAuthenticationResult r = common.redeem(common.signIn(TestTenant.ALEX_UPN, TestTenant.ADELE_PASSWORD));
        assertThat(oid(r)).isEqualTo(TestTenant.ALEX.toString());
    }

    @Test
    @Drives(Cause.WORK_ACCOUNT_NOT_ALLOWED)
    void aWorkAccountThroughConsumersIsToldToUseOrganizationsOrCommonThenSignsIn() throws Exception {
        CodeFlow flow = new CodeFlow(publicClient(TestTenant.PERSONAL_APP, "consumers"), Set.of("User.Read"));
        Diagnosis d = diagnosedOnPage(flow.signIn(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD),
                Cause.WORK_ACCOUNT_NOT_ALLOWED);
        assertThat(d.facts()).containsEntry("username", TestTenant.ADELE_UPN).containsEntry("homeTenant", TENANT);
        assertThat(d.fix()).contains("sign in through /organizations or /common");

        CodeFlow organizations = new CodeFlow(publicClient(TestTenant.PERSONAL_APP, "organizations"), Set.of("User.Read"));
        IAuthenticationResult r = organizations.redeem(organizations.signIn(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD));
        assertThat(oid(r)).isEqualTo(TestTenant.ADELE.toString());
    }

    @Test
    @Drives(Cause.CLIENT_PERSONAL_ONLY)
    void anAppForPersonalAccountsThroughOrganizationsIsToldToUseConsumersThenSignsIn() throws Exception {
        CodeFlow flow = new CodeFlow(publicClient(TestTenant.MSA_ONLY_APP, "organizations"), Set.of("User.Read"));
        Diagnosis d = diagnosedOnPage(flow.open(), Cause.CLIENT_PERSONAL_ONLY);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.MSA_ONLY_APP.toString())
                .containsEntry("tenant", "organizations");
        String authority = authorityNamedIn(d.fix());
        assertThat(authority).isEqualTo("consumers");

        // In Consentry's model the consumers tenant holds the service principals of the apps personal accounts use
        // (a tenant file gives them, as the test tenants do for the app for everyone); this app gets its one.
        var store = server.consentry().store();
        var app = store.applications().findByAppId(TestTenant.TENANT, TestTenant.MSA_ONLY_APP).orElseThrow();
        store.servicePrincipals().save(WellKnown.CONSUMERS_TENANT_ID, ServicePrincipal.of(ServicePrincipal.stableId(
                WellKnown.CONSUMERS_TENANT_ID, app.appId()), app, TestTenant.TENANT, true, false, null));
        CodeFlow consumers = new CodeFlow(publicClient(TestTenant.MSA_ONLY_APP, authority), Set.of("User.Read"));
        IAuthenticationResult r = consumers.redeem(consumers.consentIfAsked(
                consumers.signIn(TestTenant.ALEX_UPN, TestTenant.ADELE_PASSWORD))); // Alex consents for himself
        assertThat(oid(r)).isEqualTo(TestTenant.ALEX.toString());
    }

    @Test
    @Drives(Cause.CLIENT_NOT_ENABLED_FOR_CONSUMERS)
    void aWorkAppThroughConsumersIsToldToUseItsTenantThenSignsIn() throws Exception {
        CodeFlow flow = new CodeFlow(publicClient(TestTenant.PUBLIC_APP, "consumers"), Set.of("User.Read"));
        Diagnosis d = diagnosedOnPage(flow.open(), Cause.CLIENT_NOT_ENABLED_FOR_CONSUMERS);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.PUBLIC_APP.toString())
                .containsEntry("signInAudience", "AzureADMyOrg");
        assertThat(d.fix()).contains("sign in through /organizations or the app's tenant");

        // The app is single-tenant (its signInAudience above): of the fix's authorities, its own tenant's is the one.
        var app = server.consentry().store().applications().findByAppId(TestTenant.TENANT, AppId.of(d.facts().get("clientId")));
        assertThat(app).isPresent();
        CodeFlow own = new CodeFlow(publicClient(TestTenant.PUBLIC_APP, TENANT), Set.of("User.Read"));
        IAuthenticationResult r = own.redeem(own.signIn(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD));
        assertThat(oid(r)).isEqualTo(TestTenant.ADELE.toString());
    }

    @Test
    @Drives(Cause.CLIENT_SINGLE_TENANT_ON_COMMON)
    void aSingleTenantAppThroughCommonIsToldToUseItsHomeTenantThenSignsIn() throws Exception {
        CodeFlow flow = new CodeFlow(publicClient(TestTenant.PUBLIC_APP, "common"), Set.of("User.Read"));
        Diagnosis d = diagnosedOnPage(flow.open(), Cause.CLIENT_SINGLE_TENANT_ON_COMMON);
        assertThat(d.facts()).containsEntry("tenant", "common");
        String home = authorityNamedIn(d.fix());
        assertThat(home).isEqualTo(d.facts().get("homeTenant"));

        CodeFlow own = new CodeFlow(publicClient(TestTenant.PUBLIC_APP, home), Set.of("User.Read"));
        IAuthenticationResult r = own.redeem(own.signIn(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD));
        assertThat(oid(r)).isEqualTo(TestTenant.ADELE.toString());
    }
}
