package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A delegated token is what the app may do intersected with what the signed-in user may do (S6): the desktop app
 * holds User.ReadWrite.All and RoleManagement.ReadWrite.Directory, and still Megan (no role) may not create users,
 * change another user, assign licences or change role members, while Adele (Global Administrator) may; Megan as
 * User Administrator may change a user without a role but not a Global Administrator.
 */
class UserRightsTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    static final String AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";

    @BeforeAll
    static void theDesktopAppMayManageUsersAndRoles() {
        var store = server.consentry().store();
        OAuth2PermissionGrant g = store.permissionGrants().list(TestTenant.TENANT).stream()
                .filter(x -> x.id().equals("grant-desktop-graph")).findFirst().orElseThrow();
        store.permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant(g.id(), g.clientId(), g.consentType(),
                g.principalId(), g.resourceId(), "User.Read User.ReadWrite.All RoleManagement.ReadWrite.Directory",
                g.createdDateTime(), null));
    }

    static String token(String upn) throws Exception {
        HttpResponse<String> r = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(), "username", upn, "password",
                TestTenant.ADELE_PASSWORD, "scope", "User.ReadWrite.All RoleManagement.ReadWrite.Directory")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static HttpResponse<String> call(String token, String method, String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").build());
    }

    static JsonNode refusedForTheUser(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("Authorization_RequestDenied");
        JsonNode d = JSON.readTree(server.get("/consentry/diagnostics/" + r.headers().firstValue("request-id").orElseThrow()).body());
        assertThat(d.path("cause").asText()).isEqualTo("user-role-missing");
        return d;
    }

    static String newUser(String name) {
        return "{\"accountEnabled\":true,\"displayName\":\"" + name + "\",\"mailNickname\":\"" + name + "\","
                + "\"userPrincipalName\":\"" + name + "@" + TestTenant.DOMAIN + "\",\"passwordProfile\":{\"password\":\"Long-enough-1\"}}";
    }

    @Test
    void creatingUsersAndChangingRolesNeedsAnAdministrator() throws Exception {
        String megan = token(TestTenant.MEGAN_UPN);
        JsonNode d = refusedForTheUser(call(megan, "POST", "/v1.0/users", newUser("kim")));
        assertThat(d.path("explanation").asText()).contains("creating users").contains("User Administrator");
        assertThat(d.path("fix").asText()).contains(TestTenant.MEGAN_UPN);
        assertThat(server.consentry().store().users().findByUserPrincipalName(TestTenant.TENANT, "kim@" + TestTenant.DOMAIN))
                .isEmpty();
        String adele = token(TestTenant.ADELE_UPN);
        assertThat(call(adele, "POST", "/v1.0/users", newUser("kim")).statusCode()).isEqualTo(201);

        String ref = "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" + TestTenant.NEWHIRE + "\"}";
        refusedForTheUser(call(megan, "POST", "/v1.0/directoryRoles/" + AUTHENTICATION_ADMINISTRATOR + "/members/$ref", ref));
        assertThat(call(adele, "POST", "/v1.0/directoryRoles/" + AUTHENTICATION_ADMINISTRATOR + "/members/$ref", ref).statusCode())
                .isEqualTo(204);
        refusedForTheUser(call(megan, "POST", "/v1.0/users/" + TestTenant.MEGAN + "/assignLicense",
                "{\"addLicenses\":[],\"removeLicenses\":[]}"));
    }

    @Test
    void changingAnotherUserNeedsARoleThatReachesThem() throws Exception {
        String megan = token(TestTenant.MEGAN_UPN);
        assertThat(call(megan, "PATCH", "/v1.0/users/" + TestTenant.MEGAN, "{\"jobTitle\":\"Analyst\"}").statusCode())
                .as("oneself").isEqualTo(204);
        refusedForTheUser(call(megan, "PATCH", "/v1.0/users/" + TestTenant.GONE, "{\"jobTitle\":\"Analyst\"}"));
        refusedForTheUser(call(megan, "POST", "/v1.0/users/" + TestTenant.GONE + "/revokeSignInSessions", null));

        server.consentry().store().roleAssignments().save(TestTenant.TENANT, new RoleAssignment("megan-user-admin",
                TestTenant.MEGAN, USER_ADMINISTRATOR, "/", null));
        try {
            assertThat(call(megan, "PATCH", "/v1.0/users/" + TestTenant.GONE, "{\"jobTitle\":\"Analyst\"}").statusCode())
                    .as("a user without a role, by a User Administrator").isEqualTo(204);
            JsonNode d = refusedForTheUser(call(megan, "DELETE", "/v1.0/users/" + TestTenant.ADELE, null));
            assertThat(d.path("explanation").asText()).contains("Global Administrator");
            assertThat(server.consentry().store().users().find(TestTenant.TENANT, TestTenant.ADELE)).as("not deleted").isPresent();
        } finally {
            server.consentry().store().roleAssignments().delete(TestTenant.TENANT, "megan-user-admin"); // the other test's Megan has none
        }
    }
}
