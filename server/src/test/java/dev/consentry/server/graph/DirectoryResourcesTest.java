package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.models.AssignedLicense;
import com.microsoft.graph.models.DirectoryObject;
import com.microsoft.graph.models.PasswordProfile;
import com.microsoft.graph.models.ReferenceCreate;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.assignlicense.AssignLicensePostRequestBody;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Group;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.Scheme;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The directory as Graph serves it, read and changed through the Microsoft Graph Java SDK v6 with an app-only
 * token (the daemon, granted Directory.Read.All, User.ReadWrite.All and RoleManagement.ReadWrite.Directory here):
 * users (create, read, query, update, delete), organization, applications, service principals, groups and
 * members, memberships, directory roles and their members, licences and sign-in session revocation; and every
 * refusal of bad input in Graph's own error shape.
 */
class DirectoryResourcesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final UUID E3 = UUID.fromString("6fd2c87f-b296-42f0-b197-1e91e994b900");
    static final UUID EXCHANGE_PLAN = UUID.fromString("efb87545-963c-4e0d-99df-69c6916d9eb0");
    static final ObjectId GROUP = ObjectId.of("dddddddd-eeee-4fff-8000-000000000001");
    static final String AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
    static GraphServiceClient graph;
    static String appToken;

    @BeforeAll
    static void grantTheDaemonAndAddAGroup() throws Exception {
        GraphPermissionCatalogue catalogue = GraphPermissionCatalogue.builtin();
        for (String role : List.of("Directory.Read.All", "User.ReadWrite.All", "RoleManagement.ReadWrite.Directory",
                "Group.ReadWrite.All")) {
            UUID id = catalogue.permission(role).flatMap(p -> p.in(Scheme.APPLICATION)).orElseThrow().id();
            server.consentry().store().appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null,
                    TestTenant.DAEMON_SP, "ServicePrincipal", TestTenant.GRAPH_SP, id, Instant.now(), null));
        }
        server.consentry().store().groups().save(TestTenant.TENANT, new Group(GROUP, "Sales", true, false, List.of(),
                List.of(TestTenant.ADELE, TestTenant.MEGAN), Map.of("mailNickname", "sales")));
        server.consentry().store().subscribedSkus().save(TestTenant.TENANT, new SubscribedSku("e3", E3, "ENTERPRISEPACK",
                List.of(new SubscribedSku.ServicePlan(EXCHANGE_PLAN, "EXCHANGE_S_ENTERPRISE", "Success", "User")), null));
        appToken = token(Map.of("grant_type", "client_credentials", "client_id", TestTenant.DAEMON.toString(),
                "client_secret", TestTenant.DAEMON_SECRET, "scope", "https://graph.microsoft.com/.default"));
        graph = GraphSdk.client(server, () -> appToken);
    }

    static String token(Map<String, String> form) throws Exception {
        HttpResponse<String> r = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static HttpResponse<String> http(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + appToken).header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return server.send(b.build());
    }

    static void assertError(HttpResponse<String> r, int status, String code, String messagePart) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).contains(messagePart);
        assertThat(error.path("innerError").path("request-id").asText()).isEqualTo(r.headers().firstValue("request-id").orElseThrow());
    }

    // ---- users ------------------------------------------------------------------------------------------------

    @Test
    void aUserIsCreatedReadQueriedChangedAndDeleted() throws Exception {
        User draft = new User();
        draft.setAccountEnabled(true);
        draft.setDisplayName("Pradeep Gupta");
        draft.setMailNickname("pradeep");
        draft.setUserPrincipalName("pradeep@" + TestTenant.DOMAIN);
        PasswordProfile password = new PasswordProfile();
        password.setPassword("Pradeep-Passw0rd!");
        password.setForceChangePasswordNextSignIn(false);
        draft.setPasswordProfile(password);
        User created = graph.users().post(draft);
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getUserPrincipalName()).isEqualTo("pradeep@" + TestTenant.DOMAIN);

        User byName = graph.users().byUserId("pradeep@" + TestTenant.DOMAIN).get(c -> c.queryParameters.select =
                new String[] {"displayName", "accountEnabled"});
        assertThat(byName.getDisplayName()).isEqualTo("Pradeep Gupta");
        assertThat(byName.getAccountEnabled()).isTrue();
        assertThat(byName.getUserPrincipalName()).as("not selected").isNull();

        var found = graph.users().get(c -> c.queryParameters.filter = "startswith(displayName,'Prad')").getValue();
        assertThat(found).extracting(User::getId).containsExactly(created.getId());

        // The new user signs in with the password Graph set.
        assertThat(token(Map.of("grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(), "username",
                "pradeep@" + TestTenant.DOMAIN, "password", "Pradeep-Passw0rd!", "scope", "User.Read"))).isNotBlank();

        User change = new User();
        change.setJobTitle("Director");
        change.setUsageLocation("US");
        graph.users().byUserId(created.getId()).patch(change);
        assertThat(graph.users().byUserId(created.getId()).get(c -> c.queryParameters.select = new String[] {"jobTitle",
                "usageLocation"}).getJobTitle()).isEqualTo("Director");

        graph.users().byUserId(created.getId()).delete();
        GraphSdk.refused(() -> graph.users().byUserId(created.getId()).get(), 404, "Request_ResourceNotFound");
    }

    @Test
    void badUserWritesAreRefusedAsGraphRefusesThem() throws Exception {
        assertError(http("POST", "/v1.0/users", "{\"accountEnabled\":true,\"displayName\":\"X\",\"mailNickname\":\"x\","
                + "\"userPrincipalName\":\"x@not-ours.example\",\"passwordProfile\":{\"password\":\"Long-enough-1\"}}"),
                400, "Request_BadRequest", "verified domain");
        assertError(http("POST", "/v1.0/users", "{\"accountEnabled\":true,\"displayName\":\"X\",\"mailNickname\":\"x\","
                + "\"userPrincipalName\":\"" + TestTenant.ADELE_UPN + "\",\"passwordProfile\":{\"password\":\"Long-enough-1\"}}"),
                400, "Request_BadRequest", "already exists");
        assertError(http("POST", "/v1.0/users", "{\"displayName\":\"X\"}"), 400, "Request_BadRequest",
                "Invalid value specified for property 'accountEnabled'");
        assertError(http("POST", "/v1.0/users", "not json"), 400, "BadRequest", "JSON object");
        // Graph's text names the type, not the property; the diagnosis names it (GraphBodyShapeTest).
        assertError(http("PATCH", "/v1.0/users/" + TestTenant.MEGAN, "{\"accountEnabled\":\"yes\"}"), 400,
                "Request_BadRequest", "Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
        assertError(http("PATCH", "/v1.0/users/" + TestTenant.MEGAN, "{\"favouriteColour\":\"blue\"}"), 400,
                "Request_BadRequest", "Invalid property 'favouriteColour'.");
        // A property Graph declares but Consentry does not change keeps the resource's own refusal.
        assertError(http("PATCH", "/v1.0/users/" + TestTenant.MEGAN, "{\"aboutMe\":\"Hi\"}"), 400, "BadRequest",
                "Property 'aboutMe' does not exist on type 'microsoft.graph.user' or cannot be changed.");
        assertError(http("PATCH", "/v1.0/users/" + UUID.randomUUID(), "{\"jobTitle\":\"x\"}"), 404,
                "Request_ResourceNotFound", "does not exist");
        assertError(http("POST", "/v1.0/users", "{\"displayName\":\"" + "x".repeat(70_000) + "\"}"), 413,
                "RequestEntityTooLarge", "larger than");
        assertThat(server.consentry().store().users().findByUserPrincipalName(TestTenant.TENANT, "x@not-ours.example"))
                .as("nothing stored by a refused write").isEmpty();
    }

    @Test
    void queryOptionsGraphRefusesAreRefused() throws Exception {
        assertError(http("GET", "/v1.0/users?$count=true", null), 400, "Request_BadRequest", "$count is not currently supported.");
        JsonNode counted = JSON.readTree(http("GET", "/v1.0/users?$count=true&$top=1", null, "ConsistencyLevel", "eventual").body());
        assertThat(counted.path("@odata.count").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(counted.path("value").size()).isEqualTo(1);
        assertThat(counted.path("@odata.nextLink").asText()).contains("$skiptoken=").contains("$count=true");
        assertError(http("GET", "/v1.0/users?$top=0", null), 400, "Request_BadRequest", "Invalid page size specified: '0'");
        assertError(http("GET", "/v1.0/users?$top=1000", null), 400, "Request_BadRequest", "between 1 and 999");
        assertError(http("GET", "/v1.0/users?$select=favouriteColour", null), 400, "BadRequest",
                "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'.");
        assertError(http("GET", "/v1.0/users?$filter=" + enc("endswith(mail,'.com')"), null), 400, "Request_UnsupportedQuery",
                "Unsupported Query.");
        JsonNode advanced = JSON.readTree(http("GET", "/v1.0/users?$count=true&$filter=" + enc("endswith(mail,'fabrikam.onmicrosoft.com')"),
                null, "ConsistencyLevel", "eventual").body());
        assertThat(advanced.path("value").size()).as("an advanced query with ConsistencyLevel and $count").isGreaterThanOrEqualTo(2);
        assertError(http("GET", "/v1.0/users?$filter=" + enc("businessPhones eq '1'"), null), 400, "Request_UnsupportedQuery",
                "property 'businessPhones' of resource 'User'");
        assertError(http("GET", "/v1.0/users?$filter=" + enc("displayName gt 'a'"), null), 400, "BadRequest", "eq, startswith");
        assertError(http("GET", "/v1.0/users?$skiptoken=garbage", null), 400, "Request_BadRequest", "skip token");
        JsonNode eq = JSON.readTree(http("GET", "/v1.0/users?$filter=" + enc("userPrincipalName eq '" + TestTenant.MEGAN_UPN + "'"),
                null).body());
        assertThat(eq.path("value").get(0).path("id").asText()).isEqualTo(TestTenant.MEGAN.toString());
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- organization, applications, service principals, groups -----------------------------------------------

    @Test
    void theOrganizationAppsAndServicePrincipalsAreTheTenants() {
        var org = graph.organization().get().getValue();
        assertThat(org).hasSize(1);
        assertThat(org.get(0).getId()).isEqualTo(TestTenant.TENANT.toString());
        assertThat(org.get(0).getVerifiedDomains()).extracting(d -> d.getName()).contains(TestTenant.DOMAIN);

        var daemon = graph.applications().get(c -> c.queryParameters.filter = "appId eq '" + TestTenant.DAEMON + "'").getValue();
        assertThat(daemon).extracting(a -> a.getDisplayName()).containsExactly("Fabrikam Daemon");
        assertThat(graph.applications().byApplicationId(daemon.get(0).getId()).get().getAppId())
                .isEqualTo(TestTenant.DAEMON.toString());

        var graphSp = graph.servicePrincipals().get(c -> c.queryParameters.filter = "appId eq '" + WellKnown.GRAPH_APP_ID + "'")
                .getValue();
        assertThat(graphSp).extracting(sp -> sp.getId()).containsExactly(TestTenant.GRAPH_SP.toString());
        GraphSdk.refused(() -> graph.servicePrincipals().byServicePrincipalId(UUID.randomUUID().toString()).get(), 404,
                "Request_ResourceNotFound");
    }

    @Test
    void groupsListTheirMembersAndUsersTheirMemberships() {
        var members = graph.groups().byGroupId(GROUP.toString()).members().get().getValue();
        assertThat(members).extracting(DirectoryObject::getId).containsExactlyInAnyOrder(TestTenant.ADELE.toString(),
                TestTenant.MEGAN.toString());
        assertThat(members).allSatisfy(m -> assertThat(m).isInstanceOf(User.class));

        var memberOf = graph.users().byUserId(TestTenant.ADELE.toString()).memberOf().get().getValue();
        assertThat(memberOf).extracting(DirectoryObject::getOdataType)
                .containsExactlyInAnyOrder("#microsoft.graph.group", "#microsoft.graph.directoryRole");
        assertThat(memberOf).extracting(DirectoryObject::getId).contains(GROUP.toString(), TestTenant.GLOBAL_ADMIN);
    }

    @Test
    void aGroupIsCreatedWithMembersChangedRenamedAndDeleted() throws Exception {
        com.microsoft.graph.models.Group draft = new com.microsoft.graph.models.Group();
        draft.setDisplayName("Marketing");
        draft.setMailNickname("marketing");
        draft.setMailEnabled(false);
        draft.setSecurityEnabled(true);
        draft.getAdditionalData().put("members@odata.bind", List.of("https://graph.microsoft.com/v1.0/directoryObjects/"
                + TestTenant.MEGAN));
        var created = graph.groups().post(draft);
        assertThat(created.getId()).isNotBlank();
        assertThat(graph.groups().byGroupId(created.getId()).members().get().getValue()).extracting(DirectoryObject::getId)
                .containsExactly(TestTenant.MEGAN.toString());
        assertThat(graph.users().byUserId(TestTenant.MEGAN.toString()).memberOf().get().getValue())
                .extracting(DirectoryObject::getId).contains(created.getId());

        ReferenceCreate adele = new ReferenceCreate();
        adele.setOdataId("https://graph.microsoft.com/v1.0/directoryObjects/" + TestTenant.ADELE);
        graph.groups().byGroupId(created.getId()).members().ref().post(adele);
        ReferenceCreate again = new ReferenceCreate();
        again.setOdataId("https://graph.microsoft.com/v1.0/directoryObjects/" + TestTenant.ADELE);
        GraphSdk.refused(() -> graph.groups().byGroupId(created.getId()).members().ref().post(again), 400, "Request_BadRequest");
        graph.groups().byGroupId(created.getId()).members().byDirectoryObjectId(TestTenant.MEGAN.toString()).ref().delete();
        assertThat(graph.groups().byGroupId(created.getId()).members().get().getValue()).extracting(DirectoryObject::getId)
                .containsExactly(TestTenant.ADELE.toString());
        GraphSdk.refused(() -> graph.groups().byGroupId(created.getId()).members().byDirectoryObjectId(TestTenant.MEGAN.toString())
                .ref().delete(), 404, "Request_ResourceNotFound");

        com.microsoft.graph.models.Group rename = new com.microsoft.graph.models.Group();
        rename.setDisplayName("Marketing and Sales");
        graph.groups().byGroupId(created.getId()).patch(rename);
        assertThat(graph.groups().byGroupId(created.getId()).get().getDisplayName()).isEqualTo("Marketing and Sales");

        graph.groups().byGroupId(created.getId()).delete();
        GraphSdk.refused(() -> graph.groups().byGroupId(created.getId()).get(), 404, "Request_ResourceNotFound");
        assertError(http("POST", "/v1.0/groups", "{\"displayName\":\"X\",\"mailNickname\":\"x\",\"mailEnabled\":false}"),
                400, "Request_BadRequest", "'securityEnabled' of resource 'Group'");
        assertError(http("POST", "/v1.0/groups", "{\"displayName\":\"X\",\"mailNickname\":\"x\",\"mailEnabled\":false,"
                + "\"securityEnabled\":true,\"members@odata.bind\":[\"https://graph.microsoft.com/v1.0/users/" + UUID.randomUUID()
                + "\"]}"), 400, "Request_BadRequest", "Invalid object identifier");
        assertError(http("PATCH", "/v1.0/groups/" + GROUP, "{\"visibility\":\"Public\"}"), 400, "BadRequest", "visibility");
    }

    // ---- directory roles -----------------------------------------------------------------------------------------

    @Test
    void aRoleMemberIsAddedAndRemovedByReference() throws Exception {
        assertThat(graph.directoryRoles().get().getValue()).extracting(r -> r.getDisplayName()).contains("Global Administrator");
        ReferenceCreate megan = new ReferenceCreate();
        megan.setOdataId(server.baseUrl() + "/v1.0/directoryObjects/" + TestTenant.MEGAN);
        graph.directoryRoles().byDirectoryRoleId(AUTHENTICATION_ADMINISTRATOR).members().ref().post(megan);
        assertThat(graph.directoryRoles().byDirectoryRoleId(AUTHENTICATION_ADMINISTRATOR).members().get().getValue())
                .extracting(DirectoryObject::getId).containsExactly(TestTenant.MEGAN.toString());
        assertThat(server.consentry().store().roleAssignments().listByPrincipal(TestTenant.TENANT, TestTenant.MEGAN))
                .extracting(r -> r.roleDefinitionId()).contains(AUTHENTICATION_ADMINISTRATOR);
        ReferenceCreate again = new ReferenceCreate(); // the SDK's backing store sends only changed values: a new object
        again.setOdataId(server.baseUrl() + "/v1.0/directoryObjects/" + TestTenant.MEGAN);
        GraphSdk.refused(() -> graph.directoryRoles().byDirectoryRoleId(AUTHENTICATION_ADMINISTRATOR).members().ref().post(again), 400,
                "Request_BadRequest");

        graph.directoryRoles().byDirectoryRoleId(AUTHENTICATION_ADMINISTRATOR).members()
                .byDirectoryObjectId(TestTenant.MEGAN.toString()).ref().delete();
        assertThat(graph.directoryRoles().byDirectoryRoleId(AUTHENTICATION_ADMINISTRATOR).members().get().getValue()).isEmpty();
        GraphSdk.refused(() -> graph.directoryRoles().byDirectoryRoleId(AUTHENTICATION_ADMINISTRATOR).members()
                .byDirectoryObjectId(TestTenant.MEGAN.toString()).ref().delete(), 404, "Request_ResourceNotFound");
        assertError(http("POST", "/v1.0/directoryRoles/" + AUTHENTICATION_ADMINISTRATOR + "/members/$ref", "{\"@odata.id\":1}"),
                400, "BadRequest", "@odata.id");
        assertError(http("POST", "/v1.0/directoryRoles/" + UUID.randomUUID() + "/members/$ref", "{}"), 404,
                "Request_ResourceNotFound", "does not exist");
    }

    // ---- licences and sessions -------------------------------------------------------------------------------------

    /** A new body each time: the SDK's backing store sends only the values changed since an object was last sent. */
    static AssignLicensePostRequestBody licences(List<UUID> add, List<UUID> remove) {
        AssignLicensePostRequestBody body = new AssignLicensePostRequestBody();
        body.setAddLicenses(add.stream().map(id -> {
            AssignedLicense l = new AssignedLicense();
            l.setSkuId(id);
            l.setDisabledPlans(List.of());
            return l;
        }).toList());
        body.setRemoveLicenses(remove);
        return body;
    }

    @Test
    void aLicenceNeedsAUsageLocationAndASubscribedSku() throws Exception {
        var newHire = graph.users().byUserId(TestTenant.NEWHIRE.toString());
        ODataError noLocation = GraphSdk.refused(() -> newHire.assignLicense().post(licences(List.of(E3), List.of())), 400,
                "Request_BadRequest");
        assertThat(noLocation.getError().getMessage()).contains("usage location");

        User where = new User();
        where.setUsageLocation("GB");
        newHire.patch(where);
        User licensed = newHire.assignLicense().post(licences(List.of(E3), List.of()));
        assertThat(licensed.getId()).isEqualTo(TestTenant.NEWHIRE.toString());
        assertThat(graph.subscribedSkus().get().getValue()).singleElement()
                .satisfies(s -> assertThat(s.getConsumedUnits()).isEqualTo(1));

        assertThat(GraphSdk.refused(() -> newHire.assignLicense().post(licences(List.of(UUID.randomUUID()), List.of())), 400,
                "Request_BadRequest").getError().getMessage()).contains("does not correspond to a valid company License");

        newHire.assignLicense().post(licences(List.of(), List.of(E3)));
        assertThat(server.consentry().store().users().find(TestTenant.TENANT, TestTenant.NEWHIRE).orElseThrow().assignedLicenses())
                .isEmpty();
        assertThat(GraphSdk.refused(() -> newHire.assignLicense().post(licences(List.of(), List.of(E3))), 400, "Request_BadRequest")
                .getError().getMessage()).contains("does not have a corresponding license");
        assertError(http("POST", "/v1.0/users/" + TestTenant.NEWHIRE + "/assignLicense", "{\"addLicenses\":[]}"), 400,
                "BadRequest", "removeLicenses");
    }

    @Test
    void revokingSignInSessionsEndsTheRefreshTokens() throws Exception {
        HttpResponse<String> signIn = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(), "username", TestTenant.MEGAN_UPN,
                "password", TestTenant.ADELE_PASSWORD, "scope", "User.Read offline_access")));
        String refresh = JSON.readTree(signIn.body()).path("refresh_token").asText();
        assertThat(refresh).isNotBlank();

        var revoked = graph.users().byUserId(TestTenant.MEGAN.toString()).revokeSignInSessions().post();
        assertThat(revoked.getValue()).isTrue();

        HttpResponse<String> again = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "refresh_token", "client_id", TestTenant.PUBLIC_APP.toString(), "refresh_token", refresh,
                "scope", "User.Read")));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("AADSTS50173");
        // The revocation is recorded on the user, as Graph records it, for continuous access evaluation to compare.
        assertThat(server.consentry().store().users().find(TestTenant.TENANT, TestTenant.MEGAN).orElseThrow()
                .additionalProperties().get("signInSessionsValidFromDateTime")).isNotNull();
    }
}
