package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.Prompt;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.consentry.core.directory.AdminConsentRequestPolicy;
import dev.consentry.core.directory.AppConsentRequest;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.AuthorizationPolicy;
import dev.consentry.core.directory.RedirectUris;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.DemoTenant;
import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.testkit.HtmlForms;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The consent page in Chromium, for the demo tenant's web app (Contoso Web, a confidential client signing users in
 * with MSAL4J's authorization code flow). Adele, who holds a mailbox licence, is asked only for Mail.Read (the
 * organization granted User.Read), accepts, and the token MSAL4J redeems carries it and reads her messages; asking
 * again shows no page; {@code prompt=consent} shows it again; Cancel sends the app {@code access_denied}; a
 * permission only an administrator may grant shows the approval page. The pictures of both pages in docs/ are
 * taken here.
 */
class Msal4jConsentTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    @RegisterExtension
    static final Chromium chromium = Chromium.trusting(server);
    static final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    static HttpServer listener;
    static String redirect;
    static String adeleUpn;
    static String adelePassword;
    static String adminUpn;
    static String adminPassword;
    static String webSecret;

    /** The demo tenant, with the web app's redirect URI pointing at this test's listener. */
    @BeforeAll
    static void demoTenantWithAListeningWebApp() throws Exception {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/signin-oidc", exchange -> {
            // MSAL4J's authorization URL asks for form_post: the response arrives as the POST body. The admin consent
            // endpoint answers in the query.
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(body.isEmpty() && exchange.getRequestURI().getRawQuery() != null
                    ? exchange.getRequestURI().getRawQuery() : body);
            byte[] page = "back at the app".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        listener.start();
        redirect = "http://localhost:" + listener.getAddress().getPort() + "/signin-oidc";

        DemoTenant demo = DemoTenant.create(Instant.now(), new Random(7), new SecretHasher(1_000));
        TenantDirectory d = demo.directory();
        List<Application> apps = d.applications().stream().map(a -> !a.appId().equals(DemoTenant.WEB_APP) ? a
                : new Application(a.id(), a.appId(), a.displayName(), a.signInAudience(), a.identifierUris(), a.api(),
                        a.appRoles(), a.passwordCredentials(), a.keyCredentials(), a.requiredResourceAccess(),
                        new RedirectUris(List.of(redirect), null), a.spa(), a.publicClient(), a.isFallbackPublicClient(),
                        a.additionalProperties())).toList();
        server.consentry().importTenants(List.of(new TenantDirectory(d.id(), d.displayName(), d.verifiedDomains(), d.users(),
                d.groups(), apps, d.servicePrincipals(), d.appRoleAssignments(), d.oauth2PermissionGrants(),
                d.roleAssignments(), d.subscribedSkus(), d.conditionalAccessPolicies(), d.appConsentRequests(), d.softwareOathMethods(), d.namedLocations(), d.devices(), d.authenticationContextClassReferences(), d.authorizationPolicy(), d.adminConsentRequestPolicy(), d.settings(),
                d.additionalProperties())));
        for (DemoTenant.Credential c : demo.credentials()) {
            if (c.name().equals("Adele Vance")) {
                adeleUpn = c.id();
                adelePassword = c.secret();
            } else if (c.name().startsWith("Megan Bowen")) {
                adminUpn = c.id();
                adminPassword = c.secret();
            } else if (c.name().equals("Contoso Web")) {
                webSecret = c.secret();
            }
        }
    }

    @AfterAll
    static void stopListener() {
        listener.stop(0);
    }

    static ConfidentialClientApplication web() throws Exception {
        return ConfidentialClientApplication.builder(DemoTenant.WEB_APP.toString(),
                        ClientCredentialFactory.createFromSecret(webSecret))
                .authority(server.authority(DemoTenant.TENANT.toString()))
                .instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory())
                .build();
    }

    /** Opens the web app's sign-in URL for {@code scopes} in Chromium, signing Adele in if the page asks. */
    static AuthorizeEndpointTest.Pkce openSignIn(ConfidentialClientApplication app, Set<String> scopes, Prompt prompt)
            throws Exception {
        return openSignIn(app, scopes, prompt, adeleUpn, adelePassword);
    }

    /** As above, for the user {@code upn}. */
    static AuthorizeEndpointTest.Pkce openSignIn(ConfidentialClientApplication app, Set<String> scopes, Prompt prompt,
                                                 String upn, String password) throws Exception {
        AuthorizeEndpointTest.Pkce pkce = AuthorizeEndpointTest.Pkce.create();
        var b = AuthorizationRequestUrlParameters.builder(redirect, scopes).state("demo-state")
                .codeChallenge(pkce.challenge()).codeChallengeMethod("S256");
        if (prompt != null) {
            b.prompt(prompt);
        }
        received.clear();
        chromium.open(app.getAuthorizationRequestUrl(b.build()).toString());
        signInIfAsked(upn, password);
        return pkce;
    }

    static void signInIfAsked(String upn, String password) {
        if (chromium.pageSource().contains("Pick an account")) {
            var signedIn = chromium.driver().findElements(org.openqa.selenium.By.cssSelector(
                    "button[name=account][value='" + upn + "']"));
            if (!signedIn.isEmpty()) {
                signedIn.getFirst().click();
                return;
            }
            chromium.click("other");
        }
        if (chromium.pageSource().contains("name=\"username\"")) {
            chromium.fill("username", upn);
            chromium.submit();
            chromium.fill("password", password);
            chromium.submit();
        }
    }

    /** The names the consent page on screen lists. */
    static List<String> listed() {
        chromium.awaitText("Permissions requested");
        return chromium.driver().findElements(org.openqa.selenium.By.cssSelector("strong.permission")).stream()
                .map(org.openqa.selenium.WebElement::getText).toList();
    }

    static Map<String, String> reply() throws InterruptedException {
        String body = received.poll(30, TimeUnit.SECONDS);
        assertThat(body).as("the app's redirect URI was called").isNotNull();
        return HtmlForms.parameters(body);
    }

    static IAuthenticationResult redeem(ConfidentialClientApplication app, Map<String, String> reply, Set<String> scopes,
                                        AuthorizeEndpointTest.Pkce pkce) throws Exception {
        assertThat(reply).as("%s", reply).containsKey("code").containsEntry("state", "demo-state");
        return app.acquireToken(AuthorizationCodeParameters.builder(reply.get("code"), new URI(redirect)).scopes(scopes)
                .codeVerifier(pkce.verifier()).build()).get(30, TimeUnit.SECONDS);
    }

    static HttpResponse<String> myMessages(String token) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1.0/me/messages"))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    @Test
    void adeleConsentsToMailReadOnlyThenReadsHerMessagesAndIsNotAskedAgain() throws Exception {
        ConfidentialClientApplication app = web();
        // Seed scenario S3: with the organization's User.Read alone, reading mail is refused as not consented.
        AuthorizeEndpointTest.Pkce profileOnly = openSignIn(app, Set.of("User.Read"), Prompt.LOGIN);
        HttpResponse<String> refused = myMessages(redeem(app, reply(), Set.of("User.Read"), profileOnly).accessToken());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).as("Exchange's own refusal").contains("ErrorAccessDenied");

        Set<String> scopes = Set.of("User.Read", "Mail.Read");
        AuthorizeEndpointTest.Pkce pkce = openSignIn(app, scopes, Prompt.LOGIN);
        assertThat(listed()).as("User.Read is granted for the organization").containsExactly("Mail.Read");
        assertThat(chromium.text()).contains("Contoso Web").contains("contoso.onmicrosoft.com")
                .contains("unverified publisher").contains("Contoso (demo)").contains(adeleUpn);
        assertThat(received).as("nothing reached the app before the answer").isEmpty();
        chromium.screenshot(docs().resolve("screenshots/consent-page.png"));
        chromium.click("accept");

        IAuthenticationResult result = redeem(app, reply(), scopes, pkce);
        String scp = SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("scp");
        assertThat(Arrays.asList(scp.split(" "))).contains("Mail.Read", "User.Read");
        assertThat(myMessages(result.accessToken()).statusCode()).isEqualTo(200);

        // Asked again in the same browser: signed in by the session, consented, so straight back to the app.
        AuthorizeEndpointTest.Pkce again = openSignIn(app, scopes, null);
        Map<String, String> second = reply();
        assertThat(chromium.text()).doesNotContain("Permissions requested");
        assertThat(SignedJWT.parse(redeem(app, second, scopes, again).accessToken()).getJWTClaimsSet()
                .getStringClaim("scp")).contains("Mail.Read");

        // prompt=consent asks again, for everything asked for.
        AuthorizeEndpointTest.Pkce forced = openSignIn(app, scopes, Prompt.CONSENT);
        assertThat(listed()).containsExactlyInAnyOrder("User.Read", "Mail.Read");
        chromium.click("accept");
        assertThat(redeem(app, reply(), scopes, forced).accessToken()).isNotBlank();
    }

    @Test
    void consentIsIncrementalTheSecondPageListsOnlyWhatIsNew() throws Exception {
        ConfidentialClientApplication app = web();
        AuthorizeEndpointTest.Pkce first = openSignIn(app, Set.of("Tasks.Read"), Prompt.LOGIN);
        assertThat(listed()).containsExactly("Tasks.Read");
        chromium.click("accept");
        redeem(app, reply(), Set.of("Tasks.Read"), first);

        AuthorizeEndpointTest.Pkce second = openSignIn(app, Set.of("Tasks.Read", "Notes.Read"), Prompt.LOGIN);
        assertThat(listed()).containsExactly("Notes.Read");
        assertThat(chromium.text()).contains("Already granted to this app").contains("Tasks.Read");
        chromium.click("accept");
        String scp = SignedJWT.parse(redeem(app, reply(), Set.of("Tasks.Read", "Notes.Read"), second).accessToken())
                .getJWTClaimsSet().getStringClaim("scp");
        assertThat(Arrays.asList(scp.split(" "))).contains("Tasks.Read", "Notes.Read");
    }

    @Test
    void cancelSendsTheAppAccessDenied() throws Exception {
        ConfidentialClientApplication app = web();
        openSignIn(app, Set.of("Calendars.Read"), Prompt.LOGIN);
        assertThat(listed()).containsExactly("Calendars.Read");
        chromium.click("cancel");
        Map<String, String> reply = reply();
        assertThat(reply.get("error")).isEqualTo("access_denied");
        assertThat(reply.get("error_description")).startsWith("AADSTS65004: ");
        assertThat(reply.get("state")).isEqualTo("demo-state");
        assertThat(reply).doesNotContainKey("code");
    }

    @Test
    void aPermissionOnlyAnAdministratorMayGrantShowsTheApprovalPageAndNothingReachesTheApp() throws Exception {
        openSignIn(web(), Set.of("User.Read.All"), Prompt.LOGIN);
        chromium.awaitText("Need admin approval");
        assertThat(chromium.text()).contains("AADSTS90094").contains("User.Read.All").doesNotContain("Accept");
        chromium.screenshot(docs().resolve("screenshots/approval-page.png"));
        assertThat(received.poll(1, TimeUnit.SECONDS)).as("the app hears nothing").isNull();
    }

    @Test
    void whereUsersMayNotConsentAdeleNeedsApprovalUntilAnAdministratorConsentsForTheOrganization() throws Exception {
        var store = server.consentry().store();
        AuthorizationPolicy before = store.tenants().find(DemoTenant.TENANT).orElseThrow().authorizationPolicy();
        store.tenants().updatePolicy(DemoTenant.TENANT, before.withGrantPolicies(List.of()));
        try {
            ConfidentialClientApplication app = web();
            Set<String> scopes = Set.of("Contacts.Read");
            openSignIn(app, scopes, Prompt.LOGIN);
            chromium.awaitText("Need admin approval");
            assertThat(chromium.text()).contains("AADSTS90094").contains("Return to the application without granting consent");
            assertThat(received.poll(1, TimeUnit.SECONDS)).as("the app hears nothing until the user goes back").isNull();
            chromium.click("return");
            assertThat(reply()).containsEntry("error", "access_denied").containsEntry("error_subcode", "cancel")
                    .containsEntry("state", "demo-state").doesNotContainKey("code");

            AuthorizeEndpointTest.Pkce admin = openSignIn(app, scopes, Prompt.LOGIN, adminUpn, adminPassword);
            assertThat(listed()).containsExactly("Contacts.Read");
            assertThat(chromium.text()).contains("Consent on behalf of your organization");
            chromium.click("for-organization");
            chromium.click("accept");
            assertThat(redeem(app, reply(), scopes, admin).accessToken()).isNotBlank();

            // Adele, in a fresh sign-in, is not asked: the organization granted it.
            AuthorizeEndpointTest.Pkce adele = openSignIn(app, scopes, Prompt.LOGIN);
            Map<String, String> back = reply();
            assertThat(chromium.text()).doesNotContain("Permissions requested").doesNotContain("Need admin approval");
            assertThat(SignedJWT.parse(redeem(app, back, scopes, adele).accessToken()).getJWTClaimsSet().getStringClaim("scp"))
                    .contains("Contacts.Read");
        } finally {
            store.tenants().updatePolicy(DemoTenant.TENANT, before);
        }
    }

    @Test
    void withTheAdminConsentWorkflowOnAdeleAsksForApprovalWithAReason() throws Exception {
        var store = server.consentry().store();
        var tenant = store.tenants().find(DemoTenant.TENANT).orElseThrow();
        store.tenants().updatePolicy(DemoTenant.TENANT, tenant.authorizationPolicy().withGrantPolicies(List.of()));
        store.tenants().updatePolicy(DemoTenant.TENANT, new AdminConsentRequestPolicy(true, false, false, 30, List.of(), 1, null));
        try {
            openSignIn(web(), Set.of("Files.Read"), Prompt.LOGIN);
            chromium.awaitText("Approval required");
            assertThat(chromium.text()).contains("This app requires your admin's approval to:").contains("Files.Read")
                    .contains("AADSTS90095");
            chromium.fill("reason", "I plan my week with it");
            chromium.screenshot(docs().resolve("screenshots/approval-request-page.png"));
            chromium.click("request-approval");
            chromium.awaitText("Request sent");
            var request = store.appConsentRequests().findByAppId(DemoTenant.TENANT, DemoTenant.WEB_APP).orElseThrow();
            assertThat(request.pendingScopes()).extracting(AppConsentRequest.Scope::displayName).containsExactly("Files.Read");
            assertThat(request.userConsentRequests()).singleElement()
                    .satisfies(u -> assertThat(u.reason()).isEqualTo("I plan my week with it"));
        } finally {
            store.tenants().updatePolicy(DemoTenant.TENANT, tenant.authorizationPolicy());
            store.tenants().updatePolicy(DemoTenant.TENANT, tenant.adminConsentRequestPolicy());
        }
    }

    @Test
    void anAdministratorGrantsTheAppForTheOrganizationAtTheAdminConsentEndpoint() throws Exception {
        received.clear();
        chromium.open(server.baseUrl() + "/" + DemoTenant.TENANT + "/v2.0/adminconsent?client_id=" + DemoTenant.WEB_APP
                + "&redirect_uri=" + java.net.URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&state=admin-state");
        signInIfAsked(adminUpn, adminPassword);
        chromium.awaitText("Accept for your organization");
        assertThat(listed()).isNotEmpty();
        chromium.screenshot(docs().resolve("screenshots/admin-consent-page.png"));
        chromium.click("accept");
        Map<String, String> reply = reply();
        assertThat(reply).containsEntry("admin_consent", "True").containsEntry("tenant", DemoTenant.TENANT.toString())
                .containsEntry("scope", "https://graph.microsoft.com/.default").containsEntry("state", "admin-state");
    }

    /** The repository's docs folder (tests run in the server module's folder). */
    static Path docs() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path docs = here.resolveSibling("docs");
        return Files.isDirectory(docs) ? docs : here.resolve("docs");
    }
}
