package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.AdminConsentRequestPolicy;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.AuthorizationPolicy;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.util.ArrayList;
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
 * Who may consent, end to end: the tenant's authorization policy read and changed through Graph
 * ({@code /v1.0/policies/authorizationPolicy}, with a real MSAL4J app token), and its effect on the next consent page
 * for Megan (no role) and Adele (Global Administrator): not allowed, low-impact only, Microsoft's managed policy; an
 * administrator's "Consent on behalf of your organization" writing the AllPrincipals grant that spares Megan the page;
 * and the same box forged by a user who may not tick it.
 */
public class ConsentPolicyTest {
    /** The causes this class proves on the wire. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.USER_CONSENT_NOT_COVERED,
            Cause.ORGANIZATION_CONSENT_NOT_ALLOWED, Cause.USER_CONSENT_DISABLED, Cause.ADMIN_APPROVAL_REQUESTABLE);
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static final MutableClock clock = MutableClock.ticking();
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, clock);
    static final UUID POLICY_READ_ALL = UUID.fromString("246dd0d5-5bd0-4def-940b-0421030a5b68");
    static final UUID POLICY_READWRITE_AUTHORIZATION = UUID.fromString("fb221be6-99f2-473f-bd32-01c6a0e9ca3b");
    static final String POLICY = "/v1.0/policies/authorizationPolicy";
    static final String WORKFLOW = "/v1.0/policies/adminConsentRequestPolicy";
    static final String REQUESTS = "/v1.0/identityGovernance/appConsent/appConsentRequests";
    static final UUID POLICY_READWRITE_CONSENT_REQUEST = UUID.fromString("999f8c63-0a38-4f1b-91fd-ed1947bdd1a9");
    static final UUID POLICY_READWRITE_PERMISSION_GRANT = UUID.fromString("a402ca1c-2696-4531-972d-6e5ee4aa11ea");
    static final String USER_READ = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";
    static final UUID APPLICATION_READ_ALL = UUID.fromString("9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30");
    static final UUID CONSENT_REQUEST_READ_ALL = UUID.fromString("1260ad83-98fb-4785-abbb-d6cc1806fd41");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void theDaemonMayReadPolicies() {
        for (UUID role : List.of(POLICY_READ_ALL, POLICY_READWRITE_CONSENT_REQUEST, CONSENT_REQUEST_READ_ALL,
                APPLICATION_READ_ALL)) {
            STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.DAEMON_SP,
                    "ServicePrincipal", TestTenant.GRAPH_SP, role, clock.instant(), null));
        }
    }

    @AfterAll
    static void checkCoverage() {
        assertThat(EXERCISED).as("causes proven here").containsAll(COVERED_HERE);
    }

    /** Each test starts with the default policy and with nothing granted to Fabrikam Web by or for its users. */
    @BeforeEach
    void defaultPolicyAndNoGrants() {
        STORE.tenants().updatePolicy(TestTenant.TENANT, AuthorizationPolicy.DEFAULT);
        STORE.tenants().updatePolicy(TestTenant.TENANT, AdminConsentRequestPolicy.DEFAULT);
        STORE.appConsentRequests().list(TestTenant.TENANT).forEach(r -> STORE.appConsentRequests().delete(TestTenant.TENANT, r.id()));
        for (OAuth2PermissionGrant g : STORE.permissionGrants().listByClient(TestTenant.TENANT, TestTenant.WEB_APP_SP)) {
            STORE.permissionGrants().delete(TestTenant.TENANT, g.id());
        }
    }

    static String token() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    static HttpResponse<String> graph(String method, String body) {
        return graph(method, POLICY, body);
    }

    static HttpResponse<String> graph(String method, String path, String body) {
        return server.graph(method, path, token(), body);
    }

    static void patchGrantPolicies(String... policies) {
        List<String> quoted = new ArrayList<>();
        for (String p : policies) {
            quoted.add("\"" + p + "\"");
        }
        HttpResponse<String> r = graph("PATCH", "{\"defaultUserRolePermissions\": {\"permissionGrantPoliciesAssigned\": ["
                + String.join(", ", quoted) + "]}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    static dev.consentry.core.explain.Diagnosis assertApproval(HttpResponse<String> r, Cause cause) {
        EXERCISED.add(cause);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("Need admin approval").contains("AADSTS90094")
                .contains("The grant requires admin permission.").doesNotContain("name=\"decision\"");
        return server.assertRefusedOnPage(r, cause);
    }

    static HttpResponse<String> signIn(FormBrowser b, String upn, String scope) {
        return b.signIn(b.get(ConsentPageTest.authorize(scope)), upn, TestTenant.ADELE_PASSWORD);
    }

    static List<OAuth2PermissionGrant> grants() {
        return STORE.permissionGrants().listByClient(TestTenant.TENANT, TestTenant.WEB_APP_SP);
    }

    @Test
    void graphAnswersTheDefaultPolicyInItsOwnShapeAndThePatchNeedsItsPermission() throws Exception {
        HttpResponse<String> r = graph("GET", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode policy = JSON.readTree(r.body());
        assertThat(policy.path("@odata.context").asText())
                .isEqualTo("https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity");
        assertThat(policy.path("id").asText()).isEqualTo("authorizationPolicy");
        assertThat(policy.path("displayName").asText()).isEqualTo("Authorization Policy");
        assertThat(policy.path("defaultUserRolePermissions").path("allowedToCreateApps").asBoolean()).isTrue();
        assertThat(policy.path("defaultUserRolePermissions").path("permissionGrantPoliciesAssigned").get(0).asText())
                .isEqualTo(AuthorizationPolicy.USER_CONSENT_LEGACY);

        HttpResponse<String> refused = graph("PATCH", "{\"defaultUserRolePermissions\": {\"permissionGrantPoliciesAssigned\": []}}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("Authorization_RequestDenied");
        assertThat(STORE.tenants().find(TestTenant.TENANT).orElseThrow().authorizationPolicy()).isEqualTo(AuthorizationPolicy.DEFAULT);
    }

    @Test
    void aPatchChangesOnlyWhatItNamesAndBadBodiesChangeNothing() {
        withPolicyWriter(() -> {
            Map<String, String> bad = new LinkedHashMap<>();
            bad.put("{\"defaultUserRolePermissions\": {\"permissionGrantPoliciesAssigned\": \"all\"}}",
                    "An unexpected 'PrimitiveValue' node was found when reading from the JSON reader. A 'StartArray' node was expected.");
            bad.put("{\"defaultUserRolePermissions\": {\"canConsent\": true}}",
                    "Invalid property 'canConsent'.");
            bad.put("{\"usersCanConsent\": false}",
                    "Invalid property 'usersCanConsent'.");
            bad.put("{\"allowInvitesFrom\": \"anyone\"}", "Cannot convert the literal 'anyone' to the expected type 'microsoft.graph.allowInvitesFrom'.");
            bad.put("[1]", null);
            for (var e : bad.entrySet()) {
                HttpResponse<String> r = graph("PATCH", e.getKey());
                assertThat(r.statusCode()).as(e.getKey() + " " + r.body()).isEqualTo(400);
                if (e.getValue() != null) {
                    assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).isEqualTo(e.getValue());
                }
            }
            assertThat(STORE.tenants().find(TestTenant.TENANT).orElseThrow().authorizationPolicy())
                    .isEqualTo(AuthorizationPolicy.DEFAULT);

            HttpResponse<String> ok = graph("PATCH", "{\"allowedToUseSSPR\": false, \"defaultUserRolePermissions\": "
                    + "{\"allowedToCreateApps\": false, \"permissionGrantPoliciesAssigned\": [\""
                    + AuthorizationPolicy.USER_CONSENT_LOW + "\"]}}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(204);
            JsonNode after = JSON.readTree(graph("GET", null).body());
            assertThat(after.path("allowedToUseSSPR").asBoolean()).isFalse();
            assertThat(after.path("allowInvitesFrom").asText()).isEqualTo("everyone");
            assertThat(after.path("defaultUserRolePermissions").path("allowedToCreateApps").asBoolean()).isFalse();
            assertThat(after.path("defaultUserRolePermissions").path("allowedToReadOtherUsers").asBoolean()).isTrue();
            assertThat(after.path("defaultUserRolePermissions").path("permissionGrantPoliciesAssigned").toString())
                    .isEqualTo("[\"" + AuthorizationPolicy.USER_CONSENT_LOW + "\"]");
            assertThat(STORE.audit().recent(TestTenant.TENANT, 1).get(0).activityDisplayName())
                    .isEqualTo("Update authorization policy");
        });
    }

    @Test
    void underNoUserConsentMeganIsSentToApprovalAndAnAdministratorsOrganizationConsentSparesHerThePage() {
        withPolicyWriter(ConsentPolicyTest::patchNoConsentPolicy);
        assertApproval(signIn(new FormBrowser(server.baseUrl(), server.sslContext()), TestTenant.MEGAN_UPN, "openid User.Read"), Cause.USER_CONSENT_DISABLED);
        assertThat(grants()).isEmpty();

        FormBrowser admin = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(admin, TestTenant.ADELE_UPN, "openid User.Read");
        assertThat(ConsentPageTest.listed(page)).containsExactly("User.Read");
        assertThat(page.body()).contains("Consent on behalf of your organization").contains("id=\"for-organization\"");
        ConsentPageTest.assertCode(admin.submit(page, Map.of("decision", "accept", "organization", "on")));
        assertThat(grants()).singleElement().satisfies(g -> {
            assertThat(g.consentType()).isEqualTo(OAuth2PermissionGrant.ALL_PRINCIPALS);
            assertThat(g.principalId()).isNull();
            assertThat(g.scope()).isEqualTo("User.Read");
        });
        assertThat(STORE.audit().recent(TestTenant.TENANT, 2)).extracting(a -> a.activityDisplayName())
                .containsExactlyInAnyOrder("Consent to application", "Add delegated permission grant");

        ConsentPageTest.assertCode(signIn(new FormBrowser(server.baseUrl(), server.sslContext()), TestTenant.MEGAN_UPN, "openid User.Read"));
    }

    @Test
    void aUserWhoTicksABoxTheyWereNotOfferedIsRefusedAndNothingIsStored() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(b, TestTenant.MEGAN_UPN, "openid User.Read");
        assertThat(page.body()).doesNotContain("for-organization");
        assertApproval(b.submit(page, Map.of("decision", "accept", "organization", "on")), Cause.ORGANIZATION_CONSENT_NOT_ALLOWED);
        assertThat(grants()).isEmpty();
    }

    @Test
    void underLowImpactOnlyMeganMayConsentToWhatGraphClassifiesLowAndNothingElse() throws Exception {
        ServicePrincipal graphSp = STORE.servicePrincipals().find(TestTenant.TENANT, TestTenant.GRAPH_SP).orElseThrow();
        String classifications = "/v1.0/servicePrincipals/" + TestTenant.GRAPH_SP + "/delegatedPermissionClassifications";
        AppRoleAssignment classifier = new AppRoleAssignment(null, TestTenant.DAEMON_SP, "ServicePrincipal",
                TestTenant.GRAPH_SP, POLICY_READWRITE_PERMISSION_GRANT, clock.instant(), null);
        STORE.appRoleAssignments().save(TestTenant.TENANT, classifier);
        try {
            HttpResponse<String> low = graph("POST", classifications, "{\"permissionId\": \"" + USER_READ
                    + "\", \"classification\": \"low\"}");
            assertThat(low.statusCode()).as(low.body()).isEqualTo(201);
            JsonNode created = JSON.readTree(low.body());
            assertThat(created.path("permissionName").asText()).isEqualTo("User.Read");
            assertThat(created.path("id").asText()).matches("[A-Za-z0-9_-]{22}");
            Map<String, Integer> refused = new LinkedHashMap<>();
            refused.put("{\"permissionId\": \"" + USER_READ + "\", \"classification\": \"low\"}", 409);
            refused.put("{\"permissionName\": \"User.Read.All\", \"classification\": \"low\"}", 400);
            refused.put("{\"permissionId\": \"00000000-0000-4000-8000-000000000000\", \"classification\": \"low\"}", 400);
            refused.put("{\"permissionName\": \"Mail.Read\", \"classification\": \"tiny\"}", 400);
            refused.put("[]", 400);
            for (var e : refused.entrySet()) {
                HttpResponse<String> r = graph("POST", classifications, e.getKey());
                assertThat(r.statusCode()).as(e.getKey() + " " + r.body()).isEqualTo(e.getValue());
            }
            HttpResponse<String> list = graph("GET", classifications, null);
            JsonNode listed = JSON.readTree(list.body()).path("value");
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(listed).as(list.body()).isNotEmpty();
            assertThat(listed).hasSize(1);
            assertThat(graph("DELETE", classifications + "/nope", null).statusCode()).isEqualTo(404);

            withPolicyWriter(() -> patchGrantPolicies(AuthorizationPolicy.USER_CONSENT_LOW));
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> mail = signIn(b, TestTenant.MEGAN_UPN, "openid Mail.Read");
            assertThat(assertApproval(mail, Cause.USER_CONSENT_NOT_COVERED).explanation()).contains("classifies as low");
            FormBrowser again = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> page = signIn(again, TestTenant.MEGAN_UPN, "openid User.Read");
            assertThat(ConsentPageTest.listed(page)).containsExactly("User.Read");
            ConsentPageTest.assertCode(again.submit(page, Map.of("decision", "accept")));
            assertThat(grants()).singleElement().satisfies(g -> assertThat(g.consentType()).isEqualTo("Principal"));

            assertThat(graph("DELETE", classifications + "/" + created.path("id").asText(), null).statusCode()).isEqualTo(204);
            assertThat(JSON.readTree(graph("GET", classifications, null).body()).path("value")).isEmpty();
        } finally {
            STORE.servicePrincipals().save(TestTenant.TENANT, graphSp);
            STORE.appRoleAssignments().listByPrincipal(TestTenant.TENANT, TestTenant.DAEMON_SP).stream()
                    .filter(a -> a.appRoleId().equals(POLICY_READWRITE_PERMISSION_GRANT))
                    .forEach(a -> STORE.appRoleAssignments().delete(TestTenant.TENANT, a.id()));
        }
    }

    @Test
    void underMicrosoftsManagedPolicyMailNeedsAnAdministratorAndProfileReadingDoesNot() {
        withPolicyWriter(() -> patchGrantPolicies("ManagePermissionGrantsForSelf.microsoft-user-default-recommended",
                "ManagePermissionGrantsForSelf.microsoft-user-default-allow-consent-apps"));
        assertApproval(signIn(new FormBrowser(server.baseUrl(), server.sslContext()), TestTenant.MEGAN_UPN, "openid Mail.Read"), Cause.USER_CONSENT_NOT_COVERED);
        assertThat(ConsentPageTest.listed(signIn(new FormBrowser(server.baseUrl(), server.sslContext()), TestTenant.MEGAN_UPN, "openid User.Read")))
                .containsExactly("User.Read");
        assertThat(ConsentPageTest.listed(signIn(new FormBrowser(server.baseUrl(), server.sslContext()), TestTenant.ADELE_UPN, "openid Mail.Read")))
                .as("a Global Administrator may consent to anything").containsExactly("Mail.Read");
    }

    @Test
    void aUserOfAnotherTenantConsentingToTheMultiTenantAppGivesHerTenantItsServicePrincipal() {
        assertThat(STORE.servicePrincipals().findByAppId(TestTenant.OTHER_TENANT, TestTenant.WEB_APP)).isEmpty();
        String authorize = "/organizations/oauth2/v2.0/authorize?" + FormBrowser.encode(Map.of("client_id",
                TestTenant.WEB_APP.toString(), "response_type", "code", "redirect_uri", TestTenant.WEB_REDIRECT,
                "scope", "openid profile", "state", "s1"));
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = b.signIn(b.get(authorize), TestTenant.OLGA_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(ConsentPageTest.listed(page)).as("signing in alone is consented to").containsExactly("openid", "profile");
        assertThat(page.body()).contains("Registered by Fabrikam");
        assertThat(STORE.servicePrincipals().findByAppId(TestTenant.OTHER_TENANT, TestTenant.WEB_APP))
                .as("nothing is created before the user accepts").isEmpty();

        ConsentPageTest.assertCode(b.submit(page, Map.of("decision", "accept")));
        ServicePrincipal sp = STORE.servicePrincipals().findByAppId(TestTenant.OTHER_TENANT, TestTenant.WEB_APP).orElseThrow();
        assertThat(sp.appOwnerOrganizationId()).isEqualTo(TestTenant.TENANT);
        assertThat(sp.displayName()).isEqualTo("Fabrikam Web");
        assertThat(sp.servicePrincipalType()).isEqualTo("Application");
        assertThat(STORE.permissionGrants().listByClient(TestTenant.OTHER_TENANT, sp.id())).singleElement()
                .satisfies(g -> {
                    assertThat(g.principalId()).isEqualTo(TestTenant.OLGA);
                    assertThat(g.scope()).isEqualTo("openid profile");
                });
        assertThat(STORE.audit().recent(TestTenant.OTHER_TENANT, 2)).extracting(a -> a.activityDisplayName())
                .containsExactlyInAnyOrder("Consent to application", "Add service principal");
        // The next sign-in asks nothing; the app's home tenant is untouched.
        FormBrowser again = new FormBrowser(server.baseUrl(), server.sslContext());
        ConsentPageTest.assertCode(again.signIn(again.get(authorize), TestTenant.OLGA_UPN, TestTenant.ADELE_PASSWORD));
        assertThat(STORE.servicePrincipals().findByAppId(TestTenant.TENANT, TestTenant.WEB_APP).orElseThrow().id())
                .isEqualTo(TestTenant.WEB_APP_SP);
    }

    @Test
    void withTheAdminConsentWorkflowOnMeganAsksForApprovalWithAReasonAndGraphListsHerRequest() throws Exception {
        HttpResponse<String> put = graph("PUT", WORKFLOW, "{\"isEnabled\": true, \"notifyReviewers\": false, "
                + "\"remindersEnabled\": false, \"requestDurationInDays\": 30, \"reviewers\": [{\"query\": \"/users/"
                + TestTenant.ADELE + "\", \"queryType\": \"MicrosoftGraph\"}]}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
        JsonNode workflow = JSON.readTree(graph("GET", WORKFLOW, null).body());
        assertThat(workflow.path("isEnabled").asBoolean()).isTrue();
        assertThat(workflow.path("version").asInt()).isEqualTo(1);
        assertThat(workflow.path("reviewers").get(0).path("query").asText()).isEqualTo("/users/" + TestTenant.ADELE);
        withPolicyWriter(ConsentPolicyTest::patchNoConsentPolicy);

        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = signIn(b, TestTenant.MEGAN_UPN, "openid Mail.Read");
        EXERCISED.add(Cause.ADMIN_APPROVAL_REQUESTABLE);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
        assertThat(page.body()).contains("Approval required").contains("This app requires your admin's approval to:")
                .contains("AADSTS90095").contains("name=\"reason\"").contains("Request approval").doesNotContain("Need admin approval");
        assertThat(b.submit(page, Map.of("decision", "request", "reason", "x".repeat(1001))).statusCode())
                .as("a reason too long").isEqualTo(400);
        FormBrowser b2 = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> again = signIn(b2, TestTenant.MEGAN_UPN, "openid Mail.Read");
        HttpResponse<String> sent = b2.submit(again, Map.of("decision", "request", "reason", "For the weekly mail report"));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(sent.body()).contains("Request sent").contains("Back to the app");

        JsonNode requests = JSON.readTree(graph("GET", REQUESTS, null).body());
        assertThat(requests.path("value")).hasSize(1);
        JsonNode request = requests.path("value").get(0);
        assertThat(request.path("appId").asText()).isEqualTo(TestTenant.WEB_APP.toString());
        assertThat(request.path("appDisplayName").asText()).isEqualTo("Fabrikam Web");
        assertThat(request.path("pendingScopes").toString()).isEqualTo("[{\"displayName\":\"Mail.Read\"}]");
        assertThat(request.has("userConsentRequests")).isFalse();
        JsonNode users = JSON.readTree(graph("GET", REQUESTS + "/" + request.path("id").asText() + "/userConsentRequests",
                null).body()).path("value");
        assertThat(users).hasSize(1);
        assertThat(users.get(0).path("status").asText()).isEqualTo("InProgress");
        assertThat(users.get(0).path("reason").asText()).isEqualTo("For the weekly mail report");
        assertThat(users.get(0).path("createdBy").path("user").path("id").asText()).isEqualTo(TestTenant.MEGAN.toString());
        assertThat(grants()).as("asking grants nothing").isEmpty();

        // Asking again while the request waits adds no second request.
        FormBrowser later = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> second = later.submit(signIn(later, TestTenant.MEGAN_UPN, "openid Mail.Read"),
                Map.of("decision", "request", "reason", "again"));
        assertThat(second.body()).contains("already asked");
        assertThat(STORE.appConsentRequests().list(TestTenant.TENANT).get(0).userConsentRequests()).hasSize(1);

        // An administrator grants it for the organization: the request is done, and Megan signs in without a page.
        FormBrowser admin = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> consent = signIn(admin, TestTenant.ADELE_UPN, "openid Mail.Read");
        ConsentPageTest.assertCode(admin.submit(consent, Map.of("decision", "accept", "organization", "on")));
        JsonNode done = JSON.readTree(graph("GET", REQUESTS + "/" + request.path("id").asText() + "/userConsentRequests",
                null).body()).path("value").get(0);
        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(done.path("completedDateTime").asText()).isNotEmpty();
        assertThat(JSON.readTree(graph("GET", REQUESTS, null).body()).path("value").get(0).path("pendingScopes")).isEmpty();
        FormBrowser megan = new FormBrowser(server.baseUrl(), server.sslContext());
        ConsentPageTest.assertCode(signIn(megan, TestTenant.MEGAN_UPN, "openid Mail.Read"));
    }

    @Test
    void aRequestWhereTheWorkflowIsOffAndBadWorkflowBodiesAreRefusedAndChangeNothing() throws Exception {
        // A user who may consent cannot ask instead; nor can one whose tenant has the workflow off.
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> consentPage = signIn(b, TestTenant.MEGAN_UPN, "openid Mail.Read");
        HttpResponse<String> mayConsent = b.submit(consentPage, Map.of("decision", "request", "reason", "please"));
        assertThat(mayConsent.statusCode()).isEqualTo(400);
        assertThat(mayConsent.body()).contains("AADSTS" + Cause.PARAMETER_INVALID.code());
        FormBrowser b2 = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> before = signIn(b2, TestTenant.MEGAN_UPN, "openid Mail.Read");
        withPolicyWriter(ConsentPolicyTest::patchNoConsentPolicy);
        assertThat(signIn(new FormBrowser(server.baseUrl(), server.sslContext()), TestTenant.MEGAN_UPN, "openid Mail.Read").body())
                .contains("Need admin approval").doesNotContain("Request approval");
        HttpResponse<String> off = b2.submit(before, Map.of("decision", "request", "reason", "please"));
        assertThat(off.statusCode()).isEqualTo(400);
        assertThat(off.body()).contains("AADSTS" + Cause.PARAMETER_INVALID.code());
        assertThat(STORE.appConsentRequests().list(TestTenant.TENANT)).isEmpty();
        assertThat(grants()).isEmpty();

        for (String bad : List.of("{\"isEnabled\": \"yes\"}", "{\"requestDurationInDays\": -1}", "{\"reviewers\": [{}]}",
                "{\"approvers\": []}", "[]")) {
            HttpResponse<String> r = graph("PUT", WORKFLOW, bad);
            assertThat(r.statusCode()).as(bad + " " + r.body()).isEqualTo(400);
        }
        assertThat(STORE.tenants().find(TestTenant.TENANT).orElseThrow().adminConsentRequestPolicy())
                .isEqualTo(AdminConsentRequestPolicy.DEFAULT);
    }

    /** Runs {@code body} while the daemon holds Policy.ReadWrite.Authorization, which it then loses again. */
    static void withPolicyWriter(Step body) {
        AppRoleAssignment writer = new AppRoleAssignment(null, TestTenant.DAEMON_SP, "ServicePrincipal", TestTenant.GRAPH_SP,
                POLICY_READWRITE_AUTHORIZATION, clock.instant(), null);
        STORE.appRoleAssignments().save(TestTenant.TENANT, writer);
        try {
            body.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            STORE.appRoleAssignments().listByPrincipal(TestTenant.TENANT, TestTenant.DAEMON_SP).stream()
                    .filter(a -> a.appRoleId().equals(POLICY_READWRITE_AUTHORIZATION))
                    .forEach(a -> STORE.appRoleAssignments().delete(TestTenant.TENANT, a.id()));
        }
    }

    /** For {@link #withPolicyWriter}: a PATCH assigning no consent policy. */
    static void patchNoConsentPolicy() {
        patchGrantPolicies(new String[0]);
    }

    /** A test step that may throw. */
    interface Step {
        void run() throws Exception;
    }
}
