package dev.consentry.server.graph;

import static dev.consentry.server.testing.GraphReplies.json;
import static dev.consentry.server.testing.GraphReplies.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph's {@code /identity/conditionalAccess/policies} through a real app token: create, read, change and delete a
 * policy, each authorized by Graph's permissions; every malformed or inconsistent policy (no users, no resources, an
 * unknown control, block with another control, a user the tenant does not have, a property Graph does not define) is
 * Graph's 400, and nothing is stored.
 */
class ConditionalAccessPoliciesTest {
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, java.time.Clock.systemUTC());
    static final UUID POLICY_READ_ALL = UUID.fromString("246dd0d5-5bd0-4def-940b-0421030a5b68");
    static final UUID POLICY_READWRITE_CONDITIONAL_ACCESS = UUID.fromString("01c0a623-fc9b-48e9-b794-0756f8e8f067");
    static final UUID APPLICATION_READ_ALL = UUID.fromString("9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30");
    static final String POLICIES = "/v1.0/identity/conditionalAccess/policies";

    @BeforeAll
    static void theDaemonMayManagePolicies() {
        for (UUID role : List.of(POLICY_READ_ALL, POLICY_READWRITE_CONDITIONAL_ACCESS, APPLICATION_READ_ALL)) {
            STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.DAEMON_SP,
                    "ServicePrincipal", TestTenant.GRAPH_SP, role, Instant.now(), null));
        }
    }

    static String token() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    static final String MFA_FOR_MEGAN = "{\"displayName\": \"MFA for Megan\", \"state\": \"enabledForReportingButNotEnforced\","
            + " \"conditions\": {\"users\": {\"includeUsers\": [\"" + TestTenant.MEGAN + "\"]}, \"applications\": "
            + "{\"includeApplications\": [\"00000003-0000-0000-c000-000000000000\"]}, \"clientAppTypes\": [\"all\"]},"
            + " \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}";

    @Test
    void aPolicyIsCreatedReadChangedAndDeleted() throws Exception {
        String token = token();
        HttpResponse<String> created = server.graph("POST", POLICIES, token, MFA_FOR_MEGAN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode policy = json(created);
        String id = policy.path("id").asText();
        assertThat(policy.path("@odata.context").asText()).endsWith("$metadata#identity/conditionalAccess/policies/$entity");
        assertThat(policy.path("state").asText()).isEqualTo("enabledForReportingButNotEnforced");
        assertThat(policy.path("createdDateTime").asText()).isNotEmpty();
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/identity/conditionalAccess/policies/" + id);
        assertThat(STORE.conditionalAccessPolicies().find(TestTenant.TENANT, id)).isPresent();

        HttpResponse<String> patched = server.graph("PATCH", POLICIES + "/" + id, token, "{\"state\": \"enabled\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        JsonNode read = json(server.graph("GET", POLICIES + "/" + id, token, null));
        assertThat(read.path("state").asText()).isEqualTo("enabled");
        assertThat(read.path("displayName").asText()).isEqualTo("MFA for Megan");
        assertThat(read.path("grantControls").path("builtInControls").get(0).asText()).isEqualTo("mfa");
        assertThat(json(server.graph("GET", POLICIES, token, null)).path("value")).hasSize(1);

        assertThat(server.graph("DELETE", POLICIES + "/" + id, token, null).statusCode()).isEqualTo(204);
        refused(server.graph("GET", POLICIES + "/" + id, token, null), 404, "Request_ResourceNotFound");
        assertThat(STORE.conditionalAccessPolicies().list(TestTenant.TENANT)).isEmpty();
        assertThat(STORE.audit().recent(TestTenant.TENANT, 50).stream()
                .filter(a -> a.targetResources().stream().anyMatch(t -> id.equals(t.id()))).toList())
                .hasSize(3).allSatisfy(a -> assertThat(a.category()).isEqualTo("Policy"));
    }

    @Test
    void badPoliciesAreGraphs400AndNothingIsStored() throws Exception {
        String token = token();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(MFA_FOR_MEGAN.replace("\"includeUsers\": [\"" + TestTenant.MEGAN + "\"]", "\"includeUsers\": []"),
                "conditions.users: the policy includes no one");
        bad.put(MFA_FOR_MEGAN.replace("[\"00000003-0000-0000-c000-000000000000\"]", "[]"),
                "conditions.applications: the policy includes no resource");
        bad.put(MFA_FOR_MEGAN.replace("[\"mfa\"]", "[\"mfa\", \"block\"]"), "block cannot be combined");
        bad.put(MFA_FOR_MEGAN.replace("[\"mfa\"]", "[\"sms\"]"), "Cannot convert the literal 'sms' to the expected type 'microsoft.graph.conditionalAccessGrantControl'.");
        bad.put(MFA_FOR_MEGAN.replace(TestTenant.MEGAN.toString(), "0a0a0a0a-0000-4000-8000-00000000dead"),
                "no user of the tenant has the id");
        bad.put(MFA_FOR_MEGAN.replace("\"enabledForReportingButNotEnforced\"", "\"on\""), "Cannot convert the literal 'on' to the expected type 'microsoft.graph.conditionalAccessPolicyState'.");
        bad.put(MFA_FOR_MEGAN.replace("\"OR\"", "\"XOR\""), "the operator is OR or AND");
        bad.put(MFA_FOR_MEGAN.replace("[\"all\"]", "[\"desktop\"]"), "Cannot convert the literal 'desktop' to the expected type 'microsoft.graph.conditionalAccessClientApp'.");
        bad.put(MFA_FOR_MEGAN.replace("\"displayName\": \"MFA for Megan\",", "\"displayName\": \"x\", \"priority\": 1,"),
                "The property 'priority' does not exist on type 'microsoft.graph.conditionalAccessPolicy'");
        bad.put(MFA_FOR_MEGAN.replace("\"displayName\": \"MFA for Megan\",", ""), "a policy needs a displayName");
        bad.put("{\"displayName\": \"x\", \"state\": \"enabled\", \"conditions\": []}", "An unexpected 'StartArray' node was found when reading from the JSON reader. A 'StartObject' node was expected.");
        for (var e : bad.entrySet()) {
            JsonNode body = refused(server.graph("POST", POLICIES, token, e.getKey()), 400, "BadRequest");
            assertThat(body.path("error").path("message").asText()).as(e.getKey()).contains(e.getValue());
        }
        refused(server.graph("POST", POLICIES, token, "[1]"), 400, "BadRequest");
        assertThat(STORE.conditionalAccessPolicies().list(TestTenant.TENANT)).isEmpty();

        String id = json(server.graph("POST", POLICIES, token, MFA_FOR_MEGAN)).path("id").asText();
        refused(server.graph("PATCH", POLICIES + "/" + id, token, "{\"grantControls\": {\"builtInControls\": [\"nope\"]}}"),
                400, "BadRequest");
        assertThat(STORE.conditionalAccessPolicies().find(TestTenant.TENANT, id).orElseThrow().grantControls()
                .get("builtInControls")).isEqualTo(List.of("mfa"));
        refused(server.graph("PATCH", POLICIES + "/nope", token, "{\"state\": \"enabled\"}"), 404, "Request_ResourceNotFound");
        server.graph("DELETE", POLICIES + "/" + id, token, null);
    }

    @Test
    void readingNeedsPolicyReadAllAndWritingItsWritePermission() throws Exception {
        String webToken = server.appToken(TestTenant.TENANT.toString(), TestTenant.WEB_APP.toString(), TestTenant.WEB_SECRET);
        refused(server.graph("GET", POLICIES, webToken, null), 403, "Authorization_RequestDenied");
        refused(server.graph("POST", POLICIES, webToken, MFA_FOR_MEGAN), 403, "Authorization_RequestDenied");
        assertThat(STORE.conditionalAccessPolicies().list(TestTenant.TENANT)).isEmpty();
    }
}
