package dev.consentry.server.graph;

import static dev.consentry.server.testing.GraphReplies.json;
import static dev.consentry.server.testing.GraphReplies.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.models.DirectoryObject;
import com.microsoft.graph.models.ReferenceCreate;
import com.microsoft.graph.models.User;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.ApiApplication;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.PasswordCredential;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.Proofs;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The owners of applications and service principals through real clients: the Graph Java SDK adds, lists and removes
 * them with {@code $ref}; every refusal of the three routes, with Graph's status and code and nothing stored.
 */
class AppManagementOwnersTest {
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());

    /** An administration app holding Application.ReadWrite.All and Directory.Read.All (which adding an owner needs). */
    static final AppId ADMIN = AppId.of("e0e0e0e0-1111-4222-8333-444444444444");
    static final ObjectId ADMIN_SP = ObjectId.of("e0e0e0e0-1111-4222-8333-000000000001");
    static final String SECRET = "owners~secret.value_345";
    static final UUID APPLICATION_READWRITE_ALL = UUID.fromString("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9");
    static final UUID DIRECTORY_READ_ALL = UUID.fromString("7ab1d382-f21e-4acd-a863-ba3e13f7da61");
    /** An app holding only Application.ReadWrite.OwnedBy. */
    static final AppId OWNED_BY = AppId.of("e0e0e0e0-1111-4222-8333-666666666666");
    static final ObjectId OWNED_BY_SP = ObjectId.of("e0e0e0e0-1111-4222-8333-000000000003");
    static final UUID APPLICATION_READWRITE_OWNEDBY = UUID.fromString("18a4783c-866b-4cc7-a460-3d5e5662c884");
    static final ObjectMapper JSON = new ObjectMapper();
    static final SecretHasher FAST = new SecretHasher(1_000);

    @BeforeAll
    static void registerTheAdministrationApp() {
        register(ADMIN, ADMIN_SP, "Owners Admin", APPLICATION_READWRITE_ALL, DIRECTORY_READ_ALL);
        register(OWNED_BY, OWNED_BY_SP, "Owners OwnedBy", APPLICATION_READWRITE_OWNEDBY);
    }

    /** An application with a service principal, a secret ({@link #SECRET}) and the Graph app roles {@code roles}. */
    static void register(AppId appId, ObjectId spId, String name, UUID... roles) {
        STORE.applications().save(TestTenant.TENANT, new dev.consentry.core.directory.Application(ObjectId.random(), appId,
                name, "AzureADMyOrg", List.of(), ApiApplication.NONE, List.of(), List.of(new PasswordCredential(
                        UUID.randomUUID(), "secret", "own", null, FAST.hash(SECRET), null, null, null)), List.of(), List.of(),
                null, null, null, null, null));
        STORE.servicePrincipals().save(TestTenant.TENANT, new ServicePrincipal(spId, appId, name, true, "Application",
                TestTenant.TENANT, false, List.of(appId.toString()), List.of(), List.of(), null));
        for (UUID role : roles) {
            STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, spId, "ServicePrincipal",
                    TestTenant.GRAPH_SP, role, Instant.now(), null));
        }
    }

    static String token(String clientId) {
        return server.appToken(TestTenant.TENANT.toString(), clientId, SECRET);
    }

    static String adminToken() {
        return token(ADMIN.toString());
    }

    static HttpResponse<String> call(String method, String path, String token, String body) {
        return server.graph(method, path, token, body);
    }


    static String ref(Object id) {
        return "{\"@odata.id\": \"https://graph.microsoft.com/v1.0/directoryObjects/" + id + "\"}";
    }

    static List<ObjectId> appOwners(String objectId) {
        return STORE.applications().find(TestTenant.TENANT, ObjectId.of(objectId)).orElseThrow().owners();
    }

    static List<ObjectId> spOwners(String objectId) {
        return STORE.servicePrincipals().find(TestTenant.TENANT, ObjectId.of(objectId)).orElseThrow().owners();
    }

    // ---- the owners routes -----------------------------------------------------------------------------------------

    @Test
    void theSdkAddsListsAndRemovesOwnersOfAnApplicationAndAServicePrincipal() throws Exception {
        String admin = adminToken();
        String[] ids = AppManagementTest.registered(server, admin, "Owned app");
        GraphServiceClient graph = GraphSdk.client(server, AppManagementOwnersTest::adminToken);

        ReferenceCreate megan = new ReferenceCreate();
        megan.setOdataId("https://graph.microsoft.com/v1.0/directoryObjects/" + TestTenant.MEGAN);
        graph.applications().byApplicationId(ids[0]).owners().ref().post(megan);
        ReferenceCreate itself = new ReferenceCreate();
        itself.setOdataId("https://graph.microsoft.com/v1.0/directoryObjects/" + ids[2]);
        graph.applications().byApplicationId(ids[0]).owners().ref().post(itself); // its own service principal
        List<DirectoryObject> owners = graph.applications().byApplicationId(ids[0]).owners().get().getValue();
        assertThat(owners).extracting(DirectoryObject::getId).containsExactly(TestTenant.MEGAN.toString(), ids[2]);
        assertThat(owners.get(0)).isInstanceOfSatisfying(User.class,
                u -> assertThat(u.getUserPrincipalName()).isEqualTo(TestTenant.MEGAN_UPN));
        assertThat(owners.get(1)).isInstanceOf(com.microsoft.graph.models.ServicePrincipal.class);

        ReferenceCreate adele = new ReferenceCreate();
        adele.setOdataId("https://graph.microsoft.com/v1.0/directoryObjects/" + TestTenant.ADELE);
        graph.servicePrincipals().byServicePrincipalId(ids[2]).owners().ref().post(adele);
        assertThat(graph.servicePrincipals().byServicePrincipalId(ids[2]).owners().get().getValue())
                .extracting(DirectoryObject::getId).containsExactly(TestTenant.ADELE.toString());

        graph.applications().byApplicationId(ids[0]).owners().byDirectoryObjectId(TestTenant.MEGAN.toString()).ref().delete();
        assertThat(appOwners(ids[0])).extracting(Object::toString).containsExactly(ids[2]);
        graph.servicePrincipals().byServicePrincipalId(ids[2]).owners().byDirectoryObjectId(TestTenant.ADELE.toString()).ref()
                .delete();
        assertThat(spOwners(ids[2])).isEmpty();

        // By appId too, as Graph addresses both.
        assertThat(call("POST", "/v1.0/applications(appId='" + ids[1] + "')/owners/$ref", admin, ref(TestTenant.ADELE))
                .statusCode()).isEqualTo(204);
        assertThat(json(call("GET", "/v1.0/applications(appId='" + ids[1] + "')/owners", admin, null)).path("value")
                .findValuesAsText("id")).containsExactly(ids[2], TestTenant.ADELE.toString());
        assertThat(call("DELETE", "/v1.0/servicePrincipals(appId='" + ids[1] + "')/owners/" + TestTenant.ADELE + "/$ref", admin,
                null).statusCode()).as("not an owner of the principal").isEqualTo(404);

        List<String> log = STORE.audit().recent(TestTenant.TENANT, 200).stream()
                .filter(e -> e.targetResources().stream().anyMatch(t -> ids[0].equals(t.id()) || ids[2].equals(t.id())))
                .map(DirectoryAudit::activityDisplayName).toList();
        assertThat(log).contains("Add owner to application", "Remove owner from application", "Add owner to service principal",
                "Remove owner from service principal");
    }

    @Test
    void ownerChangesAreRefusedForUnknownObjectsGroupsRepeatsAndBadBodies() throws Exception {
        String admin = adminToken();
        String[] ids = AppManagementTest.registered(server, admin, "Owner refusals");
        String owners = "/v1.0/applications/" + ids[0] + "/owners";
        refused(call("POST", owners + "/$ref", admin, ref(UUID.randomUUID())), 404, "Request_ResourceNotFound");
        refused(call("POST", owners + "/$ref", admin, "{\"@odata.id\": \"nope\"}"), 400, "BadRequest");
        refused(call("POST", owners + "/$ref", admin, "[]"), 400, "BadRequest");
        ObjectId group = ObjectId.random();
        STORE.groups().save(TestTenant.TENANT, new dev.consentry.core.directory.Group(group, "Owners?", true, false, List.of(),
                List.of(), null));
        refused(call("POST", owners + "/$ref", admin, ref(group)), 400, "Request_BadRequest");
        assertThat(appOwners(ids[0])).isEmpty();

        assertThat(call("POST", owners + "/$ref", admin, ref(TestTenant.MEGAN)).statusCode()).isEqualTo(204);
        JsonNode again = refused(call("POST", owners + "/$ref", admin, ref(TestTenant.MEGAN)), 400, "Request_BadRequest");
        assertThat(again.path("error").path("message").asText()).contains("already exist");
        refused(call("DELETE", owners + "/" + TestTenant.ADELE + "/$ref", admin, null), 404, "Request_ResourceNotFound");
        refused(call("DELETE", owners + "/not-an-id/$ref", admin, null), 404, "Request_ResourceNotFound");
        refused(call("POST", "/v1.0/applications/" + UUID.randomUUID() + "/owners/$ref", admin, ref(TestTenant.MEGAN)), 404,
                "Request_ResourceNotFound");
        refused(call("GET", "/v1.0/servicePrincipals/" + UUID.randomUUID() + "/owners", admin, null), 404,
                "Request_ResourceNotFound");
        refused(call("DELETE", "/v1.0/servicePrincipals/" + UUID.randomUUID() + "/owners/" + TestTenant.MEGAN + "/$ref", admin,
                null), 404, "Request_ResourceNotFound");
        assertThat(appOwners(ids[0])).containsExactly(TestTenant.MEGAN);
    }

    @Test
    void addingAnOwnerAlsoNeedsDirectoryReadAllAsGraphsPermissionTableSays() throws Exception {
        AppId writer = AppId.of("e0e0e0e0-1111-4222-8333-555555555555");
        ObjectId writerSp = ObjectId.of("e0e0e0e0-1111-4222-8333-000000000002");
        register(writer, writerSp, "Writer without Directory.Read.All", APPLICATION_READWRITE_ALL);
        String token = token(writer.toString());
        String[] ids = AppManagementTest.registered(server, token, "Writer's app");
        HttpResponse<String> add = call("POST", "/v1.0/applications/" + ids[0] + "/owners/$ref", token, ref(TestTenant.MEGAN));
        refused(add, 403, "Authorization_RequestDenied");
        JsonNode why = json(server.get("/consentry/diagnostics/" + add.headers().firstValue("request-id").orElseThrow()));
        assertThat(why.path("steps").toString()).as(why.toString()).contains("Directory.Read.All");
        assertThat(appOwners(ids[0])).isEmpty();
        assertThat(call("GET", "/v1.0/applications/" + ids[0] + "/owners", token, null).statusCode()).isEqualTo(200);
    }

    // ---- what owners may do ----------------------------------------------------------------------------------------

    /** A delegated token of {@code upn} (through the desktop app) whose {@code scp} is {@code scopes}. */
    static String delegated(String upn, String scopes) throws Exception {
        return server.resigned(server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), upn,
                TestTenant.ADELE_PASSWORD, Set.of("User.Read")), c -> c.claim("scp", scopes));
    }

    @Test
    void aUserWhoOwnsAnAppOrPrincipalManagesItWithoutARoleAndOnlyWhileAnOwner() throws Exception {
        String admin = adminToken();
        String megan = delegated(TestTenant.MEGAN_UPN, "Application.ReadWrite.All Directory.Read.All"); // no directory role
        String[] ids = AppManagementTest.registered(server, admin, "Megan will own this");
        String app = "/v1.0/applications/" + ids[0];
        String sp = "/v1.0/servicePrincipals/" + ids[2];
        HttpResponse<String> before = call("PATCH", app, megan, "{\"displayName\": \"not yet\"}");
        refused(before, 403, "Authorization_RequestDenied");
        assertThat(json(server.get("/consentry/diagnostics/" + before.headers().firstValue("request-id").orElseThrow()))
                .path("cause").asText()).isEqualTo("user-role-missing");

        assertThat(call("POST", app + "/owners/$ref", admin, ref(TestTenant.MEGAN)).statusCode()).isEqualTo(204);
        assertThat(call("POST", sp + "/owners/$ref", admin, ref(TestTenant.MEGAN)).statusCode()).isEqualTo(204);
        assertThat(call("PATCH", app, megan, "{\"displayName\": \"Megan's now\"}").statusCode()).isEqualTo(204);
        assertThat(call("POST", app + "/addPassword", megan, "{}").statusCode()).isEqualTo(200);
        assertThat(call("PATCH", sp, megan, "{\"appRoleAssignmentRequired\": true}").statusCode()).isEqualTo(204);
        assertThat(call("POST", app + "/owners/$ref", megan, ref(TestTenant.ADELE)).statusCode()).as("an owner adds owners")
                .isEqualTo(204);

        assertThat(call("DELETE", sp + "/owners/" + TestTenant.MEGAN + "/$ref", megan, null).statusCode()).isEqualTo(204);
        refused(call("PATCH", sp, megan, "{\"appRoleAssignmentRequired\": false}"), 403, "Authorization_RequestDenied");
        assertThat(STORE.servicePrincipals().find(TestTenant.TENANT, ObjectId.of(ids[2])).orElseThrow().appRoleAssignmentRequired())
                .isTrue();
        assertThat(call("PATCH", app, megan, "{\"displayName\": \"still hers\"}").statusCode())
                .as("the application's owners are its own").isEqualTo(204);
    }

    @Test
    void ownedByRollsTheKeysOfWhatItOwnsAndIsRefusedWithGraphsShapeElsewhere() throws Exception {
        String admin = adminToken();
        String ownedBy = token(OWNED_BY.toString());
        var keys = dev.consentry.identity.key.Certificates.rsaKeyPair(2048);
        var cert = dev.consentry.identity.key.CertificateIssuer.selfSigned(keys, "owned", Instant.now().minusSeconds(3600),
                java.time.Duration.ofDays(30));
        String[] mine = AppManagementTest.registered(server, admin, "Owned by the OwnedBy app");
        String[] theirs = AppManagementTest.registered(server, admin, "Not owned by it");
        for (String[] ids : List.of(mine, theirs)) {
            String patch = "{\"keyCredentials\": [{\"type\": \"AsymmetricX509Cert\", \"usage\": \"Verify\", \"key\": \""
                    + dev.consentry.identity.key.Certificates.toBase64Der(cert) + "\"}]}";
            assertThat(call("PATCH", "/v1.0/applications/" + ids[0], admin, patch).statusCode()).isEqualTo(204);
        }
        assertThat(call("POST", "/v1.0/applications/" + mine[0] + "/owners/$ref", admin, ref(OWNED_BY_SP)).statusCode())
                .isEqualTo(204);

        String body = "{\"keyCredential\": {\"type\": \"AsymmetricX509Cert\", \"usage\": \"Verify\", \"key\": \""
                + dev.consentry.identity.key.Certificates.toBase64Der(cert) + "\"}, \"proof\": \"%s\"}";
        HttpResponse<String> added = call("POST", "/v1.0/applications/" + mine[0] + "/addKey", ownedBy,
                body.formatted(Proofs.of(Clock.systemUTC(), keys, mine[0])));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);

        HttpResponse<String> elsewhere = call("POST", "/v1.0/applications/" + theirs[0] + "/addKey", ownedBy,
                body.formatted(Proofs.of(Clock.systemUTC(), keys, theirs[0])));
        JsonNode error = refused(elsewhere, 403, "Authorization_RequestDenied").path("error");
        assertThat(error.path("message").asText()).isEqualTo("Insufficient privileges to complete the operation.");
        assertThat(error.path("innerError").path("request-id").asText())
                .isEqualTo(elsewhere.headers().firstValue("request-id").orElseThrow());
        assertThat(error.path("innerError").path("date").asText()).isNotBlank();
        JsonNode why = json(server.get("/consentry/diagnostics/" + elsewhere.headers().firstValue("request-id").orElseThrow()));
        assertThat(why.path("cause").asText()).isEqualTo("app-not-owned");
        assertThat(why.path("fix").asText()).contains(OWNED_BY_SP.toString()).contains("/owners/$ref");
        assertThat(STORE.applications().find(TestTenant.TENANT, ObjectId.of(theirs[0])).orElseThrow().keyCredentials()).hasSize(1);
        refused(call("POST", "/v1.0/servicePrincipals/" + theirs[2] + "/owners/$ref", ownedBy, ref(OWNED_BY_SP)), 403,
                "Authorization_RequestDenied"); // nor may it make itself an owner
        assertThat(STORE.servicePrincipals().find(TestTenant.TENANT, ObjectId.of(theirs[2])).orElseThrow().owners()).isEmpty();
    }
}
