package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin consent endpoint on the wire ({@code /{tenant}/v2.0/adminconsent}), driven by a cookie-keeping HTTP
 * client: Fabrikam Web's registration requests Microsoft Graph's Mail.Read and User.Read (delegated) and User.Read.All
 * (application). Adele, a Global Administrator, grants it for the organization; the app's own client-credentials call
 * to Graph goes from 403 to 200 and Megan then signs in without a consent page. Cancel, a non-administrator, an
 * Application Administrator asked for Graph's application permissions, and every malformed request get Entra's
 * answers, and nothing is stored.
 */
public class AdminConsentTest {
    /** The causes this class proves on the wire. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.ORGANIZATION_CONSENT_NOT_ALLOWED, Cause.CONSENT_DECLINED);
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static final MutableClock clock = MutableClock.ticking();
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, clock);
    static final String TENANT = TestTenant.TENANT.toString();
    static final String GRAPH = "00000003-0000-0000-c000-000000000000";
    static final UUID MAIL_READ = UUID.fromString("570282fd-fa5c-430d-a7fd-fc8dc98a9dca");
    static final UUID USER_READ = UUID.fromString("e1fe6dd8-ba31-4d61-89e7-88639da4683d");
    static final String APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";

    @BeforeAll
    static void theWebAppRequestsGraphPermissions() {
        Application web = STORE.applications().findByAppId(TestTenant.TENANT, TestTenant.WEB_APP).orElseThrow();
        STORE.applications().save(TestTenant.TENANT, ConsentPageTest.withRequired(web, List.of(new RequiredResourceAccess(GRAPH,
                List.of(new RequiredResourceAccess.ResourceAccess(MAIL_READ, "Scope"),
                        new RequiredResourceAccess.ResourceAccess(USER_READ, "Scope"),
                        new RequiredResourceAccess.ResourceAccess(TestTenant.USER_READ_ALL, "Role"))))));
    }

    @AfterAll
    static void checkCoverage() {
        assertThat(EXERCISED).as("causes proven here").containsAll(COVERED_HERE);
    }

    /** Every test starts with nothing granted to Fabrikam Web and no extra role. */
    @BeforeEach
    void nothingGranted() {
        for (OAuth2PermissionGrant g : STORE.permissionGrants().listByClient(TestTenant.TENANT, TestTenant.WEB_APP_SP)) {
            STORE.permissionGrants().delete(TestTenant.TENANT, g.id());
        }
        for (AppRoleAssignment a : STORE.appRoleAssignments().listByPrincipal(TestTenant.TENANT, TestTenant.WEB_APP_SP)) {
            STORE.appRoleAssignments().delete(TestTenant.TENANT, a.id());
        }
        STORE.roleAssignments().listByPrincipal(TestTenant.TENANT, TestTenant.MEGAN)
                .forEach(r -> STORE.roleAssignments().delete(TestTenant.TENANT, r.id()));
    }

    static String adminConsent(String tenant, String... params) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", TestTenant.WEB_APP.toString());
        p.put("redirect_uri", TestTenant.WEB_REDIRECT);
        p.put("scope", "https://graph.microsoft.com/.default");
        p.put("state", "s9");
        for (int i = 0; i < params.length; i += 2) {
            if (params[i + 1] == null) {
                p.remove(params[i]);
            } else {
                p.put(params[i], params[i + 1]);
            }
        }
        return "/" + tenant + "/v2.0/adminconsent?" + FormBrowser.encode(p);
    }

    static HttpResponse<String> signIn(FormBrowser b, String upn, String url) {
        return b.signIn(b.get(url), upn, TestTenant.ADELE_PASSWORD);
    }

    static List<OAuth2PermissionGrant> grants() {
        return STORE.permissionGrants().listByClient(TestTenant.TENANT, TestTenant.WEB_APP_SP);
    }

    static List<AppRoleAssignment> roles() {
        return STORE.appRoleAssignments().listByPrincipal(TestTenant.TENANT, TestTenant.WEB_APP_SP);
    }

    /** Fabrikam Web's own client-credentials call to list users: its status. */
    static int appListsUsers() {
        return server.graph("GET", "/v1.0/users", server.appToken(TENANT, TestTenant.WEB_APP.toString(), TestTenant.WEB_SECRET),
                null).statusCode();
    }

    static void assertApproval(HttpResponse<String> r, Cause cause) {
        EXERCISED.add(cause);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        server.assertRefusedOnPage(r, cause);
        assertThat(r.body()).contains("Need admin approval").doesNotContain("name=\"decision\"");
    }

    @Test
    void aGlobalAdministratorGrantsWhatTheRegistrationRequestsAndTheAppAndItsUsersUseIt() throws Exception {
        assertThat(appListsUsers()).as("before: the app holds no application permission").isEqualTo(403);
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(b, TestTenant.ADELE_UPN, adminConsent(TENANT));
        assertThat(ConsentPageTest.listed(page)).containsExactly("Mail.Read", "User.Read", "User.Read.All");
        assertThat(page.body()).contains("Accept for your organization").contains("application permission")
                .doesNotContain("id=\"for-organization\"");

        HttpResponse<String> back = b.submit(page, Map.of("decision", "accept"));
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location").orElseThrow()).startsWith(TestTenant.WEB_REDIRECT + "?");
        assertThat(FormBrowser.redirectParameters(back)).containsExactly(Map.entry("admin_consent", "True"),
                Map.entry("tenant", TENANT), Map.entry("scope", "https://graph.microsoft.com/.default"),
                Map.entry("state", "s9"));
        assertThat(grants()).singleElement().satisfies(g -> {
            assertThat(g.consentType()).isEqualTo(OAuth2PermissionGrant.ALL_PRINCIPALS);
            assertThat(g.scope()).isEqualTo("Mail.Read User.Read");
        });
        assertThat(roles()).singleElement().satisfies(a -> assertThat(a.appRoleId()).isEqualTo(TestTenant.USER_READ_ALL));
        assertThat(STORE.audit().recent(TestTenant.TENANT, 3)).extracting(a -> a.activityDisplayName())
                .containsExactlyInAnyOrder("Consent to application", "Add app role assignment to service principal",
                        "Add delegated permission grant");

        assertThat(appListsUsers()).as("after: a new token carries the role").isEqualTo(200);
        FormBrowser megan = new FormBrowser(server.baseUrl(), server.sslContext());
        ConsentPageTest.assertCode(megan.signIn(megan.get(ConsentPageTest.authorize("openid Mail.Read")),
                TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD));
    }

    @Test
    void namedPermissionsGrantOnlyThoseAndTheV1EndpointGrantsEverything() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(b, TestTenant.ADELE_UPN, adminConsent(TENANT, "scope",
                "https://graph.microsoft.com/Mail.Read"));
        assertThat(ConsentPageTest.listed(page)).containsExactly("Mail.Read");
        HttpResponse<String> back = b.submit(page, Map.of("decision", "accept"));
        assertThat(FormBrowser.redirectParameters(back)).containsEntry("scope", "https://graph.microsoft.com/Mail.Read");
        assertThat(grants()).singleElement().satisfies(g -> assertThat(g.scope()).isEqualTo("Mail.Read"));
        assertThat(roles()).isEmpty();

        FormBrowser v1 = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> all = signIn(v1, TestTenant.ADELE_UPN, "/" + TENANT + "/adminconsent?" + FormBrowser.encode(Map.of(
                "client_id", TestTenant.WEB_APP.toString(), "redirect_uri", TestTenant.WEB_REDIRECT, "state", "v1")));
        assertThat(ConsentPageTest.listed(all)).containsExactly("Mail.Read", "User.Read", "User.Read.All");
    }

    @Test
    void cancelRedirectsWithAadsts65004AndAdminConsentButNoTenantAndStoresNothing() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(b, TestTenant.ADELE_UPN, adminConsent(TENANT));
        HttpResponse<String> back = b.submit(page, Map.of("decision", "cancel"));
        EXERCISED.add(Cause.CONSENT_DECLINED);
        assertThat(back.statusCode()).isEqualTo(302);
        Map<String, String> p = FormBrowser.redirectParameters(back);
        assertThat(p.keySet()).containsExactly("error", "error_description", "error_uri", "admin_consent", "state");
        assertThat(p.get("error")).isEqualTo("access_denied");
        assertThat(p.get("error_description")).startsWith("AADSTS65004: User declined to consent to access the app.\r\nTrace ID: ");
        assertThat(p.get("admin_consent")).isEqualTo("True");
        assertThat(grants()).isEmpty();
        assertThat(roles()).isEmpty();
    }

    @Test
    void aUserWithoutARoleSeesTheApprovalPageWhoseLinkReturnsToTheApp() {
        HttpResponse<String> page = signIn(new FormBrowser(server.baseUrl(), server.sslContext()), TestTenant.MEGAN_UPN, adminConsent(TENANT));
        assertApproval(page, Cause.ORGANIZATION_CONSENT_NOT_ALLOWED);
        assertThat(page.body()).contains("Return to the application without granting consent").contains("href=\""
                + TestTenant.WEB_REDIRECT + "?error=access_denied&amp;error_subcode=cancel&amp;state=s9\"");
        assertThat(grants()).isEmpty();
    }

    @Test
    void anApplicationAdministratorGrantsDelegatedPermissionsButNotGraphsApplicationPermissions() {
        STORE.roleAssignments().save(TestTenant.TENANT, new RoleAssignment(null, TestTenant.MEGAN, APPLICATION_ADMINISTRATOR,
                "/", null));
        assertApproval(signIn(new FormBrowser(server.baseUrl(), server.sslContext()), TestTenant.MEGAN_UPN, adminConsent(TENANT)),
                Cause.ORGANIZATION_CONSENT_NOT_ALLOWED);
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(b, TestTenant.MEGAN_UPN, adminConsent(TENANT, "scope",
                "https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/User.Read"));
        assertThat(ConsentPageTest.listed(page)).containsExactly("Mail.Read", "User.Read");
        assertThat(FormBrowser.redirectParameters(b.submit(page, Map.of("decision", "accept")))).containsEntry("admin_consent", "True");
        assertThat(grants()).singleElement().satisfies(g -> assertThat(g.scope()).isEqualTo("Mail.Read User.Read"));
    }

    @Test
    void badRequestsStayOnConsentrysPageOrGoBackAsEntraSendsThemAndStoreNothing() {
        Map<String, Cause> onPage = new LinkedHashMap<>();
        onPage.put(adminConsent(TENANT, "client_id", "0a0a0a0a-1111-4222-8333-444444444444"), Cause.CLIENT_NOT_FOUND);
        onPage.put(adminConsent(TENANT, "client_id", null), Cause.PARAMETER_MISSING);
        onPage.put(adminConsent(TENANT, "redirect_uri", "https://evil.example/cb"), Cause.REDIRECT_URI_MISMATCH);
        onPage.put(adminConsent(TENANT, "redirect_uri", null), Cause.PARAMETER_MISSING);
        onPage.put(adminConsent("common"), Cause.PARAMETER_INVALID);
        for (var e : onPage.entrySet()) {
            HttpResponse<String> r = new FormBrowser(server.baseUrl(), server.sslContext()).get(e.getKey());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(e.getValue().status());
            assertThat(r.headers().firstValue("Location")).as(e.getKey()).isEmpty();
            assertThat(r.body()).as(e.getKey()).contains("AADSTS" + e.getValue().code());
        }
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> unknown = signIn(b, TestTenant.ADELE_UPN, adminConsent(TENANT, "scope",
                "https://graph.microsoft.com/Mail.Nope"));
        assertThat(unknown.statusCode()).isEqualTo(302);
        assertThat(FormBrowser.redirectParameters(unknown)).containsEntry("error", "invalid_client").containsEntry("state", "s9");
        assertThat(FormBrowser.redirectParameters(unknown).get("error_description")).startsWith("AADSTS650053");

        // A replayed answer, and an answer for an account not signed in to this browser.
        FormBrowser admin = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(admin, TestTenant.ADELE_UPN, adminConsent(TENANT, "scope",
                "https://graph.microsoft.com/User.Read"));
        assertThat(admin.submit(page, Map.of("decision", "accept")).statusCode()).isEqualTo(302);
        List<OAuth2PermissionGrant> after = grants();
        HttpResponse<String> replay = admin.submit(page, Map.of("decision", "accept"));
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("AADSTS" + Cause.FORM_TOKEN_INVALID.code());
        // A request changed in the form to ask for a permission that does not exist: Entra's 650053, not a fault.
        FormBrowser tamperer = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> form = signIn(tamperer, TestTenant.ADELE_UPN, adminConsent(TENANT));
        String bad = adminConsent(TENANT, "scope", "https://graph.microsoft.com/Mail.Nope");
        HttpResponse<String> tampered = tamperer.submit(form, Map.of("decision", "request", "request",
                "adminconsent:" + bad.substring(bad.indexOf('?') + 1)));
        assertThat(tampered.statusCode()).as(tampered.body()).isEqualTo(302);
        assertThat(FormBrowser.redirectParameters(tampered).get("error_description")).startsWith("AADSTS650053");
        HttpResponse<String> other = signIn(new FormBrowser(server.baseUrl(), server.sslContext()), TestTenant.ADELE_UPN, adminConsent(TENANT));
        HttpResponse<String> forged = admin.submit(other, Map.of("decision", "accept", "user", TestTenant.MEGAN.toString()));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(grants()).isEqualTo(after);
        assertThat(roles()).isEmpty();
    }
}
