package dev.consentry.server.graph;

import static dev.consentry.server.testing.GraphReplies.json;
import static dev.consentry.server.testing.GraphReplies.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.OAuth2PermissionGrant;
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
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph's {@code /identity/conditionalAccess/namedLocations} through real tokens on a real socket: an IP location is
 * created, read (v1.0 and beta), changed and deleted, each write audited under "Policy"; a malformed body is Graph's 400
 * and stores nothing; a location a policy uses is not deleted; Policy.Read.All alone reads but does not write; a
 * delegated write needs a conditional access role of the signed-in user.
 */
class NamedLocationsGraphTest {
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    static final UUID POLICY_READ_ALL = UUID.fromString("246dd0d5-5bd0-4def-940b-0421030a5b68");
    static final UUID POLICY_READWRITE_CONDITIONAL_ACCESS = UUID.fromString("01c0a623-fc9b-48e9-b794-0756f8e8f067");
    static final String LOCATIONS = "/v1.0/identity/conditionalAccess/namedLocations";
    static final String OFFICE = "{\"@odata.type\": \"#microsoft.graph.ipNamedLocation\", \"displayName\": \"Office\","
            + " \"isTrusted\": true, \"ipRanges\": [{\"@odata.type\": \"#microsoft.graph.iPv4CidrRange\", \"cidrAddress\":"
            + " \"203.0.113.0/24\"}, {\"@odata.type\": \"#microsoft.graph.iPv6CidrRange\", \"cidrAddress\": \"2001:db8::/48\"}]}";

    @BeforeAll
    static void theDaemonManagesLocationsAndTheWebAppOnlyReadsThem() {
        for (UUID role : List.of(POLICY_READ_ALL, POLICY_READWRITE_CONDITIONAL_ACCESS)) {
            STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.DAEMON_SP,
                    "ServicePrincipal", TestTenant.GRAPH_SP, role, Instant.now(), null));
        }
        STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.WEB_APP_SP,
                "ServicePrincipal", TestTenant.GRAPH_SP, POLICY_READ_ALL, Instant.now(), null));
        OAuth2PermissionGrant g = STORE.permissionGrants().list(TestTenant.TENANT).stream()
                .filter(x -> x.id().equals("grant-desktop-graph")).findFirst().orElseThrow();
        STORE.permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant(g.id(), g.clientId(), g.consentType(),
                g.principalId(), g.resourceId(), "User.Read Policy.Read.All Policy.ReadWrite.ConditionalAccess",
                g.createdDateTime(), null));
    }

    static String daemon() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    static String user(String upn) {
        return server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), upn, TestTenant.ADELE_PASSWORD,
                Set.of("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"));
    }

    static String create(String token) throws Exception {
        HttpResponse<String> created = server.graph("POST", LOCATIONS, token, OFFICE);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    @Test
    void anIpLocationIsCreatedReadChangedAndDeletedAndEachWriteIsAudited() throws Exception {
        String token = daemon();
        HttpResponse<String> created = server.graph("POST", LOCATIONS, token, OFFICE);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode location = json(created);
        String id = location.path("id").asText();
        assertThat(location.path("@odata.context").asText()).endsWith("$metadata#identity/conditionalAccess/namedLocations/$entity");
        assertThat(location.path("@odata.type").asText()).isEqualTo("#microsoft.graph.ipNamedLocation");
        assertThat(location.path("isTrusted").asBoolean()).isTrue();
        assertThat(location.path("createdDateTime").asText()).isNotEmpty().isEqualTo(location.path("modifiedDateTime").asText());
        assertThat(location.path("ipRanges").get(1).path("cidrAddress").asText()).isEqualTo("2001:db8::/48");
        assertThat(created.headers().firstValue("Location").orElseThrow())
                .endsWith("/v1.0/identity/conditionalAccess/namedLocations/" + id);
        assertThat(STORE.namedLocations().find(TestTenant.TENANT, id).orElseThrow().contains(
                java.net.InetAddress.getByName("203.0.113.9"))).isTrue();

        HttpResponse<String> patched = server.graph("PATCH", LOCATIONS + "/" + id, token,
                "{\"@odata.type\": \"#microsoft.graph.ipNamedLocation\", \"displayName\": \"Head office\", \"isTrusted\": false}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        JsonNode read = json(server.graph("GET", "/beta/identity/conditionalAccess/namedLocations/" + id, token, null));
        assertThat(read.path("displayName").asText()).isEqualTo("Head office");
        assertThat(read.path("isTrusted").asBoolean()).isFalse();
        assertThat(read.path("ipRanges")).hasSize(2);
        assertThat(read.path("@odata.context").asText()).startsWith("https://graph.microsoft.com/beta/$metadata#");
        JsonNode list = json(server.graph("GET", LOCATIONS, token, null));
        assertThat(list.path("value")).hasSize(1);
        assertThat(list.path("value").get(0).path("displayName").asText()).isEqualTo("Head office");

        assertThat(server.graph("DELETE", LOCATIONS + "/" + id, token, null).statusCode()).isEqualTo(204);
        refused(server.graph("GET", LOCATIONS + "/" + id, token, null), 404, "Request_ResourceNotFound");
        assertThat(STORE.namedLocations().list(TestTenant.TENANT)).isEmpty();
        List<DirectoryAudit> audits = STORE.audit().recent(TestTenant.TENANT, 50).stream()
                .filter(a -> a.targetResources().stream().anyMatch(t -> id.equals(t.id()))).toList();
        assertThat(audits).extracting(DirectoryAudit::activityDisplayName)
                .containsExactlyInAnyOrder("Add named location", "Update named location", "Delete named location");
        assertThat(audits).allSatisfy(a -> assertThat(a.category()).isEqualTo("Policy"));
        assertThat(audits.get(0).initiatedBy().id()).isEqualTo(TestTenant.DAEMON.toString());
    }

    @Test
    void badBodiesAreGraphs400AndNothingIsStored() throws Exception {
        String token = daemon();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(OFFICE.replace("\"displayName\": \"Office\",", ""), "needs a displayName");
        bad.put(OFFICE.replace("203.0.113.0/24", "203.0.113.0/33"), "ipRanges[0].cidrAddress");
        bad.put(OFFICE.replace("203.0.113.0/24", "office.example/24"), "ipRanges[0].cidrAddress");
        bad.put(OFFICE.replace("203.0.113.0/24", "2001:db8:1::/48"), "is not an IPv4 range");
        bad.put(OFFICE.replace("\"isTrusted\": true,", "\"isTrusted\": true, \"priority\": 1,"), "The property 'priority' does not exist on type 'microsoft.graph.ipNamedLocation'");
        bad.put(OFFICE.replace("\"isTrusted\": true,", "\"id\": \"mine\","), "Property 'id' does not exist");
        bad.put(OFFICE.replace("\"isTrusted\": true", "\"isTrusted\": \"yes\""), "Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
        bad.put(OFFICE.replace("iPv4CidrRange", "iPv5CidrRange"), "ipRanges[0].@odata.type");
        bad.put("{\"@odata.type\": \"#microsoft.graph.ipNamedLocation\", \"displayName\": \"x\", \"ipRanges\": []}",
                "at least one entry in ipRanges");
        bad.put(OFFICE.replace("\"@odata.type\": \"#microsoft.graph.ipNamedLocation\",", ""), "states its @odata.type");
        bad.put("{\"@odata.type\": \"#microsoft.graph.countryNamedLocation\", \"displayName\": \"Nordics\", "
                + "\"countriesAndRegions\": [\"NO\", \"SE\"]}", "does not build country named locations");
        for (var e : bad.entrySet()) {
            JsonNode body = refused(server.graph("POST", LOCATIONS, token, e.getKey()), 400, "BadRequest");
            assertThat(body.path("error").path("message").asText()).as(e.getKey()).contains(e.getValue());
        }
        refused(server.graph("POST", LOCATIONS, token, "[1]"), 400, "BadRequest");
        assertThat(STORE.namedLocations().list(TestTenant.TENANT)).isEmpty();

        String id = create(token);
        refused(server.graph("PATCH", LOCATIONS + "/" + id, token, "{\"ipRanges\": [{\"@odata.type\": "
                + "\"#microsoft.graph.iPv4CidrRange\", \"cidrAddress\": \"10.0.0.1\"}]}"), 400, "BadRequest");
        refused(server.graph("PATCH", LOCATIONS + "/" + id, token, "{\"displayName\": \"\"}"), 400, "BadRequest");
        assertThat(STORE.namedLocations().find(TestTenant.TENANT, id).orElseThrow().displayName()).isEqualTo("Office");
        assertThat(STORE.namedLocations().find(TestTenant.TENANT, id).orElseThrow().ipRanges()).hasSize(2);
        refused(server.graph("PATCH", LOCATIONS + "/nope", token, "{\"displayName\": \"x\"}"), 404, "Request_ResourceNotFound");
        refused(server.graph("DELETE", LOCATIONS + "/nope", token, null), 404, "Request_ResourceNotFound");
        server.graph("DELETE", LOCATIONS + "/" + id, token, null);
    }

    @Test
    void aLocationAPolicyUsesIsNotDeleted() throws Exception {
        String token = daemon();
        String id = create(token);
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("block-outside", "Block outside",
                "enabled", Map.of("users", Map.of("includeUsers", List.of("All")), "applications",
                        Map.of("includeApplications", List.of("All")), "locations",
                        Map.of("includeLocations", List.of("All"), "excludeLocations", List.of(id))),
                Map.of("operator", "OR", "builtInControls", List.of("block")), Map.of(), null));
        try {
            JsonNode body = refused(server.graph("DELETE", LOCATIONS + "/" + id, token, null), 400, "BadRequest");
            assertThat(body.path("error").path("message").asText()).contains("'Block outside' (block-outside)");
            assertThat(STORE.namedLocations().find(TestTenant.TENANT, id)).isPresent();
        } finally {
            STORE.conditionalAccessPolicies().delete(TestTenant.TENANT, "block-outside");
        }
        assertThat(server.graph("DELETE", LOCATIONS + "/" + id, token, null).statusCode()).isEqualTo(204);
    }

    @Test
    void policyReadAllAloneReadsButDoesNotWrite() throws Exception {
        String id = create(daemon());
        String reader = server.appToken(TestTenant.TENANT.toString(), TestTenant.WEB_APP.toString(), TestTenant.WEB_SECRET);
        assertThat(server.graph("GET", LOCATIONS + "/" + id, reader, null).statusCode()).isEqualTo(200);
        refused(server.graph("POST", LOCATIONS, reader, OFFICE), 403, "Authorization_RequestDenied");
        refused(server.graph("PATCH", LOCATIONS + "/" + id, reader, "{\"displayName\": \"x\"}"), 403, "Authorization_RequestDenied");
        refused(server.graph("DELETE", LOCATIONS + "/" + id, reader, null), 403, "Authorization_RequestDenied");
        assertThat(STORE.namedLocations().list(TestTenant.TENANT)).hasSize(1);
        assertThat(STORE.namedLocations().find(TestTenant.TENANT, id).orElseThrow().displayName()).isEqualTo("Office");
        server.graph("DELETE", LOCATIONS + "/" + id, daemon(), null);
    }

    @Test
    void aDelegatedWriteNeedsAConditionalAccessRoleOfTheSignedInUser() throws Exception {
        String megan = user(TestTenant.MEGAN_UPN);
        assertThat(server.graph("GET", LOCATIONS, megan, null).statusCode()).as("reading needs no role").isEqualTo(200);
        HttpResponse<String> refusal = server.graph("POST", LOCATIONS, megan, OFFICE);
        refused(refusal, 403, "Authorization_RequestDenied");
        JsonNode d = json(server.get("/consentry/diagnostics/" + refusal.headers().firstValue("request-id").orElseThrow()));
        assertThat(d.path("cause").asText()).isEqualTo("user-role-missing");
        assertThat(d.path("explanation").asText()).contains("Conditional Access Administrator");
        assertThat(STORE.namedLocations().list(TestTenant.TENANT)).isEmpty();

        String adele = user(TestTenant.ADELE_UPN);
        String id = create(adele);
        assertThat(STORE.audit().recent(TestTenant.TENANT, 50).stream()
                .filter(a -> a.targetResources().stream().anyMatch(t -> id.equals(t.id()))).findFirst().orElseThrow()
                .initiatedBy().id()).isEqualTo(TestTenant.ADELE.toString());
        assertThat(server.graph("DELETE", LOCATIONS + "/" + id, adele, null).statusCode()).isEqualTo(204);
    }
}
