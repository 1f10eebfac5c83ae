package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.ClaimsRequest;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.authentication.methods.item.resetpassword.ResetPasswordPostRequestBody;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.TenantBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The token causes of Microsoft Graph and of its UserInfo endpoint, each driven through a real client (the Graph Java
 * SDK with MSAL4J's tokens; Java's HTTP client, as curl would send it, for what no library sends): the refusal, its
 * diagnosis read by the answer's request id, the fix the diagnosis names applied, and the same call answered.
 */
class GraphTokenCausesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://localhost:51234";
    private static final String USERINFO = "/oidc/userinfo";
    private static final String PASSWORD_METHOD = "28c10230-6103-485e-b985-444c60001490";

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
    }

    // ---- clients --------------------------------------------------------------------------------------------------

    private static GraphServiceClient graph(String token) {
        return GraphSdk.client(server, () -> token);
    }

    private static String adele(String... scopes) {
        return server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), TestTenant.ADELE_UPN,
                TestTenant.ADELE_PASSWORD, Set.of(scopes));
    }

    private static PublicClientApplication desktop(String authority, AppId client, boolean cp1) throws Exception {
        var b = PublicClientApplication.builder(client.toString()).authority(server.authority(authority))
                .instanceDiscovery(false).sslSocketFactory(server.sslContext().getSocketFactory());
        if (cp1) {
            b.clientCapabilities(Set.of("cp1"));
        }
        return b.build();
    }

    @SuppressWarnings("deprecation") // ROPC stands in for an interactive sign-in where the pages are not the subject
    private static IAuthenticationResult ropc(PublicClientApplication app, String upn, Set<String> scopes, String claims)
            throws Exception {
        var p = UserNamePasswordParameters.builder(scopes, upn, TestTenant.ADELE_PASSWORD.toCharArray());
        if (claims != null) {
            p.claims(ClaimsRequest.formatAsClaimsRequest(claims));
        }
        return app.acquireToken(p.build()).get(30, TimeUnit.SECONDS);
    }

    /**
     * An interactive sign-in through the pages (a cookie-keeping browser), with a second factor when the page asks for
     * one, whose code MSAL4J redeems (authorization code with PKCE): the flow a desktop app runs.
     */
    private static IAuthenticationResult signInThroughPages(String authority, AppId client, String upn, ObjectId user,
                                                            Set<String> scopes, String claims) throws Exception {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", client.toString());
        p.put("response_type", "code");
        p.put("redirect_uri", REDIRECT);
        p.put("scope", "openid profile offline_access " + String.join(" ", scopes));
        p.put("state", "s-" + UUID.randomUUID());
        p.put("code_challenge", challenge);
        p.put("code_challenge_method", "S256");
        if (claims != null) {
            p.put("claims", claims);
        }
        HttpResponse<String> page = b.get("/" + authority + "/oauth2/v2.0/authorize?" + FormBrowser.encode(p));
        HttpResponse<String> after = b.signIn(page, upn, TestTenant.ADELE_PASSWORD);
        if (after.statusCode() == 200 && after.body().contains("Enter code")) {
            after = b.submit(after, Map.of("code", server.authenticatorCode(TestTenant.TENANT, user, 0)));
        }
        Map<String, String> reply = FormBrowser.redirectParameters(after);
        assertThat(reply).as("%s", reply).containsKey("code");
        return desktop(authority, client, false).acquireToken(AuthorizationCodeParameters.builder(reply.get("code"),
                URI.create(REDIRECT)).scopes(scopes).codeVerifier(verifier).build()).get(30, TimeUnit.SECONDS);
    }

    /** The grant an administrator gives, through the administration {@code consentry grant} uses. */
    private static void grant(AppId app, String permission, String type) {
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            admin.grant(new Administration.GrantRequest(TestTenant.TENANT.toString(), app.toString(), null, permission, type));
        }
    }

    /** A request as curl sends it, with {@code authorization} as the header when it is not null. */
    private static HttpResponse<String> curl(String method, String path, String authorization, String formBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (formBody != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        b.method(method, formBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(formBody));
        return server.send(b.build());
    }

    private static String requestId(HttpResponse<String> r) {
        return r.headers().firstValue("request-id").orElseThrow(() -> new AssertionError("no request-id: " + r.body()));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** The claims of a challenge's {@code WWW-Authenticate} header, decoded from base64. */
    private static String challengeClaims(ODataError e) {
        String header = e.getResponseHeaders().get("WWW-Authenticate").iterator().next();
        Matcher m = Pattern.compile("claims=\"([^\"]+)\"").matcher(header);
        assertThat(m.find()).as(header).isTrue();
        return new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
    }

    // ---- the token's shape -----------------------------------------------------------------------------------------

    @Test
    @Drives(Cause.TOKEN_MISSING)
    void aCallWithoutAnAuthorizationHeaderIsToldToSendABearerTokenAndThenIsAnswered() throws Exception {
        HttpResponse<String> refused = curl("GET", "/v1.0/me", null, null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);

        Diagnosis d = Diagnosed.as(server, requestId(refused), Cause.TOKEN_MISSING);
        assertThat(d.facts().get("problem")).isEqualTo("no Authorization header");
        Matcher fix = Pattern.compile("Acquire a token for (\\S+) and send it as '([^']+)'").matcher(d.fix());
        assertThat(fix.find()).as(d.fix()).isTrue();
        String[] header = fix.group(2).split(": ", 2);
        assertThat(header[0]).isEqualTo("Authorization");
        String token = adele(fix.group(1) + "/User.Read");

        HttpResponse<String> answered = curl("GET", "/v1.0/me", header[1].replace("<token>", token), null);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(json(answered).path("userPrincipalName").asText()).isEqualTo(TestTenant.ADELE_UPN);
    }

    @Test
    @Drives(Cause.TOKEN_NOT_COMPACT)
    void aTokenCutShortAtItsFirstDotGetsGraphsIdx14100AndTheWholeTokenIsServed() throws Exception {
        String token = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        String cut = token.substring(0, token.indexOf('.')); // a careless copy keeps the header only
        HttpResponse<String> refused = curl("GET", "/v1.0/users", "Bearer " + cut, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).path("error").path("message").asText())
                .startsWith("IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE");
        Diagnosis d = Diagnosed.as(server, refused.headers().firstValue("request-id").orElseThrow(), Cause.TOKEN_NOT_COMPACT);
        assertThat(d.fix()).contains("whole");
        // The fix: the whole access token.
        assertThat(curl("GET", "/v1.0/users", "Bearer " + token, null).statusCode()).isEqualTo(200);
    }

    @Test
    @Drives(Cause.TOKEN_MALFORMED)
    void sendingTheRefreshTokenAsTheBearerIsMalformedAndTheAccessTokenOfTheSameResponseIsAnswered() throws Exception {
        HttpResponse<String> tokens = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(), "username", TestTenant.ADELE_UPN,
                "password", TestTenant.ADELE_PASSWORD, "scope", "offline_access User.Read")));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        String refreshToken = json(tokens).path("refresh_token").asText();
        assertThat(refreshToken).isNotBlank();

        HttpResponse<String> refused = curl("GET", "/v1.0/me", "Bearer " + refreshToken, null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        Diagnosis d = Diagnosed.as(server, requestId(refused), Cause.TOKEN_MALFORMED);
        assertThat(d.facts().get("problem")).isNotBlank();
        assertThat(d.fix()).contains("access_token");

        HttpResponse<String> answered = curl("GET", "/v1.0/me", "Bearer " + json(tokens).path("access_token").asText(), null);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    }

    @Test
    @Drives(Cause.TOKEN_SIGNATURE_INVALID)
    void aTokenEditedByHandIsRefusedAndTheTokenConsentryIssuedIsAnswered() throws Exception {
        String issued = adele("User.Read");
        int dot = issued.lastIndexOf('.');
        String edited = issued.substring(0, dot + 1) + (issued.charAt(dot + 1) == 'A' ? "B" : "A") + issued.substring(dot + 2);

        ODataError refused = GraphSdk.refused(() -> graph(edited).me().get(), 401, "InvalidAuthenticationToken");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.TOKEN_SIGNATURE_INVALID);
        assertThat(d.facts().get("problem")).contains("signature does not verify");
        assertThat(d.fix()).contains("a token this Consentry issued");

        assertThat(graph(issued).me().get().getUserPrincipalName()).isEqualTo(TestTenant.ADELE_UPN);
    }

    @Test
    @Drives(Cause.TOKEN_ISSUER_UNTRUSTED)
    void aTokenOfAnotherIssuerIsRefusedAndOneFromTheTokenEndpointTheDiagnosisNamesIsAnswered() throws Exception {
        String another = server.resigned(adele("User.Read"), c -> c.issuer("https://sts.windows.net/" + TestTenant.OTHER_TENANT + "/"));

        ODataError refused = GraphSdk.refused(() -> graph(another).me().get(), 401, "InvalidAuthenticationToken");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.TOKEN_ISSUER_UNTRUSTED);
        assertThat(d.facts().get("problem")).contains(TestTenant.OTHER_TENANT.toString());
        assertThat(d.facts().get("tokenSource")).isEqualTo("this Consentry's token endpoint");

        // From this Consentry's token endpoint, through MSAL4J.
        assertThat(graph(adele("User.Read")).me().get().getUserPrincipalName()).isEqualTo(TestTenant.ADELE_UPN);
    }

    @Test
    @Drives(Cause.TOKEN_EXPIRED)
    void anExpiredTokenIsRefusedAndMsalsSilentCallGivesOneThatIsAnswered() throws Exception {
        PublicClientApplication app = desktop(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP, false);
        Set<String> scopes = Set.of("User.Read");
        String first = ropc(app, TestTenant.ADELE_UPN, scopes, null).accessToken();
        String expired = server.resignedInThePast(first, Duration.ofHours(3));

        ODataError refused = GraphSdk.refused(() -> graph(expired).me().get(), 401, "InvalidAuthenticationToken");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.TOKEN_EXPIRED);
        assertThat(d.facts().get("problem")).startsWith("exp ");
        assertThat(d.fix()).contains("MSAL's silent call");

        IAccount account = app.getAccounts().get().iterator().next();
        String renewed = app.acquireTokenSilently(SilentParameters.builder(scopes, account).build()).get().accessToken();
        assertThat(graph(renewed).me().get().getUserPrincipalName()).isEqualTo(TestTenant.ADELE_UPN);
    }

    @Test
    @Drives(Cause.TOKEN_NOT_YET_VALID)
    void aTokenFromAClockAheadIsRefusedAndOneDatedByTheIssuersClockIsAnswered() throws Exception {
        Instant ahead = Instant.now().plus(Duration.ofHours(1));
        String early = server.resigned(adele("User.Read"), c -> c.issueTime(Date.from(ahead)).notBeforeTime(Date.from(ahead))
                .expirationTime(Date.from(ahead.plus(Duration.ofHours(1)))));

        ODataError refused = GraphSdk.refused(() -> graph(early).me().get(), 401, "InvalidAuthenticationToken");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.TOKEN_NOT_YET_VALID);
        assertThat(d.facts().get("problem")).startsWith("nbf " + ahead.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(d.fix()).contains("clocks");

        // The fix is the clocks': a token whose times come from the issuer's own clock is answered.
        assertThat(graph(adele("User.Read")).me().get().getUserPrincipalName()).isEqualTo(TestTenant.ADELE_UPN);
    }

    @Test
    @Drives(Cause.WRONG_AUDIENCE)
    void aTokenForAnotherApiIsRefusedAndATokenForTheGraphScopeTheFixNamesIsAnswered() throws Exception {
        String forApi = adele("api://" + TestTenant.API + "/access_as_user");

        ODataError refused = GraphSdk.refused(() -> graph(forApi).me().get(), 403, "Authorization_RequestDenied");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.WRONG_AUDIENCE);
        assertThat(d.facts().get("audience")).contains(TestTenant.API.toString());
        Matcher scope = Pattern.compile("Ask for a Graph scope, e\\.g\\. (\\S+) or (\\S+), not").matcher(d.fix());
        assertThat(scope.find()).as(d.fix()).isTrue();

        assertThat(graph(adele(scope.group(2))).me().get().getUserPrincipalName()).isEqualTo(TestTenant.ADELE_UPN);
    }

    @Test
    @Drives(Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED)
    void aPersonalAccountListingTheDirectoryIsRefusedAndTheSameTokenReadsItsOwnProfile() throws Exception {
        String alex = signInThroughPages("common", TestTenant.PERSONAL_APP, TestTenant.ALEX_UPN, TestTenant.ALEX,
                Set.of("User.Read"), null).accessToken();

        ODataError refused = GraphSdk.refused(() -> graph(alex).users().get(), 401, "InvalidAuthenticationToken");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED);
        assertThat(d.facts().get("route")).isEqualTo("GET /users");
        assertThat(d.fix()).contains("call an API that personal accounts may use");

        // No grant makes /users serve a personal account (Graph has no DelegatedPersonal permission for it): the fix is
        // the other API, /me, which the same token may call.
        assertThat(graph(alex).me().get().getUserPrincipalName()).isEqualTo(TestTenant.ALEX_UPN);
    }

    // ---- the UserInfo endpoint ---------------------------------------------------------------------------------------

    @Test
    @Drives(Cause.USERINFO_APP_ONLY_TOKEN)
    void userInfoWithAnAppOnlyTokenIsRefusedAndWithTheTokenOfAUsersSignInAnswers() throws Exception {
        String appOnly = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        HttpResponse<String> refused = curl("GET", USERINFO, "Bearer " + appOnly, null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);

        Diagnosis d = Diagnosed.as(server, requestId(refused), Cause.USERINFO_APP_ONLY_TOKEN);
        assertThat(d.facts().get("clientId")).isEqualTo(TestTenant.DAEMON.toString());
        assertThat(d.fix()).contains("authorization code");

        IAuthenticationResult signedIn = signInThroughPages(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP,
                TestTenant.MEGAN_UPN, TestTenant.MEGAN, Set.of("User.Read"), null);
        HttpResponse<String> answered = curl("GET", USERINFO, "Bearer " + signedIn.accessToken(), null);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(json(answered).path("name").asText()).isEqualTo("Megan Bowen");
    }

    @Test
    @Drives(Cause.TOKEN_USER_UNKNOWN)
    void userInfoForAUserDisabledSinceTheTokenIsRefusedAndAfterANewSignInAnswers() throws Exception {
        grant(TestTenant.PUBLIC_APP, "User.ReadWrite.All", "delegated"); // Adele may manage users through the desktop app
        GraphServiceClient administrator = graph(adele("User.ReadWrite.All"));
        String token = server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), TestTenant.MEGAN_UPN,
                TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        administrator.users().byUserId(TestTenant.MEGAN.toString()).patch(enabled(false)); // after Megan signed in

        HttpResponse<String> refused = curl("GET", USERINFO, "Bearer " + token, null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        Diagnosis d = Diagnosed.as(server, requestId(refused), Cause.TOKEN_USER_UNKNOWN);
        assertThat(d.facts()).containsEntry("user", TestTenant.MEGAN.toString())
                .containsEntry("problem", "is disabled (accountEnabled false)");
        assertThat(d.fix()).contains("Sign the user in again");

        // A disabled user cannot sign in again: the administrator enables her account (the accountEnabled the problem
        // names), she signs in again, and the new token is answered.
        administrator.users().byUserId(TestTenant.MEGAN.toString()).patch(enabled(true));
        String again = server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), TestTenant.MEGAN_UPN,
                TestTenant.ADELE_PASSWORD, Set.of("User.Read"));
        HttpResponse<String> answered = curl("GET", USERINFO, "Bearer " + again, null);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    }

    private static com.microsoft.graph.models.User enabled(boolean enabled) {
        com.microsoft.graph.models.User change = new com.microsoft.graph.models.User();
        change.setAccountEnabled(enabled);
        return change;
    }

    @Test
    @Drives(Cause.USERINFO_REQUEST_INVALID)
    void userInfoWithTheTokenInTheHeaderAndTheBodyIsABadRequestAndWithTheHeaderAloneAnswers() throws Exception {
        String token = adele("User.Read");
        HttpResponse<String> refused = curl("POST", USERINFO, "Bearer " + token, "access_token=" + token);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);

        Diagnosis d = Diagnosed.as(server, requestId(refused), Cause.USERINFO_REQUEST_INVALID);
        assertThat(d.facts().get("problem")).isNotBlank();
        assertThat(d.fix()).contains("in the Authorization header");

        HttpResponse<String> answered = curl("POST", USERINFO, "Bearer " + token, null);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    }

    // ---- continuous access evaluation and authentication context ------------------------------------------------------

    @Test
    @Drives(Cause.CAE_CHALLENGE)
    void aCaeTokenAfterTheSessionsAreRevokedIsChallengedAndATokenWithTheChallengesClaimsIsAnswered() throws Exception {
        grant(TestTenant.DAEMON, "User.RevokeSessions.All", "application"); // the daemon may revoke sessions
        PublicClientApplication app = desktop(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP, true);
        AtomicReference<String> token = new AtomicReference<>(ropc(app, TestTenant.MEGAN_UPN, Set.of("User.Read"), null)
                .accessToken());
        GraphServiceClient megan = GraphSdk.client(server, token::get);
        assertThat(megan.me().get().getUserPrincipalName()).isEqualTo(TestTenant.MEGAN_UPN);

        Thread.sleep(1_100); // the revocation must come in a later second than the token's issue, which has whole seconds
        String admin = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        graph(admin).users().byUserId(TestTenant.MEGAN.toString()).revokeSignInSessions().post();

        ODataError refused = GraphSdk.refused(() -> megan.me().get(), 403, "InvalidAuthenticationToken");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.CAE_CHALLENGE);
        assertThat(d.facts().get("reason")).isEqualTo("TokenIssuedBeforeRevocationTimestamp");
        assertThat(d.fix()).contains("claims of the challenge");
        String claims = challengeClaims(refused);
        assertThat(claims).contains("\"nbf\"");

        token.set(ropc(app, TestTenant.MEGAN_UPN, Set.of("User.Read"), claims).accessToken());
        assertThat(megan.me().get().getUserPrincipalName()).isEqualTo(TestTenant.MEGAN_UPN);
    }

    @Test
    @Drives(Cause.AUTH_CONTEXT_REQUIRED)
    void aResetTheTenantProtectsWithAnAuthenticationContextIsChallengedAndASteppedUpSignInResets() throws Exception {
        var store = server.consentry().store();
        store.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("c1-policy", "Step-up for c1",
                "enabled", Map.of("users", Map.of("includeUsers", List.of("All")),
                        "applications", Map.of("includeAuthenticationContextClassReferences", List.of("c1"))),
                Map.of("operator", "OR", "builtInControls", List.of("mfa")), Map.of(), null));
        store.softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod("adele-app", TestTenant.ADELE,
                "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", Instant.now()));
        TenantDirectory t = store.tenants().export(TestTenant.TENANT).orElseThrow();
        store.tenants().replace(TenantBuilder.from(t).withSettings(new TenantSettings(null, List.of(
                new TenantSettings.AuthenticationContext("c1", List.of(
                        "POST /users/{id}/authentication/methods/{id}/resetPassword"))), null)).build());
        String scope = "UserAuthenticationMethod.ReadWrite.All";

        String plain = adele(scope);
        ODataError refused = GraphSdk.refused(() -> resetNewHiresPassword(graph(plain)), 403, "InvalidAuthenticationToken");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.AUTH_CONTEXT_REQUIRED);
        assertThat(d.facts().get("acrs")).isEqualTo("c1");
        String claims = challengeClaims(refused);
        assertThat(d.fix()).contains(claims);

        IAuthenticationResult stepped = signInThroughPages(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP,
                TestTenant.ADELE_UPN, TestTenant.ADELE, Set.of(scope), claims);
        var before = store.users().find(TestTenant.TENANT, TestTenant.NEWHIRE).orElseThrow().passwordProfile();
        resetNewHiresPassword(graph(stepped.accessToken()));
        assertThat(store.users().find(TestTenant.TENANT, TestTenant.NEWHIRE).orElseThrow().passwordProfile())
                .as("the password was reset").isNotEqualTo(before);
    }

    private static void resetNewHiresPassword(GraphServiceClient client) {
        ResetPasswordPostRequestBody body = new ResetPasswordPostRequestBody();
        body.setNewPassword("Fresh-Passw0rd!");
        client.users().byUserId(TestTenant.NEWHIRE.toString()).authentication().methods()
                .byAuthenticationMethodId(PASSWORD_METHOD).resetPassword().post(body);
    }
}
