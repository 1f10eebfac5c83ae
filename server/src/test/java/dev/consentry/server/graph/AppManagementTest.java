package dev.consentry.server.graph;

import static dev.consentry.server.testing.GraphReplies.json;
import static dev.consentry.server.testing.GraphReplies.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.applications.item.addpassword.AddPasswordPostRequestBody;
import com.microsoft.graph.models.AppRoleAssignment;
import com.microsoft.graph.models.Application;
import com.microsoft.graph.models.PasswordCredential;
import com.microsoft.graph.models.RequiredResourceAccess;
import com.microsoft.graph.models.ResourceAccess;
import com.microsoft.graph.models.ServicePrincipal;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph's app-management API through real clients: the Graph Java SDK registers an application, gives it a secret and
 * an application permission, and MSAL4J then signs in as that application; and every refusal of the same routes, each
 * with Graph's status and code and with nothing stored.
 *
 * <p>The server's clock runs seven minutes behind the machine's, so that a stored {@code createdDateTime} shows which
 * clock made it.
 */
class AppManagementTest {
    private static final Duration SKEW = Duration.ofMinutes(-7);
    private static final Clock CLOCK = Clock.offset(Clock.systemUTC(), SKEW);
    private static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, CLOCK);

    /**
     * An administration app holding Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All,
     * DelegatedPermissionGrant.ReadWrite.All and Directory.Read.All (which adding an owner needs besides the first).
     */
    static final AppId ADMIN = AppId.of("c0c0c0c0-1111-4222-8333-444444444444");
    static final ObjectId ADMIN_SP = ObjectId.of("c0c0c0c0-1111-4222-8333-000000000001");
    static final String ADMIN_SECRET = "admin~secret.value_345";
    static final UUID APPLICATION_READWRITE_ALL = UUID.fromString("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9");
    static final UUID APP_ROLE_ASSIGNMENT_READWRITE_ALL = UUID.fromString("06b708a9-e830-4db3-a914-8e69da51d44f");
    static final UUID DELEGATED_PERMISSION_GRANT_READWRITE_ALL = UUID.fromString("8e8e4742-1d95-4f68-9d56-6ee75648c72a");
    static final UUID DIRECTORY_READ_ALL = UUID.fromString("7ab1d382-f21e-4acd-a863-ba3e13f7da61");
    /** An administration app of the other tenant, holding Application.ReadWrite.All there. */
    static final AppId OTHER_ADMIN = AppId.of("c0c0c0c0-1111-4222-8333-666666666666");
    static final ObjectId OTHER_ADMIN_SP = ObjectId.of("c0c0c0c0-1111-4222-8333-000000000003");
    /** An app holding only Application.ReadWrite.OwnedBy, which changes only the apps its service principal owns. */
    static final AppId OWNER = AppId.of("c0c0c0c0-1111-4222-8333-555555555555");
    static final ObjectId OWNER_SP = ObjectId.of("c0c0c0c0-1111-4222-8333-000000000002");
    static final UUID APPLICATION_READWRITE_OWNEDBY = UUID.fromString("18a4783c-866b-4cc7-a460-3d5e5662c884");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void registerTheAdministrationApp() {
        SecretHasher fast = new SecretHasher(1_000);
        var secret = new dev.consentry.core.directory.PasswordCredential(UUID.randomUUID(), "admin", "adm", null,
                fast.hash(ADMIN_SECRET), null, null, null);
        STORE.applications().save(TestTenant.TENANT, new dev.consentry.core.directory.Application(ObjectId.random(), ADMIN,
                "Fabrikam Admin", "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(), List.of(secret), List.of(),
                List.of(), null, null, null, null, null));
        STORE.servicePrincipals().save(TestTenant.TENANT, new dev.consentry.core.directory.ServicePrincipal(ADMIN_SP, ADMIN,
                "Fabrikam Admin", true, "Application", TestTenant.TENANT, false, List.of(ADMIN.toString()), List.of(),
                List.of(), null));
        STORE.applications().save(TestTenant.TENANT, new dev.consentry.core.directory.Application(ObjectId.random(), OWNER,
                "Fabrikam Owner", "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(), List.of(new dev.consentry.core
                        .directory.PasswordCredential(UUID.randomUUID(), "owner", "adm", null, fast.hash(ADMIN_SECRET), null,
                        null, null)), List.of(), List.of(), null, null, null, null, null));
        STORE.servicePrincipals().save(TestTenant.TENANT, new dev.consentry.core.directory.ServicePrincipal(OWNER_SP, OWNER,
                "Fabrikam Owner", true, "Application", TestTenant.TENANT, false, List.of(OWNER.toString()), List.of(),
                List.of(), null));
        STORE.appRoleAssignments().save(TestTenant.TENANT, new dev.consentry.core.directory.AppRoleAssignment(null,
                OWNER_SP, "ServicePrincipal", TestTenant.GRAPH_SP, APPLICATION_READWRITE_OWNEDBY, Instant.now(), null));
        ObjectId otherGraph = STORE.servicePrincipals().findByAppId(TestTenant.OTHER_TENANT, WellKnown.GRAPH_APP_ID)
                .map(sp -> sp.id()).orElseGet(() -> {
                    ObjectId id = ObjectId.random();
                    STORE.servicePrincipals().save(TestTenant.OTHER_TENANT, new dev.consentry.core.directory.ServicePrincipal(id,
                            WellKnown.GRAPH_APP_ID, "Microsoft Graph", true, "Application", null, false,
                            List.of(WellKnown.GRAPH_APP_ID.toString(), "https://graph.microsoft.com"), List.of(), List.of(), null));
                    return id;
                });
        STORE.applications().save(TestTenant.OTHER_TENANT, new dev.consentry.core.directory.Application(ObjectId.random(),
                OTHER_ADMIN, "Other Admin", "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(), List.of(new dev.consentry
                        .core.directory.PasswordCredential(UUID.randomUUID(), "admin", "adm", null, fast.hash(ADMIN_SECRET), null,
                        null, null)), List.of(), List.of(), null, null, null, null, null));
        STORE.servicePrincipals().save(TestTenant.OTHER_TENANT, new dev.consentry.core.directory.ServicePrincipal(OTHER_ADMIN_SP,
                OTHER_ADMIN, "Other Admin", true, "Application", TestTenant.OTHER_TENANT, false, List.of(OTHER_ADMIN.toString()),
                List.of(), List.of(), null));
        STORE.appRoleAssignments().save(TestTenant.OTHER_TENANT, new dev.consentry.core.directory.AppRoleAssignment(null,
                OTHER_ADMIN_SP, "ServicePrincipal", otherGraph, APPLICATION_READWRITE_ALL, Instant.now(), null));
        for (UUID role : List.of(APPLICATION_READWRITE_ALL, APP_ROLE_ASSIGNMENT_READWRITE_ALL,
                DELEGATED_PERMISSION_GRANT_READWRITE_ALL, DIRECTORY_READ_ALL)) {
            STORE.appRoleAssignments().save(TestTenant.TENANT, new dev.consentry.core.directory.AppRoleAssignment(null,
                    ADMIN_SP, "ServicePrincipal", TestTenant.GRAPH_SP, role, Instant.now(), null));
        }
    }

    static String token(String clientId, String secret) {
        return token(TestTenant.TENANT.toString(), clientId, secret);
    }

    static String token(String tenant, String clientId, String secret) {
        return server.appToken(tenant, clientId, secret);
    }

    static String adminToken() {
        return token(ADMIN.toString(), ADMIN_SECRET);
    }

    static List<String> roles(String token) throws Exception {
        List<String> roles = SignedJWT.parse(token).getJWTClaimsSet().getStringListClaim("roles");
        return roles == null ? List.of() : roles;
    }

    static HttpResponse<String> call(String method, String path, String token, String body) {
        return server.graph(method, path, token, body);
    }

    /** Registers an application with a service principal through Graph, answering {@code [objectId, appId, spId]}. */
    static String[] registered(RunningConsentry on, String token, String name) throws Exception {
        HttpResponse<String> app = on.graph("POST", "/v1.0/applications", token, "{\"displayName\":\"" + name + "\"}");
        assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
        String appId = json(app).path("appId").asText();
        HttpResponse<String> sp = on.graph("POST", "/v1.0/servicePrincipals", token, "{\"appId\":\"" + appId + "\"}");
        assertThat(sp.statusCode()).as(sp.body()).isEqualTo(201);
        return new String[] {json(app).path("id").asText(), appId, json(sp).path("id").asText()};
    }

    @Test
    void theSdkRegistersAnAppThatMsalThenSignsInAsWithTheGrantedRoleUntilItIsRemoved() throws Exception {
        GraphServiceClient graph = GraphSdk.client(server, AppManagementTest::adminToken);
        Application draft = new Application();
        draft.setDisplayName("Nightly export");
        RequiredResourceAccess graphAccess = new RequiredResourceAccess();
        graphAccess.setResourceAppId(WellKnown.GRAPH_APP_ID.toString());
        ResourceAccess userReadAll = new ResourceAccess();
        userReadAll.setId(TestTenant.USER_READ_ALL);
        userReadAll.setType("Role");
        graphAccess.setResourceAccess(List.of(userReadAll));
        draft.setRequiredResourceAccess(List.of(graphAccess));
        Application app = graph.applications().post(draft);
        assertThat(app.getId()).isNotBlank();
        assertThat(app.getAppId()).isNotBlank().isNotEqualTo(app.getId());
        assertThat(app.getSignInAudience()).isEqualTo("AzureADMyOrg");
        assertThat(app.getRequiredResourceAccess()).singleElement().satisfies(r -> {
            assertThat(r.getResourceAppId()).isEqualTo(WellKnown.GRAPH_APP_ID.toString());
            assertThat(r.getResourceAccess()).singleElement().satisfies(a -> assertThat(a.getType()).isEqualTo("Role"));
        });

        AddPasswordPostRequestBody addPassword = new AddPasswordPostRequestBody();
        PasswordCredential wanted = new PasswordCredential();
        wanted.setDisplayName("ci");
        addPassword.setPasswordCredential(wanted);
        PasswordCredential secret = graph.applications().byApplicationId(app.getId()).addPassword().post(addPassword);
        assertThat(secret.getSecretText()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(secret.getHint()).isEqualTo(secret.getSecretText().substring(0, 3));
        assertThat(secret.getKeyId()).isNotNull();
        assertThat(secret.getDisplayName()).isEqualTo("ci");
        assertThat(Duration.between(secret.getStartDateTime(), secret.getEndDateTime()).toDays())
                .as("two years by default").isBetween(730L, 731L);
        assertThat(secret.getStartDateTime().toInstant()).as("the server's clock")
                .isBetween(CLOCK.instant().minusSeconds(60), CLOCK.instant().plusSeconds(1));
        Application read = graph.applications().byApplicationId(app.getId()).get();
        assertThat(read.getPasswordCredentials()).singleElement().satisfies(c -> {
            assertThat(c.getSecretText()).as("shown once, never again").isNull();
            assertThat(c.getHint()).isEqualTo(secret.getHint());
        });
        assertThat(STORE.applications().findByAppId(TestTenant.TENANT, AppId.of(app.getAppId())).orElseThrow()
                .passwordCredentials()).singleElement().satisfies(c -> {
                    assertThat(c.secretHash()).as("stored hashed").doesNotContain(secret.getSecretText());
                    assertThat(SecretHasher.verify(secret.getSecretText(), c.secretHash())).isTrue();
                });

        ServicePrincipal spDraft = new ServicePrincipal();
        spDraft.setAppId(app.getAppId());
        ServicePrincipal sp = graph.servicePrincipals().post(spDraft);
        assertThat(sp.getAppOwnerOrganizationId()).isEqualTo(UUID.fromString(TestTenant.TENANT.toString()));
        assertThat(sp.getDisplayName()).isEqualTo("Nightly export");

        String before = token(app.getAppId(), secret.getSecretText());
        assertThat(roles(before)).as("nothing granted yet").isEmpty();
        GraphSdk.refused(() -> GraphSdk.client(server, () -> before).users().get(), 403, "Authorization_RequestDenied");

        AppRoleAssignment grant = new AppRoleAssignment();
        grant.setPrincipalId(UUID.fromString(sp.getId()));
        grant.setResourceId(UUID.fromString(TestTenant.GRAPH_SP.toString()));
        grant.setAppRoleId(TestTenant.USER_READ_ALL);
        AppRoleAssignment assigned = graph.servicePrincipals().byServicePrincipalId(TestTenant.GRAPH_SP.toString())
                .appRoleAssignedTo().post(grant);
        assertThat(assigned.getId()).isNotBlank();
        assertThat(assigned.getPrincipalType()).isEqualTo("ServicePrincipal");
        assertThat(assigned.getResourceDisplayName()).isEqualTo("Microsoft Graph");
        assertThat(assigned.getCreatedDateTime().toInstant()).as("the server's clock")
                .isBetween(CLOCK.instant().minusSeconds(60), CLOCK.instant().plusSeconds(1));

        var stale = GraphSdk.refused(() -> GraphSdk.client(server, () -> before).users().get(), 403,
                "Authorization_RequestDenied");
        assertThat(json(server.get("/consentry/diagnostics/" + GraphSdk.requestId(stale))).path("cause").asText())
                .as("the grant is newer than the token (createdDateTime against iat)").isEqualTo("token-predates-consent");
        String withRole = token(app.getAppId(), secret.getSecretText());
        assertThat(roles(withRole)).containsExactly("User.Read.All");
        var users = GraphSdk.client(server, () -> withRole).users().get();
        assertThat(users.getValue()).extracting(com.microsoft.graph.models.User::getUserPrincipalName)
                .contains(TestTenant.ADELE_UPN);
        assertThat(graph.servicePrincipals().byServicePrincipalId(sp.getId()).appRoleAssignments().get().getValue())
                .extracting(AppRoleAssignment::getId).containsExactly(assigned.getId());

        graph.servicePrincipals().byServicePrincipalId(TestTenant.GRAPH_SP.toString()).appRoleAssignedTo()
                .byAppRoleAssignmentId(assigned.getId()).delete();
        String after = token(app.getAppId(), secret.getSecretText());
        assertThat(roles(after)).isEmpty();
        GraphSdk.refused(() -> GraphSdk.client(server, () -> after).users().get(), 403, "Authorization_RequestDenied");

        // Each write is in the tenant's audit log, initiated by the administration app, at the server's clock.
        var log = STORE.audit().recent(TestTenant.TENANT, 200).stream()
                .filter(e -> e.targetResources().stream().anyMatch(t -> sp.getId().equals(t.id())
                        || app.getId().equals(t.id())))
                .toList();
        assertThat(log).extracting(dev.consentry.core.audit.DirectoryAudit::activityDisplayName).contains(
                "Add application", "Update application – Certificates and secrets management", "Add service principal",
                "Add app role assignment to service principal", "Remove app role assignment from service principal");
        assertThat(log).allSatisfy(e -> {
            assertThat(e.initiatedBy().kind()).isEqualTo("app");
            assertThat(e.initiatedBy().id()).isEqualTo(ADMIN.toString());
            assertThat(e.activityDateTime()).isBetween(CLOCK.instant().minusSeconds(120), CLOCK.instant().plusSeconds(1));
        });
    }

    @Test
    void applicationsAreCreatedReadByAppIdChangedAndDeletedWithTheirServicePrincipal() throws Exception {
        String admin = adminToken();
        HttpResponse<String> created = call("POST", "/v1.0/applications", admin, """
                {"displayName": "Orders API", "signInAudience": "AzureADMultipleOrgs", "identifierUris": ["api://orders"],
                 "web": {"redirectUris": ["https://orders.example/signin"],
                   "implicitGrantSettings": {"enableIdTokenIssuance": true}}, "spa": {"redirectUris": ["https://spa.example/"]},
                 "publicClient": {"redirectUris": ["http://localhost"]}, "isFallbackPublicClient": true,
                 "appRoles": [{"id": "aaaaaaaa-0000-4000-8000-000000000001", "value": "Orders.Read.All",
                   "displayName": "Read orders", "description": "Read orders", "allowedMemberTypes": ["Application"],
                   "isEnabled": true}],
                 "api": {"requestedAccessTokenVersion": 2, "oauth2PermissionScopes": [{"id": "aaaaaaaa-0000-4000-8000-000000000002",
                   "value": "Orders.Read", "type": "User", "adminConsentDisplayName": "Read orders",
                   "userConsentDisplayName": "Read orders", "isEnabled": true}]}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode app = json(created);
        assertThat(created.headers().firstValue("Location")).hasValue(server.baseUrl() + "/v1.0/applications/" + app.path("id").asText());
        String appId = app.path("appId").asText();
        HttpResponse<String> byAppId = call("GET", "/v1.0/applications(appId='" + appId + "')", admin, null);
        assertThat(byAppId.statusCode()).as(byAppId.body()).isEqualTo(200);
        JsonNode read = json(byAppId);
        assertThat(read.path("signInAudience").asText()).isEqualTo("AzureADMultipleOrgs");
        assertThat(read.path("identifierUris").get(0).asText()).isEqualTo("api://orders");
        assertThat(read.path("web").path("redirectUris").get(0).asText()).isEqualTo("https://orders.example/signin");
        assertThat(read.path("spa").path("redirectUris").get(0).asText()).isEqualTo("https://spa.example/");
        assertThat(read.path("publicClient").path("redirectUris").get(0).asText()).isEqualTo("http://localhost");
        assertThat(read.path("isFallbackPublicClient").asBoolean()).isTrue();
        assertThat(read.path("appRoles").get(0).path("value").asText()).isEqualTo("Orders.Read.All");
        assertThat(read.path("api").path("oauth2PermissionScopes").get(0).path("value").asText()).isEqualTo("Orders.Read");
        assertThat(read.path("api").path("requestedAccessTokenVersion").asInt()).isEqualTo(2);
        assertThat(STORE.applications().findByAppId(TestTenant.TENANT, AppId.of(appId)).orElseThrow().web()
                .additionalProperties()).as("kept as the tenant file keeps it")
                .containsEntry("implicitGrantSettings", java.util.Map.of("enableIdTokenIssuance", true));

        HttpResponse<String> patched = call("PATCH", "/v1.0/applications/" + app.path("id").asText(), admin,
                "{\"displayName\": \"Orders API v2\", \"web\": {\"redirectUris\": []}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        JsonNode changed = json(call("GET", "/v1.0/applications/" + app.path("id").asText(), admin, null));
        assertThat(changed.path("displayName").asText()).isEqualTo("Orders API v2");
        assertThat(changed.path("web").path("redirectUris")).isEmpty();
        assertThat(changed.path("identifierUris").get(0).asText()).as("untouched").isEqualTo("api://orders");

        HttpResponse<String> sp = call("POST", "/v1.0/servicePrincipals", admin, "{\"appId\":\"" + appId + "\"}");
        assertThat(sp.statusCode()).as(sp.body()).isEqualTo(201);
        JsonNode principal = json(sp);
        assertThat(principal.path("appRoles").get(0).path("value").asText()).as("copied from the app").isEqualTo("Orders.Read.All");
        assertThat(principal.path("servicePrincipalNames").toString()).contains(appId, "api://orders");

        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"Copy\", \"identifierUris\": [\"API://Orders\"]}"),
                400, "Request_BadRequest");
        String[] other = registered(server, admin, "Other API");
        refused(call("PATCH", "/v1.0/applications/" + other[0], admin, "{\"identifierUris\": [\"api://orders\"]}"), 400,
                "Request_BadRequest");
        HttpResponse<String> moreRoles = call("PATCH", "/v1.0/applications/" + app.path("id").asText(), admin, """
                {"appRoles": [{"id": "aaaaaaaa-0000-4000-8000-000000000003", "value": "Orders.ReadWrite.All",
                  "displayName": "Write orders", "description": "Write orders", "allowedMemberTypes": ["Application"],
                  "isEnabled": true}], "identifierUris": ["api://orders", "https://orders.example"]}""");
        assertThat(moreRoles.statusCode()).as(moreRoles.body()).isEqualTo(204);
        JsonNode mirrored = json(call("GET", "/v1.0/servicePrincipals/" + principal.path("id").asText(), admin, null));
        assertThat(mirrored.path("appRoles").findValuesAsText("value")).as("the home principal follows its app")
                .containsExactly("Orders.ReadWrite.All");
        assertThat(mirrored.path("servicePrincipalNames").toString()).contains("https://orders.example");
        assertThat(mirrored.path("displayName").asText()).isEqualTo("Orders API v2");
        HttpResponse<String> assignNew = call("POST", "/v1.0/servicePrincipals/" + principal.path("id").asText()
                + "/appRoleAssignedTo", admin, body(other[2], principal.path("id").asText(),
                UUID.fromString("aaaaaaaa-0000-4000-8000-000000000003")));
        assertThat(assignNew.statusCode()).as("the new role is assignable at once").isEqualTo(201);

        assertThat(call("DELETE", "/v1.0/applications(appId='" + appId + "')", admin, null).statusCode()).isEqualTo(204);
        refused(call("GET", "/v1.0/applications/" + app.path("id").asText(), admin, null), 404, "Request_ResourceNotFound");
        refused(call("GET", "/v1.0/servicePrincipals/" + principal.path("id").asText(), admin, null), 404,
                "Request_ResourceNotFound");
    }

    @Test
    void whatGraphWroteExportsAsATenantFileThatImportsAgain() throws Exception {
        String admin = adminToken();
        JsonNode app = json(call("POST", "/v1.0/applications", admin, """
                {"displayName": "Round trip", "identifierUris": ["api://round-trip"],
                 "appRoles": [{"id": "bbbbbbbb-0000-4000-8000-000000000001", "value": "Trip.Read.All", "displayName": "Read",
                   "description": "Read", "allowedMemberTypes": ["Application"], "isEnabled": true}],
                 "requiredResourceAccess": [{"resourceAppId": "00000003-0000-0000-c000-000000000000",
                   "resourceAccess": [{"id": "df021288-bdef-4463-88db-98f22de89214", "type": "Role"}]}]}"""));
        String secret = secretOf(admin, app.path("id").asText());
        JsonNode sp = json(call("POST", "/v1.0/servicePrincipals", admin, "{\"appId\": \"" + app.path("appId").asText() + "\"}"));
        assertThat(call("POST", "/v1.0/applications/" + app.path("id").asText() + "/owners/$ref", admin, "{\"@odata.id\": "
                + "\"https://graph.microsoft.com/v1.0/directoryObjects/" + TestTenant.MEGAN + "\"}").statusCode()).isEqualTo(204);
        assertThat(call("POST", "/v1.0/servicePrincipals/" + TestTenant.GRAPH_SP + "/appRoleAssignedTo", admin,
                body(sp.path("id").asText(), TestTenant.GRAPH_SP.toString(), TestTenant.USER_READ_ALL)).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/v1.0/oauth2PermissionGrants", admin, grantBody(sp.path("id").asText(), "AllPrincipals", null,
                TestTenant.GRAPH_SP.toString(), "User.Read")).statusCode()).isEqualTo(201);

        byte[] file = dev.consentry.server.admin.StoreAdministration.onStore(STORE, CLOCK)
                .exportTenants(List.of(TestTenant.TENANT.toString()));
        assertThat(new String(file, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(secret);
        try (Store copy = new InMemoryStore()) {
            assertThat(dev.consentry.server.admin.StoreAdministration.onStore(copy, CLOCK).importTenants(file, "export"))
                    .isEqualTo(1);
            var imported = copy.applications().findByAppId(TestTenant.TENANT, AppId.of(app.path("appId").asText())).orElseThrow();
            assertThat(imported.passwordCredentials()).singleElement()
                    .satisfies(c -> assertThat(SecretHasher.verify(secret, c.secretHash())).isTrue());
            assertThat(imported.owners()).containsExactly(TestTenant.MEGAN);
            assertThat(copy.appRoleAssignments().listByPrincipal(TestTenant.TENANT, ObjectId.of(sp.path("id").asText())))
                    .singleElement().satisfies(a -> assertThat(a.appRoleId()).isEqualTo(TestTenant.USER_READ_ALL));
            assertThat(copy.permissionGrants().listByClient(TestTenant.TENANT, ObjectId.of(sp.path("id").asText())))
                    .singleElement().satisfies(g -> assertThat(g.scope()).isEqualTo("User.Read"));
        }
    }

    @Test
    void servicePrincipalsAreChangedAndDeleted() throws Exception {
        String admin = adminToken();
        String[] ids = registered(server, admin, "Principal changes");
        HttpResponse<String> patched = call("PATCH", "/v1.0/servicePrincipals/" + ids[2], admin,
                "{\"appRoleAssignmentRequired\": true, \"accountEnabled\": false}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        JsonNode read = json(call("GET", "/v1.0/servicePrincipals(appId='" + ids[1] + "')", admin, null));
        assertThat(read.path("appRoleAssignmentRequired").asBoolean()).isTrue();
        assertThat(read.path("accountEnabled").asBoolean()).isFalse();
        refused(call("PATCH", "/v1.0/servicePrincipals/" + ids[2], admin, "{\"accountEnabled\": \"no\"}"), 400,
                "Request_BadRequest");
        refused(call("PATCH", "/v1.0/servicePrincipals/" + ids[2], admin, "{\"homepage\": \"x\"}"), 400, "BadRequest");
        assertThat(STORE.servicePrincipals().find(TestTenant.TENANT, ObjectId.of(ids[2])).orElseThrow().accountEnabled())
                .as("a refused PATCH changes nothing").isFalse();

        assertThat(call("DELETE", "/v1.0/servicePrincipals/" + ids[2], admin, null).statusCode()).isEqualTo(204);
        refused(call("GET", "/v1.0/servicePrincipals/" + ids[2], admin, null), 404, "Request_ResourceNotFound");
        assertThat(call("GET", "/v1.0/applications/" + ids[0], admin, null).statusCode()).as("the app stays").isEqualTo(200);
    }

    @Test
    void badApplicationBodiesAndUnknownIdsAreRefusedAndStoreNothing() throws Exception {
        String admin = adminToken();
        int apps = STORE.applications().list(TestTenant.TENANT).size();
        refused(call("POST", "/v1.0/applications", admin, "not json"), 400, "BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "[]"), 400, "BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "{\"signInAudience\": \"AzureADMyOrg\"}"), 400, "Request_BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"  \"}"), 400, "Request_BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"x\", \"signInAudience\": \"Everyone\"}"), 400,
                "Request_BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"x\", \"requiredResourceAccess\": "
                + "[{\"resourceAppId\": \"00000003-0000-0000-c000-000000000000\", \"resourceAccess\": [{\"id\": \"nope\", "
                + "\"type\": \"Role\"}]}]}"), 400, "Request_BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"x\", \"web\": {\"redirectUris\": \"https://a\"}}"),
                400, "Request_BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"x\", \"appRoles\": [{\"value\": \"No.Id\"}]}"),
                400, "Request_BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"x\", \"api\": {\"requestedAccessTokenVersion\": 3}}"),
                400, "Request_BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"x\", \"isFallbackPublicClient\": \"yes\"}"),
                400, "Request_BadRequest");
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"x\", \"colour\": \"blue\"}"), 400, "Request_BadRequest");
        assertThat(STORE.applications().list(TestTenant.TENANT)).hasSize(apps);

        String missing = UUID.randomUUID().toString();
        for (String method : List.of("GET", "PATCH", "DELETE")) {
            JsonNode body = refused(call(method, "/v1.0/applications/" + missing, admin, method.equals("PATCH") ? "{}" : null),
                    404, "Request_ResourceNotFound");
            assertThat(body.path("error").path("message").asText()).contains(missing);
        }
        refused(call("GET", "/v1.0/applications(appId='" + missing + "')", admin, null), 404, "Request_ResourceNotFound");
        refused(call("POST", "/v1.0/applications/" + missing + "/addPassword", admin, "{}"), 404, "Request_ResourceNotFound");
        refused(call("POST", "/v1.0/applications/" + missing + "/removePassword", admin, "{\"keyId\": \"" + missing + "\"}"),
                404, "Request_ResourceNotFound");
        refused(call("GET", "/v1.0/applications/not-a-guid", admin, null), 404, "Request_ResourceNotFound");

        String[] ids = registered(server, admin, "Refusals");
        refused(call("PATCH", "/v1.0/applications/" + ids[0], admin, "{\"displayName\": 7}"), 400, "Request_BadRequest");
        refused(call("PATCH", "/v1.0/applications/" + ids[0], admin, "{\"displayName\": \"fine\", \"identifierUris\": [1]}"),
                400, "Request_BadRequest");
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(ids[0])).orElseThrow().displayName())
                .as("a refused PATCH changes nothing").isEqualTo("Refusals");
    }

    @Test
    void redirectUrisEntraWouldNotRegisterAreRefusedNamingThePlatform() throws Exception {
        String admin = adminToken();
        String[] ids = registered(server, admin, "Redirects");
        for (String[] refusal : new String[][] {{"web", "javascript:alert(document.cookie)"}, {"spa", "data:text/html,x"},
            {"publicClient", "vbscript:x"}, {"web", "http://orders.example/signin"}, {"spa", "myapp://callback"},
            {"web", "https://orders.example/#/signin"}}) {
            JsonNode body = refused(call("PATCH", "/v1.0/applications/" + ids[0], admin,
                    "{\"" + refusal[0] + "\": {\"redirectUris\": [\"https://fine.example/\", \"" + refusal[1] + "\"]}}"),
                    400, "Request_BadRequest");
            assertThat(body.path("error").path("message").asText()).as(refusal[1])
                    .isEqualTo("Invalid value specified for property '" + refusal[0] + "' of resource 'Application'.");
        }
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"x\", \"web\": {\"redirectUris\": "
                + "[\"javascript:alert(1)\"]}}"), 400, "Request_BadRequest");
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(ids[0])).orElseThrow().web().redirectUris())
                .as("nothing refused was stored").doesNotContain("https://fine.example/");

        // What Entra accepts still goes through: a desktop app's own scheme and a loopback web URI.
        JsonNode fine = JSON.readTree(call("PATCH", "/v1.0/applications/" + ids[0], admin, "{\"publicClient\": {\"redirectUris\": "
                + "[\"msal" + ids[1] + "://auth\"]}, \"web\": {\"redirectUris\": [\"http://localhost:5000/signin\"]}}").body());
        assertThat(fine.has("error")).as(fine.toString()).isFalse();
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(ids[0])).orElseThrow().publicClient().redirectUris())
                .containsExactly("msal" + ids[1] + "://auth");
    }

    @Test
    void secretsAreAddedOnceAndRemovedByKeyId() throws Exception {
        String admin = adminToken();
        String[] ids = registered(server, admin, "Secrets");
        String path = "/v1.0/applications/" + ids[0];
        refused(call("POST", path + "/addPassword", admin, "[1]"), 400, "BadRequest");
        refused(call("POST", path + "/addPassword", admin, "{\"passwordCredential\": \"x\"}"), 400, "Request_BadRequest");
        refused(call("POST", path + "/addPassword", admin, "{\"passwordCredential\": {\"endDateTime\": \"tomorrow\"}}"), 400,
                "Request_BadRequest");
        refused(call("POST", path + "/addPassword", admin, "{\"passwordCredential\": {\"startDateTime\": "
                + "\"2030-01-02T00:00:00Z\", \"endDateTime\": \"2030-01-01T00:00:00Z\"}}"), 400, "Request_BadRequest");
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(ids[0])).orElseThrow().passwordCredentials()).isEmpty();

        HttpResponse<String> added = call("POST", "/v1.0/applications(appId='" + ids[1] + "')/addPassword", admin,
                "{\"passwordCredential\": {\"endDateTime\": \"2099-01-01T00:00:00Z\"}}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        JsonNode secret = json(added);
        assertThat(secret.path("endDateTime").asText()).isEqualTo("2099-01-01T00:00:00Z");
        String text = secret.path("secretText").asText();
        assertThat(token(ids[1], text)).isNotBlank();

        refused(call("POST", path + "/removePassword", admin, "{}"), 400, "Request_BadRequest");
        refused(call("POST", path + "/removePassword", admin, "nope"), 400, "BadRequest");
        refused(call("POST", path + "/removePassword", admin, "{\"keyId\": \"" + UUID.randomUUID() + "\"}"), 400,
                "Request_BadRequest");
        HttpResponse<String> removed = call("POST", path + "/removePassword", admin,
                "{\"keyId\": \"" + secret.path("keyId").asText() + "\"}");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(ids[0])).orElseThrow().passwordCredentials()).isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> token(ids[1], text)))
                .as("the removed secret no longer signs the app in").isNotNull();
    }

    @Test
    void aMultiTenantAppGetsAServicePrincipalInAnotherTenantNamingItsHome() throws Exception {
        String admin = adminToken();
        String other = token(TestTenant.OTHER_TENANT.toString(), OTHER_ADMIN.toString(), ADMIN_SECRET);
        JsonNode shared = json(call("POST", "/v1.0/applications", admin,
                "{\"displayName\": \"Shared\", \"signInAudience\": \"AzureADMultipleOrgs\"}"));
        JsonNode local = json(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"Fabrikam only\"}"));
        HttpResponse<String> sp = call("POST", "/v1.0/servicePrincipals", other, "{\"appId\": \"" + shared.path("appId").asText() + "\"}");
        assertThat(sp.statusCode()).as(sp.body()).isEqualTo(201);
        assertThat(json(sp).path("appOwnerOrganizationId").asText()).isEqualTo(TestTenant.TENANT.toString());
        assertThat(STORE.servicePrincipals().findByAppId(TestTenant.OTHER_TENANT, AppId.of(shared.path("appId").asText())))
                .isPresent();
        refused(call("POST", "/v1.0/servicePrincipals", other, "{\"appId\": \"" + local.path("appId").asText() + "\"}"), 400,
                "Request_BadRequest"); // single-tenant: only its home tenant may instantiate it
        refused(call("GET", "/v1.0/applications/" + shared.path("id").asText(), other, null), 404,
                "Request_ResourceNotFound"); // the registration lives in its home tenant only
    }

    @Test
    void servicePrincipalsNeedAnApplicationAndOnePerApp() throws Exception {
        String admin = adminToken();
        int principals = STORE.servicePrincipals().list(TestTenant.TENANT).size();
        refused(call("POST", "/v1.0/servicePrincipals", admin, "{}"), 400, "Request_BadRequest");
        refused(call("POST", "/v1.0/servicePrincipals", admin, "x"), 400, "BadRequest");
        JsonNode unknown = refused(call("POST", "/v1.0/servicePrincipals", admin, "{\"appId\": \"" + UUID.randomUUID() + "\"}"),
                400, "Request_BadRequest");
        assertThat(unknown.path("error").path("message").asText()).contains("does not reference a valid application object");
        refused(call("POST", "/v1.0/servicePrincipals", admin, "{\"appId\": \"" + TestTenant.FOREIGN_APP + "\"}"), 400,
                "Request_BadRequest"); // a single-tenant app of another tenant
        refused(call("POST", "/v1.0/servicePrincipals", admin, "{\"appId\": \"" + TestTenant.DAEMON + "\"}"), 409,
                "Request_MultipleObjectsWithSameKeyValue");
        assertThat(STORE.servicePrincipals().list(TestTenant.TENANT)).hasSize(principals);
        refused(call("DELETE", "/v1.0/servicePrincipals/" + UUID.randomUUID(), admin, null), 404, "Request_ResourceNotFound");
        refused(call("PATCH", "/v1.0/servicePrincipals/" + UUID.randomUUID(), admin, "{}"), 404, "Request_ResourceNotFound");
    }

    @Test
    void appRoleAssignmentsRefuseUndefinedRolesMissingPrincipalsAndDuplicates() throws Exception {
        String admin = adminToken();
        String[] ids = registered(server, admin, "Assignments");
        String graphSp = "/v1.0/servicePrincipals/" + TestTenant.GRAPH_SP + "/appRoleAssignedTo";
        int assignments = STORE.appRoleAssignments().list(TestTenant.TENANT).size();
        JsonNode undefined = refused(call("POST", graphSp, admin, body(ids[2], TestTenant.GRAPH_SP.toString(), UUID.randomUUID())),
                400, "Request_BadRequest");
        assertThat(undefined.path("error").path("message").asText())
                .isEqualTo("Permission being assigned was not found on application '" + WellKnown.GRAPH_APP_ID + "'.");
        refused(call("POST", graphSp, admin, body(UUID.randomUUID().toString(), TestTenant.GRAPH_SP.toString(),
                TestTenant.USER_READ_ALL)), 404, "Request_ResourceNotFound");
        refused(call("POST", graphSp, admin, body(ids[2], TestTenant.API_SP.toString(), TestTenant.USER_READ_ALL)), 400,
                "Request_BadRequest"); // the body's resource is not the path's
        refused(call("POST", graphSp, admin, "{\"principalId\": \"" + ids[2] + "\"}"), 400, "Request_BadRequest");
        refused(call("POST", graphSp, admin, "[]"), 400, "BadRequest");
        refused(call("POST", "/v1.0/servicePrincipals/" + UUID.randomUUID() + "/appRoleAssignedTo", admin,
                body(ids[2], TestTenant.GRAPH_SP.toString(), TestTenant.USER_READ_ALL)), 404, "Request_ResourceNotFound");
        assertThat(STORE.appRoleAssignments().list(TestTenant.TENANT)).hasSize(assignments);

        String apiSp = "/v1.0/servicePrincipals/" + TestTenant.API_SP + "/appRoleAssignedTo";
        HttpResponse<String> orders = call("POST", apiSp, admin, body(ids[2], TestTenant.API_SP.toString(),
                TestTenant.ORDERS_READ_ALL));
        assertThat(orders.statusCode()).as("a role the custom API's principal defines").isEqualTo(201);
        refused(call("POST", apiSp, admin, body(ids[2], TestTenant.API_SP.toString(), TestTenant.ORDERS_READ_ALL)), 400,
                "Request_BadRequest");
        JsonNode listed = json(call("GET", apiSp, admin, null));
        assertThat(listed.path("value").findValuesAsText("principalId")).contains(ids[2], TestTenant.DAEMON_SP.toString());
        refused(call("DELETE", apiSp + "/unknown-assignment", admin, null), 404, "Request_ResourceNotFound");
        refused(call("DELETE", graphSp + "/" + json(orders).path("id").asText(), admin, null), 404,
                "Request_ResourceNotFound"); // an assignment of another resource
        assertThat(call("DELETE", apiSp + "/" + json(orders).path("id").asText(), admin, null).statusCode()).isEqualTo(204);
        refused(call("GET", "/v1.0/servicePrincipals/" + UUID.randomUUID() + "/appRoleAssignments", admin, null), 404,
                "Request_ResourceNotFound");
    }

    @Test
    void assignmentsAreAlsoMadeAndRemovedFromThePrincipalsSide() throws Exception {
        String admin = adminToken();
        String[] ids = registered(server, admin, "Principal side");
        String own = "/v1.0/servicePrincipals/" + ids[2] + "/appRoleAssignments";
        refused(call("POST", own, admin, body(TestTenant.DAEMON_SP.toString(), TestTenant.API_SP.toString(),
                TestTenant.ORDERS_READ_ALL)), 400, "Request_BadRequest"); // the body's principal is not the path's
        refused(call("POST", own, admin, body(ids[2], UUID.randomUUID().toString(), TestTenant.ORDERS_READ_ALL)), 404,
                "Request_ResourceNotFound");
        HttpResponse<String> made = call("POST", own, admin, body(ids[2], TestTenant.API_SP.toString(), TestTenant.ORDERS_READ_ALL));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(roles(token(ids[1], secretOf(admin, ids[0])))).as("on the API, not on Graph").isEmpty();
        refused(call("DELETE", own + "/" + UUID.randomUUID(), admin, null), 404, "Request_ResourceNotFound");
        assertThat(call("DELETE", own + "/" + json(made).path("id").asText(), admin, null).statusCode()).isEqualTo(204);
        assertThat(STORE.appRoleAssignments().listByPrincipal(TestTenant.TENANT, ObjectId.of(ids[2]))).isEmpty();

        String megan = "/v1.0/users/" + TestTenant.MEGAN_UPN + "/appRoleAssignments";
        JsonNode appOnly = refused(call("POST", megan, admin, body(TestTenant.MEGAN.toString(), TestTenant.API_SP.toString(),
                TestTenant.ORDERS_READ_ALL)), 400, "Request_BadRequest");
        assertThat(appOnly.path("error").path("message").asText()).as("Orders.Read.All is for applications only")
                .startsWith("Permission being assigned was not found on application");
        HttpResponse<String> access = call("POST", megan, admin, body(TestTenant.MEGAN.toString(), ids[2],
                new UUID(0, 0)));
        assertThat(access.statusCode()).as(access.body()).isEqualTo(201);
        assertThat(json(access).path("principalType").asText()).isEqualTo("User");
        assertThat(json(call("GET", megan, admin, null)).path("value").findValuesAsText("id"))
                .containsExactly(json(access).path("id").asText());
        refused(call("GET", "/v1.0/users/" + UUID.randomUUID() + "/appRoleAssignments", admin, null), 404,
                "Request_ResourceNotFound");
        assertThat(call("DELETE", megan + "/" + json(access).path("id").asText(), admin, null).statusCode()).isEqualTo(204);
        assertThat(json(call("GET", megan, admin, null)).path("value")).isEmpty();
    }

    /** A new secret of the application with object id {@code objectId}, added through Graph. */
    static String secretOf(String admin, String objectId) throws Exception {
        HttpResponse<String> added = call("POST", "/v1.0/applications/" + objectId + "/addPassword", admin, "{}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        return json(added).path("secretText").asText();
    }

    static String body(String principalId, String resourceId, UUID appRoleId) {
        return "{\"principalId\": \"" + principalId + "\", \"resourceId\": \"" + resourceId + "\", \"appRoleId\": \""
                + appRoleId + "\"}";
    }

    @Test
    void delegatedGrantsAreCreatedFilteredChangedAndDeleted() throws Exception {
        String admin = adminToken();
        String[] ids = registered(server, admin, "Delegated");
        String grant = "{\"clientId\": \"" + ids[2] + "\", \"consentType\": \"Principal\", \"principalId\": \""
                + TestTenant.MEGAN + "\", \"resourceId\": \"" + TestTenant.GRAPH_SP + "\", \"scope\": \"User.Read  openid\"}";
        HttpResponse<String> created = call("POST", "/v1.0/oauth2PermissionGrants", admin, grant);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode g = json(created);
        assertThat(g.path("scope").asText()).isEqualTo("User.Read openid");
        String id = g.path("id").asText();
        OAuth2PermissionGrant stored = STORE.permissionGrants().find(TestTenant.TENANT, id).orElseThrow();
        assertThat(stored.createdDateTime()).as("the server's clock")
                .isBetween(CLOCK.instant().minusSeconds(60), CLOCK.instant().plusSeconds(1));
        refused(call("POST", "/v1.0/oauth2PermissionGrants", admin, grant), 409, "Request_MultipleObjectsWithSameKeyValue");

        JsonNode filtered = json(call("GET", "/v1.0/oauth2PermissionGrants?$filter=clientId%20eq%20'" + ids[2] + "'", admin, null));
        assertThat(filtered.path("value")).hasSize(1);
        assertThat(filtered.path("value").get(0).path("id").asText()).isEqualTo(id);
        assertThat(json(call("GET", "/v1.0/oauth2PermissionGrants", admin, null)).path("value").size()).isGreaterThan(1);
        assertThat(json(call("GET", "/v1.0/oauth2PermissionGrants/" + id, admin, null)).path("principalId").asText())
                .isEqualTo(TestTenant.MEGAN.toString());

        Instant first = Instant.parse("2020-01-01T00:00:00Z");
        STORE.permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant(id, stored.clientId(), stored.consentType(),
                stored.principalId(), stored.resourceId(), stored.scope(), first, null));
        HttpResponse<String> narrowed = call("PATCH", "/v1.0/oauth2PermissionGrants/" + id, admin, "{\"scope\": \"User.Read\"}");
        assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(204);
        assertThat(STORE.permissionGrants().find(TestTenant.TENANT, id).orElseThrow().createdDateTime())
                .as("nothing newly granted: a token issued before still reflects it").isEqualTo(first);
        HttpResponse<String> patched = call("PATCH", "/v1.0/oauth2PermissionGrants/" + id, admin, "{\"scope\": \"User.Read Mail.Read\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        assertThat(STORE.permissionGrants().find(TestTenant.TENANT, id).orElseThrow().scope()).isEqualTo("User.Read Mail.Read");
        assertThat(STORE.permissionGrants().find(TestTenant.TENANT, id).orElseThrow().createdDateTime())
                .as("Mail.Read is newly granted, at the server's clock")
                .isBetween(CLOCK.instant().minusSeconds(60), CLOCK.instant().plusSeconds(1));
        refused(call("PATCH", "/v1.0/oauth2PermissionGrants/" + id, admin, "{\"scope\": \"Not.A.Scope\"}"), 400, "Request_BadRequest");
        refused(call("PATCH", "/v1.0/oauth2PermissionGrants/" + id, admin, "{\"scope\": 3}"), 400, "Request_BadRequest");
        refused(call("PATCH", "/v1.0/oauth2PermissionGrants/" + id, admin, "{\"consentType\": \"AllPrincipals\"}"), 400, "BadRequest");
        assertThat(STORE.permissionGrants().find(TestTenant.TENANT, id).orElseThrow().scope()).isEqualTo("User.Read Mail.Read");

        assertThat(call("DELETE", "/v1.0/oauth2PermissionGrants/" + id, admin, null).statusCode()).isEqualTo(204);
        refused(call("GET", "/v1.0/oauth2PermissionGrants/" + id, admin, null), 404, "Request_ResourceNotFound");
        refused(call("PATCH", "/v1.0/oauth2PermissionGrants/" + id, admin, "{\"scope\": \"User.Read\"}"), 404,
                "Request_ResourceNotFound");
        refused(call("DELETE", "/v1.0/oauth2PermissionGrants/" + id, admin, null), 404, "Request_ResourceNotFound");
    }

    @Test
    void badGrantBodiesAreRefusedAndStoreNothing() throws Exception {
        String admin = adminToken();
        String[] ids = registered(server, admin, "Bad grants");
        int grants = STORE.permissionGrants().list(TestTenant.TENANT).size();
        String graph = TestTenant.GRAPH_SP.toString();
        String path = "/v1.0/oauth2PermissionGrants";
        refused(call("POST", path, admin, "nope"), 400, "BadRequest");
        refused(call("POST", path, admin, grantBody(ids[2], "Everyone", null, graph, "User.Read")), 400, "Request_BadRequest");
        refused(call("POST", path, admin, grantBody(ids[2], "Principal", null, graph, "User.Read")), 400, "Request_BadRequest");
        refused(call("POST", path, admin, grantBody(ids[2], "AllPrincipals", TestTenant.ADELE.toString(), graph, "User.Read")),
                400, "Request_BadRequest");
        refused(call("POST", path, admin, grantBody("x", "AllPrincipals", null, graph, "User.Read")), 400, "Request_BadRequest");
        refused(call("POST", path, admin, grantBody(ids[2], "AllPrincipals", null, graph, "Not.A.Scope")), 400,
                "Request_BadRequest");
        refused(call("POST", path, admin, grantBody(UUID.randomUUID().toString(), "AllPrincipals", null, graph, "User.Read")),
                404, "Request_ResourceNotFound");
        refused(call("POST", path, admin, grantBody(ids[2], "AllPrincipals", null, UUID.randomUUID().toString(), "User.Read")),
                404, "Request_ResourceNotFound");
        refused(call("POST", path, admin, grantBody(ids[2], "Principal", UUID.randomUUID().toString(), graph, "User.Read")),
                404, "Request_ResourceNotFound");
        refused(call("GET", path + "?$filter=scope%20eq%20'User.Read'", admin, null), 400, "Request_UnsupportedQuery");
        assertThat(STORE.permissionGrants().list(TestTenant.TENANT)).hasSize(grants);
    }

    static String grantBody(String clientId, String consentType, String principalId, String resourceId, String scope) {
        return "{\"clientId\": \"" + clientId + "\", \"consentType\": \"" + consentType + "\", "
                + (principalId == null ? "" : "\"principalId\": \"" + principalId + "\", ")
                + "\"resourceId\": \"" + resourceId + "\", \"scope\": \"" + scope + "\"}";
    }

    @Test
    void ownedByReachesExactlyTheAppsWhoseOwnersIncludeTheCallingServicePrincipal() throws Exception {
        String owner = token(OWNER.toString(), ADMIN_SECRET);
        assertThat(roles(owner)).containsExactly("Application.ReadWrite.OwnedBy");
        String daemon = STORE.applications().findByAppId(TestTenant.TENANT, TestTenant.DAEMON).orElseThrow().id().toString();
        HttpResponse<String> notMine = call("PATCH", "/v1.0/applications/" + daemon, owner, "{\"displayName\": \"mine now\"}");
        refused(notMine, 403, "Authorization_RequestDenied");
        JsonNode why = json(server.get("/consentry/diagnostics/" + notMine.headers().firstValue("request-id").orElseThrow()));
        assertThat(why.path("cause").asText()).isEqualTo("app-not-owned");
        assertThat(why.path("explanation").asText()).contains("it has no owners").contains(OWNER_SP.toString());
        refused(call("POST", "/v1.0/applications/" + daemon + "/addPassword", owner, "{}"), 403, "Authorization_RequestDenied");
        refused(call("DELETE", "/v1.0/servicePrincipals/" + TestTenant.DAEMON_SP, owner, null), 403, "Authorization_RequestDenied");
        assertThat(json(call("GET", "/v1.0/applications/" + daemon, owner, null)).path("displayName").asText())
                .as("it reads every app").isEqualTo("Fabrikam Daemon");

        // An owner added through Graph opens the app to it, and removing it closes the app again.
        String admin = adminToken();
        String owners = "/v1.0/applications/" + daemon + "/owners";
        HttpResponse<String> added = call("POST", owners + "/$ref", admin, "{\"@odata.id\": "
                + "\"https://graph.microsoft.com/v1.0/directoryObjects/" + OWNER_SP + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(204);
        assertThat(call("PATCH", "/v1.0/applications/" + daemon, owner, "{\"displayName\": \"Fabrikam Daemon (owned)\"}")
                .statusCode()).isEqualTo(204);
        assertThat(call("DELETE", owners + "/" + OWNER_SP + "/$ref", admin, null).statusCode()).isEqualTo(204);
        refused(call("PATCH", "/v1.0/applications/" + daemon, owner, "{\"displayName\": \"again\"}"), 403,
                "Authorization_RequestDenied");
        assertThat(STORE.applications().findByAppId(TestTenant.TENANT, TestTenant.DAEMON).orElseThrow().displayName())
                .isEqualTo("Fabrikam Daemon (owned)");
        assertThat(STORE.servicePrincipals().find(TestTenant.TENANT, TestTenant.DAEMON_SP)).isPresent();
        refused(call("POST", "/v1.0/servicePrincipals", owner, "{\"appId\": \"" + TestTenant.WEB_APP + "\"}"), 403,
                "Authorization_RequestDenied"); // the principal only of an app it owns

        // What it creates it owns, and manages: the application, its service principal, their secrets.
        HttpResponse<String> created = call("POST", "/v1.0/applications", owner, "{\"displayName\": \"Owned\"}");
        assertThat(created.statusCode()).as("OwnedBy may register apps").isEqualTo(201);
        String id = json(created).path("id").asText();
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(id)).orElseThrow().owners()).containsExactly(OWNER_SP);
        assertThat(call("PATCH", "/v1.0/applications/" + id, owner, "{\"displayName\": \"Owned, renamed\"}").statusCode())
                .isEqualTo(204);
        assertThat(call("POST", "/v1.0/applications/" + id + "/addPassword", owner, "{}").statusCode()).isEqualTo(200);
        HttpResponse<String> sp = call("POST", "/v1.0/servicePrincipals", owner, "{\"appId\": \""
                + json(created).path("appId").asText() + "\"}");
        assertThat(sp.statusCode()).as(sp.body()).isEqualTo(201);
        String spId = json(sp).path("id").asText();
        assertThat(STORE.servicePrincipals().find(TestTenant.TENANT, ObjectId.of(spId)).orElseThrow().owners())
                .containsExactly(OWNER_SP);
        assertThat(call("PATCH", "/v1.0/servicePrincipals/" + spId, owner, "{\"appRoleAssignmentRequired\": true}").statusCode())
                .isEqualTo(204);
        assertThat(call("DELETE", "/v1.0/applications/" + id, owner, null).statusCode()).isEqualTo(204);
    }

    /** A delegated token of {@code upn} (through the desktop app) whose {@code scp} is {@code scopes}. */
    static String delegated(String upn, String scopes) throws Exception {
        return server.resigned(server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), upn,
                TestTenant.ADELE_PASSWORD, Set.of("User.Read")), c -> c.claim("scp", scopes));
    }

    @Test
    void aDelegatedCallerNeedsAnAdministratorRoleToChangeAppsAndGrants() throws Exception {
        String scopes = "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All";
        String megan = delegated(TestTenant.MEGAN_UPN, scopes); // no directory role
        String adele = delegated(TestTenant.ADELE_UPN, scopes); // Global Administrator
        HttpResponse<String> registered = call("POST", "/v1.0/applications", megan, "{\"displayName\": \"Megan's app\"}");
        assertThat(registered.statusCode()).as("any user may register an app").isEqualTo(201);
        String id = json(registered).path("id").asText();
        String appId = json(registered).path("appId").asText();
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(id)).orElseThrow().owners())
                .as("a user without an administrator role owns what they register").containsExactly(TestTenant.MEGAN);
        HttpResponse<String> own = call("PATCH", "/v1.0/applications/" + id, megan, "{\"displayName\": \"Megan's own\"}");
        assertThat(own.statusCode()).as("an owner needs no role").isEqualTo(204);
        assertThat(json(server.get("/consentry/diagnostics/" + own.headers().firstValue("request-id").orElseThrow()))
                .path("steps").toString()).contains("owns application");
        HttpResponse<String> adeles = call("POST", "/v1.0/applications", adele, "{\"displayName\": \"Adele's app\"}");
        String adelesId = json(adeles).path("id").asText();
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(adelesId)).orElseThrow().owners())
                .as("an administrator does not become the owner").isEmpty();
        HttpResponse<String> change = call("PATCH", "/v1.0/applications/" + adelesId, megan, "{\"displayName\": \"x\"}");
        refused(change, 403, "Authorization_RequestDenied");
        JsonNode why = json(server.get("/consentry/diagnostics/" + change.headers().firstValue("request-id").orElseThrow()));
        assertThat(why.path("cause").asText()).isEqualTo("user-role-missing");
        assertThat(why.path("fix").asText()).as("an owner needs no role").contains("owners/$ref");
        refused(call("POST", "/v1.0/servicePrincipals", megan, "{\"appId\": \"" + appId + "\"}"), 403,
                "Authorization_RequestDenied"); // creating a principal is no change of an object she owns
        HttpResponse<String> sp = call("POST", "/v1.0/servicePrincipals", adele, "{\"appId\": \"" + appId + "\"}");
        assertThat(sp.statusCode()).as(sp.body()).isEqualTo(201);
        String assignment = body(json(sp).path("id").asText(), TestTenant.GRAPH_SP.toString(), TestTenant.USER_READ_ALL);
        String assignedTo = "/v1.0/servicePrincipals/" + TestTenant.GRAPH_SP + "/appRoleAssignedTo";
        refused(call("POST", assignedTo, megan, assignment), 403, "Authorization_RequestDenied");
        refused(call("POST", "/v1.0/oauth2PermissionGrants", megan, grantBody(json(sp).path("id").asText(), "AllPrincipals", null,
                TestTenant.GRAPH_SP.toString(), "User.Read")), 403, "Authorization_RequestDenied");
        assertThat(STORE.appRoleAssignments().listByPrincipal(TestTenant.TENANT, ObjectId.of(json(sp).path("id").asText())))
                .isEmpty();
        assertThat(call("POST", assignedTo, adele, assignment).statusCode()).isEqualTo(201);
        assertThat(call("PATCH", "/v1.0/applications/" + adelesId, adele, "{\"displayName\": \"Renamed\"}").statusCode())
                .isEqualTo(204);
    }

    @Test
    void aTokenWithoutTheWritePermissionsIsRefusedAndChangesNothing() throws Exception {
        String daemon = token(TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET); // holds User.Read.All only
        int apps = STORE.applications().list(TestTenant.TENANT).size();
        refused(call("POST", "/v1.0/applications", daemon, "{\"displayName\": \"sneaky\"}"), 403, "Authorization_RequestDenied");
        assertThat(STORE.applications().list(TestTenant.TENANT)).hasSize(apps);
        refused(call("POST", "/v1.0/servicePrincipals/" + TestTenant.GRAPH_SP + "/appRoleAssignedTo", daemon,
                body(TestTenant.DAEMON_SP.toString(), TestTenant.GRAPH_SP.toString(), APPLICATION_READWRITE_ALL)), 403,
                "Authorization_RequestDenied");
        refused(call("POST", "/v1.0/oauth2PermissionGrants", daemon, grantBody(TestTenant.DAEMON_SP.toString(),
                "AllPrincipals", null, TestTenant.GRAPH_SP.toString(), "User.Read")), 403, "Authorization_RequestDenied");
        refused(call("DELETE", "/v1.0/applications/" + UUID.randomUUID(), daemon, null), 403, "Authorization_RequestDenied");
        assertThat(roles(daemon)).doesNotContain("Application.ReadWrite.All");
    }
}
