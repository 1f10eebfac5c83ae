package dev.consentry.core.tenantfile;

import static dev.consentry.core.tenantfile.TenantFileTest.read;
import static dev.consentry.core.tenantfile.TenantFileTest.refused;
import static dev.consentry.core.tenantfile.TenantFileTest.tenant;
import static dev.consentry.core.tenantfile.TenantFileTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.RequiredResourceAccess.ResourceAccess;
import dev.consentry.core.directory.TenantDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Permission names in the tenant file: where Graph stores ids a name is accepted and becomes the id of the type asked
 * for; an export writes the name beside each id; and what the resource does not define is refused with the path.
 */
class PermissionNamesTest {
    static final String GRAPH = "00000003-0000-0000-c000-000000000000";
    static final String EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
    /** User.Read.All, the delegated permission and the application permission: one name, two ids. */
    static final String USER_READ_ALL_SCOPE = "a154be20-db9c-4678-8ab7-66f6cc099a59";
    static final String USER_READ_ALL_ROLE = "df021288-bdef-4463-88db-98f22de89214";
    static final String USER_READ = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";
    static final String OPENID = "37f7f235-527c-4136-accd-4a02d197296e";
    static final String API_APP_ID = "5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41";
    static final String CLIENT_APP_ID = "5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c43";
    static final String USER = "2b7c9e10-4d3a-4f6b-8e21-5a9c0d7e3f11";

    /** An API with one scope and one app role, a client that requests {@code requests}, one user, and {@code rest}. */
    static String file(String requests, String rest) {
        return tenant("\"users\":[{\"id\":\"" + USER + "\",\"userPrincipalName\":\"a@b.c\"}],"
                + "\"applications\":[{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b31\",\"appId\":\"" + API_APP_ID + "\","
                + "\"displayName\":\"Orders API\",\"api\":{\"oauth2PermissionScopes\":[{\"id\":\"7a2b4d65-9c8f-4e1a-b376-0f4b5c2d8e61\","
                + "\"value\":\"Orders.Read\",\"type\":\"User\"}]},\"appRoles\":[{\"id\":\"7a2b4d65-9c8f-4e1a-b376-0f4b5c2d8e62\","
                + "\"value\":\"Orders.Read.All\",\"allowedMemberTypes\":[\"Application\"]}]},"
                + "{\"id\":\"4d9e1a32-6f5c-4b8d-a043-7c1e2f9a5b32\",\"appId\":\"" + CLIENT_APP_ID + "\",\"displayName\":\"Client\","
                + "\"requiredResourceAccess\":[" + requests + "]}]" + (rest.isEmpty() ? "" : "," + rest));
    }

    static String request(String resourceAppId, String... access) {
        return "{\"resourceAppId\":\"" + resourceAppId + "\",\"resourceAccess\":[" + String.join(",", access) + "]}";
    }

    static String access(String id, String type) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}";
    }

    static String assignment(String resource, String role) {
        return "{\"principalId\":\"" + CLIENT_APP_ID + "\",\"resourceId\":\"" + resource + "\",\"appRoleId\":\"" + role + "\"}";
    }

    static String grant(String resource, String scope) {
        return "{\"clientId\":\"" + CLIENT_APP_ID + "\",\"consentType\":\"AllPrincipals\",\"resourceId\":\"" + resource
                + "\",\"scope\":\"" + scope + "\"}";
    }

    static List<ResourceAccess> requested(TenantDirectory t) {
        return t.applications().get(1).requiredResourceAccess().stream().flatMap(r -> r.resourceAccess().stream()).toList();
    }

    @Test
    void aNameBecomesTheIdOfTheTypeAskedForOnGraphTheTenantsApisAndTheOtherBuiltInResources() throws IOException {
        TenantDirectory t = read(file(request(GRAPH, access("User.Read.All", "Scope"), access("user.read.all", "Role"),
                access("openid", "Scope")) + "," + request(API_APP_ID, access("Orders.Read", "Scope"), access("Orders.Read.All", "Role"))
                + "," + request(EXCHANGE, access("full_access_as_app", "Role")), "")).get(0);

        assertThat(requested(t)).extracting(a -> a.id().toString() + " " + a.type()).containsExactly(
                USER_READ_ALL_SCOPE + " Scope", USER_READ_ALL_ROLE + " Role", OPENID + " Scope",
                "7a2b4d65-9c8f-4e1a-b376-0f4b5c2d8e61 Scope", "7a2b4d65-9c8f-4e1a-b376-0f4b5c2d8e62 Role",
                "dc890d15-9560-4a4c-9b7f-a736ec74ec40 Role");
        assertThat(requested(t)).allSatisfy(a -> assertThat(a.additionalProperties()).isEmpty());
    }

    @Test
    void anAssignmentsRoleMayBeNamedAndAGrantsScopeMayHoldIds() throws IOException {
        TenantDirectory t = read(file("", "\"appRoleAssignments\":[" + assignment(GRAPH, "User.Read.All") + ","
                + assignment(API_APP_ID, "orders.read.all") + "],"
                + "\"oauth2PermissionGrants\":[" + grant(GRAPH, USER_READ + " openid  Mail.Send") + ","
                + grant(API_APP_ID, "7a2b4d65-9c8f-4e1a-b376-0f4b5c2d8e61") + "]")).get(0);

        assertThat(t.appRoleAssignments()).extracting(a -> a.appRoleId().toString())
                .as("the application permission's id, not the delegated one's")
                .containsExactly(USER_READ_ALL_ROLE, "7a2b4d65-9c8f-4e1a-b376-0f4b5c2d8e62");
        assertThat(t.oauth2PermissionGrants()).extracting(g -> g.scope()).containsExactly("User.Read openid Mail.Send", "Orders.Read");
    }

    @Test
    void anExportWritesEachIdWithItsNameJustBeforeItAndReadsBackTheSame() throws IOException {
        List<TenantDirectory> once = read(file(request(GRAPH, access("User.Read.All", "Role"), access(USER_READ, "Scope")),
                "\"appRoleAssignments\":[" + assignment(GRAPH, USER_READ_ALL_ROLE) + "]"));
        byte[] written = write(once);
        JsonNode exported = new ObjectMapper().readTree(written).path("tenants").path(0);

        JsonNode first = exported.path("applications").path(1).path("requiredResourceAccess").path(0).path("resourceAccess").path(0);
        assertThat(first.properties()).extracting(e -> e.getKey()).containsExactly("id@consentry.name", "id", "type");
        assertThat(first.path("id@consentry.name").asText()).isEqualTo("User.Read.All");
        assertThat(first.path("id").asText()).isEqualTo(USER_READ_ALL_ROLE);
        assertThat(exported.path("applications").path(1).path("requiredResourceAccess").path(0).path("resourceAccess").path(1)
                .path("id@consentry.name").asText()).isEqualTo("User.Read");
        JsonNode assigned = exported.path("appRoleAssignments").path(0);
        assertThat(assigned.path("appRoleId@consentry.name").asText()).isEqualTo("User.Read.All");
        assertThat(assigned.path("appRoleId").asText()).isEqualTo(USER_READ_ALL_ROLE);

        List<TenantDirectory> twice = TenantFile.read(new ByteArrayInputStream(written), "again", TenantFileTest.FAST);
        assertThat(twice).isEqualTo(once);
        assertThat(write(twice)).isEqualTo(written);
    }

    @Test
    void aNameBesideAnIdThatIsAnotherPermissionIsRefused() {
        TenantFileException e = refused(file(request(GRAPH, "{\"id@consentry.name\":\"User.Read\",\"id\":\"" + USER_READ_ALL_ROLE
                + "\",\"type\":\"Role\"}"), ""));
        assertThat(e.path()).isEqualTo("$.tenants[0].applications[1].requiredResourceAccess[0].resourceAccess[0].id@consentry.name");
        assertThat(e.getMessage()).contains("the name User.Read does not match the id " + USER_READ_ALL_ROLE)
                .contains("app role User.Read.All of Microsoft Graph");

        TenantFileException assigned = refused(file("", "\"appRoleAssignments\":[{\"principalId\":\"" + CLIENT_APP_ID
                + "\",\"resourceId\":\"" + GRAPH + "\",\"appRoleId\":\"" + USER_READ_ALL_ROLE + "\",\"appRoleId@consentry.name\":\"Mail.Send\"}]"));
        assertThat(assigned.path()).isEqualTo("$.tenants[0].appRoleAssignments[0].appRoleId@consentry.name");

        TenantFileException notText = refused(file(request(GRAPH, "{\"id@consentry.name\":7,\"id\":\"" + USER_READ_ALL_ROLE
                + "\",\"type\":\"Role\"}"), ""));
        assertThat(notText.path()).endsWith("resourceAccess[0].id@consentry.name");
        assertThat(notText.getMessage()).contains("expected the permission's name, a string");
    }

    @Test
    void anUnknownNameIsRefusedWithTheNearestNameOfThatType() {
        TenantFileException typo = refused(file(request(GRAPH, access("User.Reed.All", "Role")), ""));
        assertThat(typo.path()).isEqualTo("$.tenants[0].applications[1].requiredResourceAccess[0].resourceAccess[0].id");
        assertThat(typo.getMessage()).contains("Microsoft Graph (" + GRAPH + ") defines no app role named User.Reed.All")
                .endsWith("did you mean User.Read.All?");

        TenantFileException wrongType = refused(file(request(GRAPH, access("Application.ReadWrite.OwnedBy", "Scope")), ""));
        assertThat(wrongType.getMessage()).contains("has Application.ReadWrite.OwnedBy only as an app role (\"type\": \"Role\")");

        TenantFileException role = refused(file("", "\"appRoleAssignments\":[" + assignment(API_APP_ID, "Orders.Raed.All") + "]"));
        assertThat(role.path()).isEqualTo("$.tenants[0].appRoleAssignments[0].appRoleId");
        assertThat(role.getMessage()).contains("Orders API (" + API_APP_ID + ") defines no app role named Orders.Raed.All")
                .endsWith("did you mean Orders.Read.All?");
    }

    @Test
    void aNameNeedsAKnownResourceAndAType() {
        TenantFileException external = refused(file(request("11111111-2222-3333-4444-555555555555", access("Vault.Read", "Scope")), ""));
        assertThat(external.path()).endsWith("resourceAccess[0].id");
        assertThat(external.getMessage()).contains("11111111-2222-3333-4444-555555555555 is no service principal of the tenant")
                .contains("give the permission's id");

        TenantFileException untyped = refused(file(request(GRAPH, access("User.Read", "Delegated")), ""));
        assertThat(untyped.path()).endsWith("resourceAccess[0].type");
        assertThat(untyped.getMessage()).contains("expected \"Scope\"");
    }

    @Test
    void aGrantsScopeTheResourceDoesNotDefineIsRefusedWithTheNearestName() {
        TenantFileException e = refused(file("", "\"oauth2PermissionGrants\":[" + grant(GRAPH, "openid User.Raed") + "]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].oauth2PermissionGrants[0].scope");
        assertThat(e.getMessage()).contains("Microsoft Graph (" + GRAPH + ") defines no delegated permission named User.Raed")
                .endsWith("did you mean User.Read?");

        TenantFileException roleOnly = refused(file("", "\"oauth2PermissionGrants\":[" + grant(API_APP_ID, "Orders.Read.All") + "]"));
        assertThat(roleOnly.getMessage()).contains("has Orders.Read.All only as an app role");

        TenantFileException id = refused(file("", "\"oauth2PermissionGrants\":[" + grant(GRAPH, USER_READ_ALL_ROLE) + "]"));
        assertThat(id.path()).isEqualTo("$.tenants[0].oauth2PermissionGrants[0].scope");
        assertThat(id.getMessage()).contains("defines no delegated permission with the id " + USER_READ_ALL_ROLE)
                .contains("it is the id of its app role User.Read.All, whose delegated permission id is " + USER_READ_ALL_SCOPE);
    }

    @Test
    void aRequestedIdTheResourceDoesNotDefineIsRefused() {
        TenantFileException nowhere = refused(file(request(GRAPH, access("11111111-2222-3333-4444-555555555555", "Scope")), ""));
        assertThat(nowhere.path()).isEqualTo("$.tenants[0].applications[1].requiredResourceAccess[0].resourceAccess[0].id");
        assertThat(nowhere.getMessage()).endsWith("Microsoft Graph (" + GRAPH + ") defines no delegated permission with the id "
                + "11111111-2222-3333-4444-555555555555");

        TenantFileException wrongType = refused(file(request(GRAPH, access(USER_READ_ALL_SCOPE, "Role")), ""));
        assertThat(wrongType.getMessage()).contains("it is the id of its delegated permission User.Read.All, whose app role id is "
                + USER_READ_ALL_ROLE);

        TenantFileException otherResource = refused(file(request(API_APP_ID, access(USER_READ, "Scope")), ""));
        assertThat(otherResource.getMessage()).contains("Orders API (" + API_APP_ID + ") defines no delegated permission")
                .contains("it is the id of Microsoft Graph (" + GRAPH + ")'s User.Read: is resourceAppId right?");

        TenantFileException badType = refused(file(request(GRAPH, access(USER_READ, "scope ")), ""));
        assertThat(badType.path()).endsWith("resourceAccess[0].type");
        assertThat(badType.getMessage()).contains("found \"scope \"");
    }

    @Test
    void anAssignedIdOfTheOtherTypeNamesTheRightOne() {
        TenantFileException e = refused(file("", "\"appRoleAssignments\":[" + assignment(GRAPH, USER_READ_ALL_SCOPE) + "]"));
        assertThat(e.path()).isEqualTo("$.tenants[0].appRoleAssignments[0].appRoleId");
        assertThat(e.getMessage()).contains("defines no app role with the id " + USER_READ_ALL_SCOPE)
                .contains("whose app role id is " + USER_READ_ALL_ROLE);
    }

    @Test
    void idsOfAnApiOfAnotherTenantAreKeptUnchecked() throws IOException {
        String external = "11111111-2222-3333-4444-555555555555";
        TenantDirectory t = read(file(request(external, "{\"id@consentry.name\":\"Vault.Read\",\"id\":\"" + USER_READ
                + "\",\"type\":\"Scope\"}"), "")).get(0);
        assertThat(requested(t)).extracting(a -> a.id().toString()).containsExactly(USER_READ);
        assertThat(requested(t).get(0).additionalProperties()).as("the annotation is not kept").isEmpty();
        assertThat(new String(write(List.of(t)), StandardCharsets.UTF_8)).doesNotContain("@consentry.name");
    }

    @Test
    void anObjectWhereAnArrayBelongsIsLeftToTheMappingToRefuse() {
        assertThat(refused(tenant("\"applications\":{\"a\":{\"appId\":\"" + API_APP_ID + "\"}}")).path())
                .isEqualTo("$.tenants[0].applications");
        assertThat(refused(tenant("\"appRoleAssignments\":{\"a\":" + assignment(GRAPH, "User.Read.All") + "}")).path())
                .isEqualTo("$.tenants[0].appRoleAssignments");
        assertThat(refused(file("{\"resourceAppId\":\"" + GRAPH + "\",\"resourceAccess\":{\"a\":" + access("User.Read", "Scope")
                + "}}", "")).path()).isEqualTo("$.tenants[0].applications[1].requiredResourceAccess[0].resourceAccess");
        TenantFileException tenants = refused("{\"tenants\":{\"a\":{\"id\":\"7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01\"}}}");
        assertThat(tenants.path()).isEqualTo("$.tenants");
        assertThat(tenants.getMessage()).contains("expected an array");
    }
}
