package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.AdminConsentRequestPolicy;
import dev.consentry.core.directory.AuthorizationPolicy;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The consent causes of the STS, each driven through MSAL4J (the desktop app's password grant, the web app's
 * authorization code flow whose pages a cookie-keeping browser answers): the refusal, its diagnosis read by the id the
 * answer carried, the fix the diagnosis names applied as it names it, and the same flow then issuing the token.
 */
class StsPolicyConsentCausesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final String TENANT = TestTenant.TENANT.toString();
    private static final Pattern PAGE_TRACE = Pattern.compile("<span id=\"trace-id\">([^<]+)</span>");
    private static final Pattern REDIRECT_TRACE = Pattern.compile("Trace ID: ([0-9a-f-]{36})");

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
    }

    private static ConfidentialClientApplication web() throws Exception {
        return ConfidentialClientApplication.builder(TestTenant.WEB_APP.toString(),
                        ClientCredentialFactory.createFromSecret(TestTenant.WEB_SECRET))
                .authority(server.authority(TENANT)).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    private static PublicClientApplication desktop() throws Exception {
        return PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString()).authority(server.authority(TENANT))
                .instanceDiscovery(false).sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    /** The web app's sign-in URL for {@code scopes}, as MSAL4J builds it. */
    private static String signInUrl(ConfidentialClientApplication app, Set<String> scopes) {
        return app.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(TestTenant.WEB_REDIRECT, scopes)
                .state("s1").prompt(Prompt.LOGIN).build()).toString();
    }

    /** {@code upn} signs in at {@code url} in a fresh browser: the page or redirect that follows the password. */
    private static HttpResponse<String> signIn(FormBrowser b, String url, String upn) {
        return b.signIn(b.get(url), upn, TestTenant.ADELE_PASSWORD);
    }

    /** The code the app's redirect URI receives, redeemed by MSAL4J for {@code scopes}. */
    private static IAuthenticationResult redeem(ConfidentialClientApplication app, HttpResponse<String> back,
                                                Set<String> scopes) throws Exception {
        Map<String, String> reply = reply(back);
        assertThat(reply).as("%s", reply).containsKey("code").containsEntry("state", "s1");
        return app.acquireToken(AuthorizationCodeParameters.builder(reply.get("code"), new URI(TestTenant.WEB_REDIRECT))
                .scopes(scopes).build()).get(30, TimeUnit.SECONDS);
    }

    /**
     * What the app's redirect URI receives: the query of a redirect, or the fields of the page that posts them (MSAL4J's
     * sign-in URL asks for {@code form_post}).
     */
    private static Map<String, String> reply(HttpResponse<String> back) {
        if (back.statusCode() == 302) {
            return FormBrowser.redirectParameters(back);
        }
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(back.body()).as(back.body()).contains("action=\"" + TestTenant.WEB_REDIRECT + "\"");
        return FormBrowser.hiddenFields(back.body());
    }

    private static List<String> scp(IAuthenticationResult result) throws Exception {
        return Arrays.asList(SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("scp").split(" "));
    }

    /** The trace id a refusal page shows. */
    private static String pageTrace(HttpResponse<String> page) {
        Matcher m = PAGE_TRACE.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    /** The trace id of a refusal redirected to the app (its error_description's "Trace ID"). */
    private static String redirectTrace(HttpResponse<String> back) {
        Matcher m = REDIRECT_TRACE.matcher(reply(back).get("error_description"));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    @Drives(Cause.CONSENT_REQUIRED)
    @SuppressWarnings("deprecation") // the password grant is the client call under test
    void aPasswordGrantForAPermissionNobodyGrantedIsToldWhichAndSucceedsOnceAnAdministratorGrantsIt() throws Exception {
        PublicClientApplication app = desktop();
        UserNamePasswordParameters call = UserNamePasswordParameters.builder(Set.of("Mail.Read"), TestTenant.MEGAN_UPN,
                TestTenant.ADELE_PASSWORD.toCharArray()).build();
        Throwable t = catchThrowable(() -> app.acquireToken(call).get());
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MsalInteractionRequiredException.class);
        MsalInteractionRequiredException refused = (MsalInteractionRequiredException) t.getCause();
        assertThat(refused.getMessage()).startsWith("AADSTS65001: ");

        Diagnosis d = Diagnosed.as(server, refused.correlationId(), Cause.CONSENT_REQUIRED);
        assertThat(d.facts()).containsEntry("clientId", TestTenant.PUBLIC_APP.toString()).containsEntry("missing", "Mail.Read")
                .containsEntry("resource", "Microsoft Graph");
        assertThat(d.fix()).contains("admin consent");
        // The admin consent the fix names: its consentry grant command, for exactly the missing permission.
        assertThat(d.facts().get("command")).contains("--permission Mail.Read --type delegated");
        Diagnosed.applyGrant(server, d);

        assertThat(scp(app.acquireToken(call).get(30, TimeUnit.SECONDS))).contains("Mail.Read");
    }

    @Test
    @Drives(Cause.CONSENT_DECLINED)
    void aUserWhoCancelsTheConsentPageSendsTheAppAccessDeniedAndAcceptingIssuesTheToken() throws Exception {
        ConfidentialClientApplication app = web();
        Set<String> scopes = Set.of("Mail.Read");
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(b, signInUrl(app, scopes), TestTenant.MEGAN_UPN);
        assertThat(page.body()).contains("Permissions requested");
        HttpResponse<String> cancelled = b.submit(page, Map.of("decision", "cancel"));
        assertThat(reply(cancelled)).containsEntry("error", "access_denied")
                .doesNotContainKey("code");

        Diagnosis d = Diagnosed.as(server, redirectTrace(cancelled), Cause.CONSENT_DECLINED);
        assertThat(d.facts()).containsEntry("username", TestTenant.MEGAN_UPN);
        assertThat(d.facts().get("permissions")).contains("Mail.Read");
        // "Nothing to fix if the user meant it": the closest success is the same sign-in with the user's other answer.
        FormBrowser again = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> second = signIn(again, signInUrl(app, scopes), TestTenant.MEGAN_UPN);
        assertThat(scp(redeem(app, again.submit(second, Map.of("decision", "accept")), scopes))).contains("Mail.Read");
    }

    /** Drives a sign-in refused on "Need admin approval", grants what its diagnosis names, and signs in again. */
    private static void approvalThenGrantThenToken(Cause cause, Set<String> scopes, String permission) throws Exception {
        ConfidentialClientApplication app = web();
        HttpResponse<String> page = signIn(new FormBrowser(server.baseUrl(), server.sslContext()), signInUrl(app, scopes), TestTenant.MEGAN_UPN);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
        assertThat(page.body()).contains("Need admin approval").doesNotContain("name=\"decision\"");

        Diagnosis d = Diagnosed.as(server, pageTrace(page), cause);
        assertThat(d.facts()).containsEntry("permissions", permission).containsEntry("clientId", TestTenant.WEB_APP.toString());
        assertThat(d.facts().get("command")).contains("--permission " + permission + " --type delegated");
        assertThat(Diagnosed.applyGrant(server, d).newlyGranted()).isTrue();

        HttpResponse<String> back = signIn(new FormBrowser(server.baseUrl(), server.sslContext()), signInUrl(app, scopes), TestTenant.MEGAN_UPN);
        assertThat(scp(redeem(app, back, scopes))).contains(permission);
    }

    @Test
    @Drives(Cause.USER_CONSENT_DISABLED)
    void whereUsersMayNotConsentTheGrantTheDiagnosisNamesLetsTheSameSignInThrough() throws Exception {
        server.consentry().store().tenants().updatePolicy(TestTenant.TENANT,
                AuthorizationPolicy.DEFAULT.withGrantPolicies(List.of()));
        approvalThenGrantThenToken(Cause.USER_CONSENT_DISABLED, Set.of("Calendars.Read"), "Calendars.Read");
    }

    @Test
    @Drives(Cause.USER_CONSENT_NOT_COVERED)
    void aPermissionTheUserConsentPolicyDoesNotCoverIsGrantedAsTheDiagnosisSaysAndTheSignInGoesThrough() throws Exception {
        server.consentry().store().tenants().updatePolicy(TestTenant.TENANT, AuthorizationPolicy.DEFAULT.withGrantPolicies(
                List.of("ManagePermissionGrantsForSelf.microsoft-user-default-low")));
        approvalThenGrantThenToken(Cause.USER_CONSENT_NOT_COVERED, Set.of("Mail.Read"), "Mail.Read");
    }

    @Test
    @Drives(Cause.ADMIN_CONSENT_REQUIRED)
    void aPermissionOnlyAnAdministratorMayGrantIsGrantedForTheOrganizationAndTheSignInGoesThrough() throws Exception {
        approvalThenGrantThenToken(Cause.ADMIN_CONSENT_REQUIRED, Set.of("User.Read.All"), "User.Read.All");
    }

    @Test
    @Drives(Cause.ADMIN_APPROVAL_REQUESTABLE)
    void withTheWorkflowOnTheUserRequestsApprovalAnAdministratorGrantsAndTheSameSignInGoesThrough() throws Exception {
        var store = server.consentry().store();
        store.tenants().updatePolicy(TestTenant.TENANT, AuthorizationPolicy.DEFAULT.withGrantPolicies(List.of()));
        store.tenants().updatePolicy(TestTenant.TENANT, new AdminConsentRequestPolicy(true, false, false, 30, List.of(), 1, null));
        ConfidentialClientApplication app = web();
        Set<String> scopes = Set.of("Files.Read");
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(b, signInUrl(app, scopes), TestTenant.MEGAN_UPN);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
        assertThat(page.body()).contains("Approval required").contains("name=\"reason\"");

        Diagnosis d = Diagnosed.as(server, pageTrace(page), Cause.ADMIN_APPROVAL_REQUESTABLE);
        assertThat(d.facts()).containsEntry("permissions", "Files.Read");
        assertThat(d.fix()).contains("Send the request").contains("appConsentRequests");
        // The fix: send the request, then an administrator grants what it names.
        HttpResponse<String> sent = b.submit(page, Map.of("decision", "request", "reason", "For the weekly report"));
        assertThat(sent.body()).contains("Request sent");
        assertThat(store.appConsentRequests().findByAppId(TestTenant.TENANT, TestTenant.WEB_APP)).isPresent();
        assertThat(Diagnosed.applyGrant(server, d).permission()).isEqualTo("Files.Read");

        HttpResponse<String> back = signIn(new FormBrowser(server.baseUrl(), server.sslContext()), signInUrl(app, scopes), TestTenant.MEGAN_UPN);
        assertThat(scp(redeem(app, back, scopes))).contains("Files.Read");
    }

    @Test
    @Drives(Cause.ORGANIZATION_CONSENT_NOT_ALLOWED)
    void aUserWithoutARoleAtTheAdminConsentEndpointIsToldWhoMayAndAGlobalAdministratorThenGrants() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", TestTenant.WEB_APP.toString());
        p.put("redirect_uri", TestTenant.WEB_REDIRECT);
        p.put("scope", "https://graph.microsoft.com/Mail.Read");
        p.put("state", "s9");
        String adminConsent = "/" + TENANT + "/v2.0/adminconsent?" + FormBrowser.encode(p);
        HttpResponse<String> page = signIn(new FormBrowser(server.baseUrl(), server.sslContext()), adminConsent, TestTenant.MEGAN_UPN);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(400);

        Diagnosis d = Diagnosed.as(server, pageTrace(page), Cause.ORGANIZATION_CONSENT_NOT_ALLOWED);
        assertThat(d.facts()).containsEntry("username", TestTenant.MEGAN_UPN).containsEntry("permissions", "Mail.Read");
        assertThat(d.facts().get("held")).contains("holds none of the roles");
        assertThat(d.fix()).contains("Global Administrator");
        // The fix: the same admin consent URL, signed in as a Global Administrator (Adele holds the role).
        FormBrowser admin = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> consent = signIn(admin, adminConsent, TestTenant.ADELE_UPN);
        assertThat(consent.body()).contains("Accept for your organization");
        HttpResponse<String> granted = admin.submit(consent, Map.of("decision", "accept"));
        assertThat(FormBrowser.redirectParameters(granted)).containsEntry("admin_consent", "True").containsEntry("state", "s9");

        // And Megan's sign-in through MSAL4J is no longer asked anything.
        ConfidentialClientApplication app = web();
        HttpResponse<String> back = signIn(new FormBrowser(server.baseUrl(), server.sslContext()), signInUrl(app, Set.of("Mail.Read")), TestTenant.MEGAN_UPN);
        assertThat(scp(redeem(app, back, Set.of("Mail.Read")))).contains("Mail.Read");
    }
}
