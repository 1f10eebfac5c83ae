package dev.consentry.server.graph;

import static dev.consentry.server.testing.GraphReplies.json;
import static dev.consentry.server.testing.GraphReplies.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph's {@code /identity/conditionalAccess/authenticationContextClassReferences} through real app tokens: a PATCH
 * creates c1 and then changes it, each audited under "Policy"; ids other than c1 to c99 and malformed bodies are 400 and
 * store nothing; a published context, or one a policy uses, is not deleted; AuthenticationContext.Read.All reads but
 * does not write.
 */
class AuthenticationContextsGraphTest {
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    static final UUID AUTHENTICATION_CONTEXT_READWRITE_ALL = UUID.fromString("a88eef72-fed0-4bf7-a2a9-f19df33f8b83");
    static final UUID AUTHENTICATION_CONTEXT_READ_ALL = UUID.fromString("381f742f-e1f8-4309-b4ab-e3d91ae4c5c1");
    static final String CONTEXTS = "/v1.0/identity/conditionalAccess/authenticationContextClassReferences";
    static final String PAYROLL = "{\"displayName\": \"Payroll\", \"description\": \"Payroll data\", \"isAvailable\": false}";

    @BeforeAll
    static void theDaemonManagesContextsAndTheWebAppOnlyReadsThem() {
        STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.DAEMON_SP, "ServicePrincipal",
                TestTenant.GRAPH_SP, AUTHENTICATION_CONTEXT_READWRITE_ALL, Instant.now(), null));
        STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.WEB_APP_SP, "ServicePrincipal",
                TestTenant.GRAPH_SP, AUTHENTICATION_CONTEXT_READ_ALL, Instant.now(), null));
    }

    static String daemon() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    @Test
    void aPatchCreatesThenChangesAContextAndEachWriteIsAudited() throws Exception {
        String token = daemon();
        HttpResponse<String> created = server.graph("PATCH", CONTEXTS + "/c1", token, PAYROLL);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(204);
        JsonNode read = json(server.graph("GET", CONTEXTS + "/c1", token, null));
        assertThat(read.path("@odata.context").asText()).endsWith("$metadata#identity/conditionalAccess/authenticationContextClassReferences/$entity");
        assertThat(read.path("id").asText()).isEqualTo("c1");
        assertThat(read.path("displayName").asText()).isEqualTo("Payroll");
        assertThat(read.path("description").asText()).isEqualTo("Payroll data");
        assertThat(read.path("isAvailable").asBoolean()).isFalse();

        assertThat(server.graph("PATCH", CONTEXTS + "/c1", token, "{\"isAvailable\": true}").statusCode()).isEqualTo(204);
        JsonNode changed = json(server.graph("GET", "/beta/identity/conditionalAccess/authenticationContextClassReferences/c1",
                token, null));
        assertThat(changed.path("isAvailable").asBoolean()).isTrue();
        assertThat(changed.path("displayName").asText()).as("kept").isEqualTo("Payroll");
        assertThat(json(server.graph("GET", CONTEXTS, token, null)).path("value")).hasSize(1);

        assertThat(server.graph("PATCH", CONTEXTS + "/c1", token, "{\"isAvailable\": false}").statusCode()).isEqualTo(204);
        assertThat(server.graph("DELETE", CONTEXTS + "/c1", token, null).statusCode()).isEqualTo(204);
        refused(server.graph("GET", CONTEXTS + "/c1", token, null), 404, "Request_ResourceNotFound");
        List<DirectoryAudit> audits = STORE.audit().recent(TestTenant.TENANT, 50).stream()
                .filter(a -> a.targetResources().stream().anyMatch(t -> "c1".equals(t.id()))).toList();
        assertThat(audits).extracting(DirectoryAudit::activityDisplayName).containsExactlyInAnyOrder(
                "Add authentication context", "Update authentication context", "Update authentication context",
                "Delete authentication context");
        assertThat(audits).allSatisfy(a -> assertThat(a.category()).isEqualTo("Policy"));
    }

    @Test
    void badIdsAndBodiesAreGraphs400AndNothingIsStored() throws Exception {
        String token = daemon();
        for (String id : List.of("c0", "c100", "x1", "c01", "payroll")) {
            JsonNode body = refused(server.graph("PATCH", CONTEXTS + "/" + id, token, PAYROLL), 400, "BadRequest");
            assertThat(body.path("error").path("message").asText()).as(id).contains("c1 to c99");
        }
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("{\"description\": \"no name\"}", "needs a displayName");
        bad.put(PAYROLL.replace("false", "\"no\""), "Cannot convert the literal 'no' to the expected type 'Edm.Boolean'.");
        bad.put(PAYROLL.replace("\"isAvailable\"", "\"level\""), "The property 'level' does not exist on type 'microsoft.graph.authenticationContextClassReference'");
        bad.put(PAYROLL.replace("{", "{\"id\": \"c3\", "), "must be the id in the path");
        bad.put(PAYROLL.replace("\"Payroll\"", "7"), "Cannot convert the literal '7' to the expected type 'Edm.String'.");
        for (var e : bad.entrySet()) {
            JsonNode body = refused(server.graph("PATCH", CONTEXTS + "/c2", token, e.getKey()), 400, "BadRequest");
            assertThat(body.path("error").path("message").asText()).as(e.getKey()).contains(e.getValue());
        }
        refused(server.graph("PATCH", CONTEXTS + "/c2", token, "[]"), 400, "BadRequest");
        assertThat(STORE.authenticationContexts().list(TestTenant.TENANT)).isEmpty();
        refused(server.graph("GET", CONTEXTS + "/c2", token, null), 404, "Request_ResourceNotFound");
        refused(server.graph("DELETE", CONTEXTS + "/c2", token, null), 404, "Request_ResourceNotFound");
    }

    @Test
    void aPublishedContextOrOneAPolicyUsesIsNotDeleted() throws Exception {
        String token = daemon();
        server.graph("PATCH", CONTEXTS + "/c7", token, PAYROLL.replace("false", "true"));
        refused(server.graph("DELETE", CONTEXTS + "/c7", token, null), 403, "Forbidden");
        assertThat(STORE.authenticationContexts().find(TestTenant.TENANT, "c7")).isPresent();

        server.graph("PATCH", CONTEXTS + "/c7", token, "{\"isAvailable\": false}");
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("payroll-mfa", "MFA for payroll",
                "enabled", Map.of("users", Map.of("includeUsers", List.of("All")), "applications",
                        Map.of("includeAuthenticationContextClassReferences", List.of("c7"))),
                Map.of("operator", "OR", "builtInControls", List.of("mfa")), Map.of(), null));
        try {
            JsonNode body = refused(server.graph("DELETE", CONTEXTS + "/c7", token, null), 400, "BadRequest");
            assertThat(body.path("error").path("message").asText()).contains("'MFA for payroll' (payroll-mfa)");
            assertThat(STORE.authenticationContexts().find(TestTenant.TENANT, "c7")).isPresent();
        } finally {
            STORE.conditionalAccessPolicies().delete(TestTenant.TENANT, "payroll-mfa");
        }
        assertThat(server.graph("DELETE", CONTEXTS + "/c7", token, null).statusCode()).isEqualTo(204);
    }

    @Test
    void authenticationContextReadAllReadsButDoesNotWrite() throws Exception {
        server.graph("PATCH", CONTEXTS + "/c9", daemon(), PAYROLL);
        String reader = server.appToken(TestTenant.TENANT.toString(), TestTenant.WEB_APP.toString(), TestTenant.WEB_SECRET);
        assertThat(json(server.graph("GET", CONTEXTS, reader, null)).path("value")).hasSize(1);
        refused(server.graph("PATCH", CONTEXTS + "/c9", reader, "{\"displayName\": \"x\"}"), 403, "Authorization_RequestDenied");
        refused(server.graph("PATCH", CONTEXTS + "/c10", reader, PAYROLL), 403, "Authorization_RequestDenied");
        refused(server.graph("DELETE", CONTEXTS + "/c9", reader, null), 403, "Authorization_RequestDenied");
        assertThat(STORE.authenticationContexts().find(TestTenant.TENANT, "c9").orElseThrow().displayName()).isEqualTo("Payroll");
        assertThat(STORE.authenticationContexts().find(TestTenant.TENANT, "c10")).isEmpty();
        server.graph("DELETE", CONTEXTS + "/c9", daemon(), null);
    }
}
