package dev.consentry.server.graph;

import static dev.consentry.server.testing.GraphReplies.json;
import static dev.consentry.server.testing.GraphReplies.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.SignIn;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph's audit logs through real tokens: a user's failed sign-in (wrong password, AADSTS50126) and successful one, both
 * through MSAL4J, are read back with the Microsoft Graph Java SDK ({@code /auditLogs/signIns} filtered by user, time,
 * app and error code) with the right error codes; an app holding AuditLog.Read.All reads the directory change another call made
 * ({@code /auditLogs/directoryAudits}, filtered by category and time, paged by {@code $top}); an app without the
 * permission is refused with Graph's 403; a filter Graph does not take is 400; a signed-in user needs one of the roles
 * Graph's page names (Adele, a Global Administrator, reads; Megan, with no role, is refused).
 */
class AuditLogsGraphTest {
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    static final UUID AUDIT_LOG_READ_ALL = UUID.fromString("b0afded3-3588-46d8-8b3d-9842eff778da");
    static final UUID APPLICATION_READWRITE_ALL = UUID.fromString("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9");
    static final String AUDITS = "/v1.0/auditLogs/directoryAudits";

    @BeforeAll
    static void theDaemonReadsTheLogsAndManagesApps() {
        for (UUID role : new UUID[] {AUDIT_LOG_READ_ALL, APPLICATION_READWRITE_ALL}) {
            STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.DAEMON_SP,
                    "ServicePrincipal", TestTenant.GRAPH_SP, role, Instant.now(), null));
        }
        OAuth2PermissionGrant g = STORE.permissionGrants().list(TestTenant.TENANT).stream()
                .filter(x -> x.id().equals("grant-desktop-graph")).findFirst().orElseThrow();
        STORE.permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant(g.id(), g.clientId(), g.consentType(),
                g.principalId(), g.resourceId(), "User.Read AuditLog.Read.All", g.createdDateTime(), null));
    }

    static String daemon() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    static String user(String upn) {
        return server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), upn, TestTenant.ADELE_PASSWORD,
                Set.of("AuditLog.Read.All"));
    }

    static String query(String filter) {
        return "?$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void aDirectoryChangeThroughGraphIsListedInDirectoryAudits() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        String token = daemon();
        var created = server.graph("POST", "/v1.0/applications", token, "{\"displayName\": \"Audited app\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String appId = json(created).path("id").asText();

        var listed = server.graph("GET", AUDITS + query("category eq 'ApplicationManagement' and activityDateTime ge "
                + before), token, null);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        JsonNode entry = null;
        for (JsonNode e : json(listed).path("value")) {
            if (e.path("targetResources").path(0).path("id").asText().equals(appId)) {
                entry = e;
            }
        }
        assertThat(entry).as(listed.body()).isNotNull();
        assertThat(entry.path("activityDisplayName").asText()).isEqualTo("Add application");
        assertThat(entry.path("operationType").asText()).isEqualTo("Add");
        assertThat(entry.path("result").asText()).isEqualTo("success");
        assertThat(entry.path("loggedByService").asText()).isEqualTo("Core Directory");
        assertThat(entry.path("initiatedBy").path("app").path("appId").asText()).isEqualTo(TestTenant.DAEMON.toString());
        assertThat(entry.path("initiatedBy").path("app").path("servicePrincipalId").asText())
                .isEqualTo(TestTenant.DAEMON_SP.toString());
        assertThat(json(listed).path("@odata.context").asText()).endsWith("/v1.0/$metadata#auditLogs/directoryAudits");

        var none = server.graph("GET", AUDITS + query("activityDateTime le " + before.minusSeconds(3600)), token, null);
        assertThat(json(none).path("value")).as("nothing that old").isEmpty();
        var beta = server.graph("GET", "/beta/auditLogs/directoryAudits?$top=1", token, null);
        assertThat(json(beta).path("value")).hasSize(1);
    }

    @Test
    void aFailedAndASuccessfulSignInAreReadThroughTheGraphSdk() throws Exception {
        Instant before = Instant.now();
        Throwable wrong = catchThrowable(() -> server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(),
                TestTenant.MEGAN_UPN, "not-the-password", Set.of("User.Read")));
        assertThat(wrong).hasStackTraceContaining("AADSTS50126");
        server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), TestTenant.MEGAN_UPN,
                TestTenant.ADELE_PASSWORD, Set.of("User.Read"));

        GraphServiceClient client = GraphSdk.client(server, AuditLogsGraphTest::daemon);
        String megan = "userPrincipalName eq '" + TestTenant.MEGAN_UPN + "' and createdDateTime ge " + before;
        List<SignIn> both = client.auditLogs().signIns().get(c -> c.queryParameters.filter = megan).getValue();
        assertThat(both).as("newest first").extracting(s -> s.getStatus().getErrorCode()).containsExactly(0, 50126);
        SignIn failed = both.get(1);
        assertThat(failed.getStatus().getFailureReason()).isNotBlank();
        assertThat(failed.getUserId()).isEqualTo(TestTenant.MEGAN.toString());
        assertThat(failed.getAppId()).isEqualTo(TestTenant.PUBLIC_APP.toString());
        assertThat(failed.getIsInteractive()).isTrue();
        assertThat(failed.getIpAddress()).isNotBlank();
        SignIn issued = both.get(0);
        assertThat(issued.getResourceDisplayName()).isEqualTo("Microsoft Graph");
        assertThat(issued.getConditionalAccessStatus()).isNotNull();
        assertThat(issued.getCreatedDateTime()).isAfterOrEqualTo(failed.getCreatedDateTime());

        List<SignIn> refusals = client.auditLogs().signIns().get(c -> {
            c.queryParameters.filter = megan + " and status/errorCode eq 50126 and appId eq '" + TestTenant.PUBLIC_APP + "'";
            c.queryParameters.top = 5;
        }).getValue();
        assertThat(refusals).extracting(SignIn::getId).containsExactly(failed.getId());

        ODataError bad = catchThrowableOfType(ODataError.class, () -> client.auditLogs().signIns()
                .get(c -> c.queryParameters.filter = "createdDateTime ge 'yesterday'"));
        assertThat(bad.getResponseStatusCode()).isEqualTo(400);
        String webToken = server.appToken(TestTenant.TENANT.toString(), TestTenant.WEB_APP.toString(), TestTenant.WEB_SECRET);
        ODataError forbidden = catchThrowableOfType(ODataError.class, () -> GraphSdk.client(server, () -> webToken).auditLogs()
                .signIns().get());
        assertThat(forbidden.getResponseStatusCode()).isEqualTo(403);
        assertThat(forbidden.getError().getCode()).isEqualTo("Authorization_RequestDenied");
    }

    @Test
    void aWrongPasswordOnTheSignInPageIsAFailedBrowserSignIn() throws Exception {
        Instant before = Instant.now();
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        String authorize = "/" + TestTenant.TENANT + "/oauth2/v2.0/authorize?" + FormBrowser.encode(Map.of("client_id",
                TestTenant.PUBLIC_APP.toString(), "response_type", "code", "redirect_uri", TestTenant.LOOPBACK_REDIRECT,
                "scope", "User.Read", "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "code_challenge_method", "S256"));
        HttpResponse<String> page = browser.get(authorize);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        HttpResponse<String> wrong = browser.signIn(page, TestTenant.MEGAN_UPN, "not-the-password");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("50126");
        HttpResponse<String> nobody = browser.signIn(browser.get(authorize), "nobody@" + TestTenant.DOMAIN, "x");
        assertThat(nobody.statusCode()).isEqualTo(400);

        GraphServiceClient client = GraphSdk.client(server, AuditLogsGraphTest::daemon);
        List<SignIn> logged = client.auditLogs().signIns().get(c -> c.queryParameters.filter = "createdDateTime ge " + before
                + " and status/errorCode eq 50126 and appId eq '" + TestTenant.PUBLIC_APP + "'").getValue();
        assertThat(logged).hasSize(1);
        SignIn failed = logged.get(0);
        assertThat(failed.getUserPrincipalName()).isEqualTo(TestTenant.MEGAN_UPN);
        assertThat(failed.getClientAppUsed()).isEqualTo("Browser");
        assertThat(failed.getIsInteractive()).isTrue();
        assertThat(failed.getCorrelationId()).isNotBlank();
        assertThat(client.auditLogs().signIns().get(c -> c.queryParameters.filter = "createdDateTime ge " + before
                + " and userPrincipalName eq 'nobody@" + TestTenant.DOMAIN + "'").getValue())
                .as("a name that matches nobody is no one's sign-in").isEmpty();
    }

    @Test
    void withoutAuditLogReadAllTheCallIsForbidden() throws Exception {
        String web = server.appToken(TestTenant.TENANT.toString(), TestTenant.WEB_APP.toString(), TestTenant.WEB_SECRET);
        refused(server.graph("GET", AUDITS, web, null), 403, "Authorization_RequestDenied");
        refused(server.graph("GET", "/beta/auditLogs/signIns", web, null), 403, "Authorization_RequestDenied");
    }

    @Test
    void aFilterGraphDoesNotTakeIsABadRequest() throws Exception {
        String token = daemon();
        refused(server.graph("GET", AUDITS + query("activityDateTime ge 'yesterday'"), token, null), 400, "BadRequest");
        refused(server.graph("GET", AUDITS + query("resultReason eq 'x'"), token, null), 400, "Request_UnsupportedQuery");
    }

    @Test
    void aSignedInUserNeedsAReportsOrSecurityRole() throws Exception {
        var adele = server.graph("GET", AUDITS, user(TestTenant.ADELE_UPN), null);
        assertThat(adele.statusCode()).as(adele.body()).isEqualTo(200);
        refused(server.graph("GET", AUDITS, user(TestTenant.MEGAN_UPN), null), 403, "Authorization_RequestDenied");
        refused(server.graph("GET", "/v1.0/auditLogs/signIns", user(TestTenant.MEGAN_UPN), null), 403,
                "Authorization_RequestDenied");
    }
}
