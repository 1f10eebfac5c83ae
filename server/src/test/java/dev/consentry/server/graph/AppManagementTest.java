package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.graph.models.AppRoleAssignment;
import com.microsoft.graph.models.Application;
import com.microsoft.graph.models.PasswordCredential;
import com.microsoft.graph.models.ServicePrincipal;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.net.URI;
import java.net.http.HttpRequest;
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

    /** An administration app holding Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All and DelegatedPermissionGrant.ReadWrite.All. */
    static final AppId ADMIN = AppId.of("c0c0c0c0-1111-4222-8333-444444444444");
    static final ObjectId ADMIN_SP = ObjectId.of("c0c0c0c0-1111-4222-8333-000000000001");
    static final String ADMIN_SECRET = "admin~secret.value_345";
    static final UUID APPLICATION_READWRITE_ALL = UUID.fromString("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9");
    static final UUID APP_ROLE_ASSIGNMENT_READWRITE_ALL = UUID.fromString("06b708a9-e830-4db3-a914-8e69da51d44f");
    static final UUID DELEGATED_PERMISSION_GRANT_READWRITE_ALL = UUID.fromString("8e8e4742-1d95-4f68-9d56-6ee75648c72a");
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
        for (UUID role : List.of(APPLICATION_READWRITE_ALL, APP_ROLE_ASSIGNMENT_READWRITE_ALL,
                DELEGATED_PERMISSION_GRANT_READWRITE_ALL)) {
            STORE.appRoleAssignments().save(TestTenant.TENANT, new dev.consentry.core.directory.AppRoleAssignment(null,
                    ADMIN_SP, "ServicePrincipal", TestTenant.GRAPH_SP, role, Instant.now(), null));
        }
    }

    static String token(String clientId, String secret) {
        try {
            // A new client each time: MSAL would otherwise answer from its cache, and these tests need the next token.
            ConfidentialClientApplication app = ConfidentialClientApplication.builder(clientId,
                            ClientCredentialFactory.createFromSecret(secret))
                    .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                    .sslSocketFactory(server.sslContext().getSocketFactory()).build();
            return app.acquireToken(ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build())
                    .get().accessToken();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String adminToken() {
        return token(ADMIN.toString(), ADMIN_SECRET);
    }

    static List<String> roles(String token) throws Exception {
        List<String> roles = SignedJWT.parse(token).getJWTClaimsSet().getStringListClaim("roles");
        return roles == null ? List.of() : roles;
    }

    static HttpResponse<String> call(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return server.send(b.build());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Asserts Graph's status and {@code error.code}. */
    static JsonNode refused(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("error").path("code").asText()).as(response.body()).isEqualTo(code);
        return body;
    }

    /** Registers an application with a service principal through Graph, answering {@code [objectId, appId, spId]}. */
    static String[] registered(String token, String name) throws Exception {
        HttpResponse<String> app = call("POST", "/v1.0/applications", token, "{\"displayName\":\"" + name + "\"}");
        assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
        String appId = json(app).path("appId").asText();
        HttpResponse<String> sp = call("POST", "/v1.0/servicePrincipals", token, "{\"appId\":\"" + appId + "\"}");
        assertThat(sp.statusCode()).as(sp.body()).isEqualTo(201);
        return new String[] {json(app).path("id").asText(), appId, json(sp).path("id").asText()};
    }

    @Test
    void applicationsAreCreatedReadByAppIdChangedAndDeletedWithTheirServicePrincipal() throws Exception {
        String admin = adminToken();
        HttpResponse<String> created = call("POST", "/v1.0/applications", admin, """
                {"displayName": "Orders API", "signInAudience": "AzureADMultipleOrgs", "identifierUris": ["api://orders"],
                 "web": {"redirectUris": ["https://orders.example/signin"]}, "spa": {"redirectUris": ["https://spa.example/"]},
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

        assertThat(call("DELETE", "/v1.0/applications(appId='" + appId + "')", admin, null).statusCode()).isEqualTo(204);
        refused(call("GET", "/v1.0/applications/" + app.path("id").asText(), admin, null), 404, "Request_ResourceNotFound");
        refused(call("GET", "/v1.0/servicePrincipals/" + principal.path("id").asText(), admin, null), 404,
                "Request_ResourceNotFound");
    }

    @Test
    void servicePrincipalsAreChangedAndDeleted() throws Exception {
        String admin = adminToken();
        String[] ids = registered(admin, "Principal changes");
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
        refused(call("POST", "/v1.0/applications", admin, "{\"displayName\": \"x\", \"colour\": \"blue\"}"), 400, "BadRequest");
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

        String[] ids = registered(admin, "Refusals");
        refused(call("PATCH", "/v1.0/applications/" + ids[0], admin, "{\"displayName\": 7}"), 400, "Request_BadRequest");
        refused(call("PATCH", "/v1.0/applications/" + ids[0], admin, "{\"displayName\": \"fine\", \"identifierUris\": [1]}"),
                400, "Request_BadRequest");
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(ids[0])).orElseThrow().displayName())
                .as("a refused PATCH changes nothing").isEqualTo("Refusals");
    }

    @Test
    void secretsAreAddedOnceAndRemovedByKeyId() throws Exception {
        String admin = adminToken();
        String[] ids = registered(admin, "Secrets");
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
    void aTokenWithoutTheWritePermissionsIsRefusedAndChangesNothing() throws Exception {
        String daemon = token(TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET); // holds User.Read.All only
        int apps = STORE.applications().list(TestTenant.TENANT).size();
        refused(call("POST", "/v1.0/applications", daemon, "{\"displayName\": \"sneaky\"}"), 403, "Authorization_RequestDenied");
        assertThat(STORE.applications().list(TestTenant.TENANT)).hasSize(apps);
        refused(call("DELETE", "/v1.0/applications/" + UUID.randomUUID(), daemon, null), 403, "Authorization_RequestDenied");
        assertThat(roles(daemon)).doesNotContain("Application.ReadWrite.All");
    }
}
