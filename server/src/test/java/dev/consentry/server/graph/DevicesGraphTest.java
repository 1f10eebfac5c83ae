package dev.consentry.server.graph;

import static dev.consentry.server.testing.GraphReplies.json;
import static dev.consentry.server.testing.GraphReplies.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.id.ObjectId;
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
 * Graph's {@code /devices} through real tokens: an Intune-capable signed-in administrator registers a device (201),
 * reads it by object id and by {@code deviceId}, changes and deletes it, each write audited under "Device"; an app with
 * Device.ReadWrite.All changes and deletes but cannot register (Graph has no application permission for that); an app
 * with Device.Read.All only reads; a user without a device role is refused; a Cloud Device Administrator only enables
 * and disables; a malformed body is 400 and stores nothing; a device's registered owner is listed.
 */
class DevicesGraphTest {
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    static final UUID DEVICE_READWRITE_ALL = UUID.fromString("1138cb37-bd11-4084-a2b7-9f71582aeddb");
    static final UUID DEVICE_READ_ALL = UUID.fromString("7438b122-aefc-4978-80ed-43db9fcc7715");
    static final String CLOUD_DEVICE_ADMINISTRATOR = "7698a772-787b-4ac8-901f-60d6b08affd2";
    static final String DEVICES = "/v1.0/devices";
    static final String LAPTOP = "{\"accountEnabled\": true, \"deviceId\": \"4c299165-6e8f-4b45-a5ba-c5d250a707ff\", "
            + "\"displayName\": \"Megan's laptop\", \"operatingSystem\": \"Windows\", \"operatingSystemVersion\": \"10.0.22631\", "
            + "\"trustType\": \"AzureAd\", \"alternativeSecurityIds\": [{\"type\": 2, \"key\": \"Y3YxN2E1MWFlYw==\"}]}";

    @BeforeAll
    static void appsAndTheDesktopAppMayReachDevices() {
        STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.DAEMON_SP, "ServicePrincipal",
                TestTenant.GRAPH_SP, DEVICE_READWRITE_ALL, Instant.now(), null));
        STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.WEB_APP_SP, "ServicePrincipal",
                TestTenant.GRAPH_SP, DEVICE_READ_ALL, Instant.now(), null));
        OAuth2PermissionGrant g = STORE.permissionGrants().list(TestTenant.TENANT).stream()
                .filter(x -> x.id().equals("grant-desktop-graph")).findFirst().orElseThrow();
        STORE.permissionGrants().save(TestTenant.TENANT, new OAuth2PermissionGrant(g.id(), g.clientId(), g.consentType(),
                g.principalId(), g.resourceId(), "User.Read Device.Read.All Directory.AccessAsUser.All", g.createdDateTime(), null));
    }

    static String daemon() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    static String user(String upn) {
        return server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), upn, TestTenant.ADELE_PASSWORD,
                Set.of("Device.Read.All", "Directory.AccessAsUser.All"));
    }

    static String register(String token, String body) throws Exception {
        HttpResponse<String> created = server.graph("POST", DEVICES, token, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    static Device stored(String id) {
        return STORE.devices().find(TestTenant.TENANT, ObjectId.of(id)).orElseThrow();
    }

    @Test
    void anAdministratorRegistersReadsChangesAndDeletesADevice() throws Exception {
        String adele = user(TestTenant.ADELE_UPN);
        HttpResponse<String> created = server.graph("POST", DEVICES, adele, LAPTOP);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode device = json(created);
        String id = device.path("id").asText();
        assertThat(id).isNotEqualTo("4c299165-6e8f-4b45-a5ba-c5d250a707ff");
        assertThat(device.path("@odata.context").asText()).endsWith("$metadata#devices/$entity");
        assertThat(device.path("deviceId").asText()).isEqualTo("4c299165-6e8f-4b45-a5ba-c5d250a707ff");
        assertThat(device.path("operatingSystemVersion").asText()).isEqualTo("10.0.22631");
        assertThat(device.path("registrationDateTime").asText()).isNotEmpty();
        assertThat(device.path("isCompliant").isNull()).isTrue();
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/v1.0/devices/" + id);

        JsonNode byDeviceId = json(server.graph("GET", DEVICES + "(deviceId='4c299165-6e8f-4b45-a5ba-c5d250a707ff')", adele, null));
        assertThat(byDeviceId.path("id").asText()).isEqualTo(id);
        HttpResponse<String> patched = server.graph("PATCH", DEVICES + "/" + id, adele,
                "{\"isCompliant\": true, \"isManaged\": true, \"displayName\": \"Megan's work laptop\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        assertThat(stored(id).compliant()).isTrue();
        JsonNode read = json(server.graph("GET", "/beta/devices/" + id, adele, null));
        assertThat(read.path("displayName").asText()).isEqualTo("Megan's work laptop");
        assertThat(read.path("isManaged").asBoolean()).isTrue();
        assertThat(read.path("trustType").asText()).as("kept").isEqualTo("AzureAd");
        JsonNode compliant = json(server.graph("GET", DEVICES + "?$filter=isCompliant%20eq%20true", adele, null));
        assertThat(compliant.path("value")).extracting(v -> v.path("id").asText()).containsExactly(id);

        assertThat(server.graph("DELETE", DEVICES + "/" + id, adele, null).statusCode()).isEqualTo(204);
        refused(server.graph("GET", DEVICES + "/" + id, adele, null), 404, "Request_ResourceNotFound");
        List<DirectoryAudit> audits = STORE.audit().recent(TestTenant.TENANT, 50).stream()
                .filter(a -> a.targetResources().stream().anyMatch(t -> id.equals(t.id()))).toList();
        assertThat(audits).extracting(DirectoryAudit::activityDisplayName)
                .containsExactlyInAnyOrder("Add device", "Update device", "Delete device");
        assertThat(audits).allSatisfy(a -> assertThat(a.category()).isEqualTo("Device"));
        DirectoryAudit update = audits.stream().filter(a -> a.operationType().equals("Update")).findFirst().orElseThrow();
        assertThat(update.targetResources().get(0).modifiedProperties()).anySatisfy(p -> {
            assertThat(p.displayName()).isEqualTo("isCompliant");
            assertThat(p.newValue()).isEqualTo("true");
        });
    }

    @Test
    void anAppWithDeviceReadWriteAllChangesAndDeletesButCannotRegister() throws Exception {
        String id = register(user(TestTenant.ADELE_UPN), LAPTOP.replace("4c299165", "5d299165"));
        String app = daemon();
        assertThat(server.graph("PATCH", DEVICES + "/" + id, app, "{\"isCompliant\": true}").statusCode()).isEqualTo(204);
        assertThat(stored(id).isCompliant()).isTrue();
        refused(server.graph("POST", DEVICES, app, LAPTOP.replace("4c299165", "6e299165")), 403, "Authorization_RequestDenied");
        assertThat(STORE.devices().findByDeviceId(TestTenant.TENANT, "6e299165-6e8f-4b45-a5ba-c5d250a707ff")).isEmpty();

        String reader = server.appToken(TestTenant.TENANT.toString(), TestTenant.WEB_APP.toString(), TestTenant.WEB_SECRET);
        assertThat(json(server.graph("GET", DEVICES + "/" + id, reader, null)).path("isCompliant").asBoolean()).isTrue();
        refused(server.graph("PATCH", DEVICES + "/" + id, reader, "{\"isCompliant\": false}"), 403, "Authorization_RequestDenied");
        refused(server.graph("DELETE", DEVICES + "/" + id, reader, null), 403, "Authorization_RequestDenied");
        assertThat(stored(id).isCompliant()).isTrue();
        assertThat(server.graph("DELETE", DEVICES + "/" + id, app, null).statusCode()).isEqualTo(204);
    }

    @Test
    void aUserWithoutADeviceRoleIsRefusedAndACloudDeviceAdministratorOnlyEnablesAndDisables() throws Exception {
        String id = register(user(TestTenant.ADELE_UPN), LAPTOP.replace("4c299165", "7f299165"));
        String megan = user(TestTenant.MEGAN_UPN);
        assertThat(server.graph("GET", DEVICES + "/" + id, megan, null).statusCode()).as("reading needs no role").isEqualTo(200);
        HttpResponse<String> refusal = server.graph("POST", DEVICES, megan, LAPTOP.replace("4c299165", "8a299165"));
        refused(refusal, 403, "Authorization_RequestDenied");
        JsonNode d = json(server.get("/consentry/diagnostics/" + refusal.headers().firstValue("request-id").orElseThrow()));
        assertThat(d.path("cause").asText()).isEqualTo("user-role-missing");
        assertThat(d.path("explanation").asText()).contains("Intune Administrator");
        refused(server.graph("PATCH", DEVICES + "/" + id, megan, "{\"accountEnabled\": false}"), 403, "Authorization_RequestDenied");

        STORE.roleAssignments().save(TestTenant.TENANT, new RoleAssignment("megan-devices", TestTenant.MEGAN,
                CLOUD_DEVICE_ADMINISTRATOR, "/", null));
        try {
            assertThat(server.graph("PATCH", DEVICES + "/" + id, megan, "{\"accountEnabled\": false}").statusCode()).isEqualTo(204);
            assertThat(stored(id).accountEnabled()).isFalse();
            JsonNode body = refused(server.graph("PATCH", DEVICES + "/" + id, megan, "{\"isCompliant\": true}"), 403,
                    "Authorization_RequestDenied");
            assertThat(body.path("error").path("message").asText()).contains("only enable or disable");
            assertThat(stored(id).isCompliant()).isNull();
            refused(server.graph("POST", DEVICES, megan, LAPTOP.replace("4c299165", "9b299165")), 403, "Authorization_RequestDenied");
            assertThat(server.graph("DELETE", DEVICES + "/" + id, megan, null).statusCode()).isEqualTo(204);
        } finally {
            STORE.roleAssignments().delete(TestTenant.TENANT, "megan-devices");
        }
    }

    @Test
    void badBodiesAreGraphs400AndNothingIsStored() throws Exception {
        String adele = user(TestTenant.ADELE_UPN);
        int before = STORE.devices().list(TestTenant.TENANT).size();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(LAPTOP.replace("\"deviceId\": \"4c299165-6e8f-4b45-a5ba-c5d250a707ff\", ", ""), "needs deviceId");
        bad.put(LAPTOP.replace("\"displayName\": \"Megan's laptop\", ", ""), "needs displayName");
        bad.put(LAPTOP.replace("4c299165-6e8f-4b45-a5ba-c5d250a707ff", "laptop-1"), "deviceId is a GUID");
        bad.put(LAPTOP.replace("AzureAd", "Domain"), "trustType is Workplace, AzureAd or ServerAd");
        bad.put(LAPTOP.replace("{\"accountEnabled\"", "{\"id\": \"" + UUID.randomUUID() + "\", \"accountEnabled\""),
                "Property 'id' does not exist");
        for (var e : bad.entrySet()) {
            JsonNode body = refused(server.graph("POST", DEVICES, adele, e.getKey()), 400, "BadRequest");
            assertThat(body.path("error").path("message").asText()).as(e.getKey()).contains(e.getValue());
        }
        refused(server.graph("POST", DEVICES, adele, "\"laptop\""), 400, "BadRequest");
        // Checked against Graph's metadata first, in the directory's words.
        JsonNode notBoolean = refused(server.graph("POST", DEVICES, adele, LAPTOP.replace("\"accountEnabled\": true",
                "\"accountEnabled\": \"yes\"")), 400, "Request_BadRequest");
        assertThat(notBoolean.path("error").path("message").asText())
                .isEqualTo("Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
        JsonNode undeclared = refused(server.graph("POST", DEVICES, adele, LAPTOP.replace("\"trustType\"", "\"colour\"")),
                400, "Request_BadRequest");
        assertThat(undeclared.path("error").path("message").asText()).isEqualTo("Invalid property 'colour'.");
        assertThat(STORE.devices().list(TestTenant.TENANT)).hasSize(before);

        String id = register(adele, LAPTOP.replace("4c299165", "ac299165"));
        JsonNode taken = refused(server.graph("POST", DEVICES, adele, LAPTOP.replace("4c299165", "ac299165")), 400, "BadRequest");
        assertThat(taken.path("error").path("message").asText()).contains("already registered");
        refused(server.graph("PATCH", DEVICES + "/" + id, adele, "{\"deviceId\": \"" + UUID.randomUUID() + "\"}"), 400, "BadRequest");
        refused(server.graph("PATCH", DEVICES + "/" + id, adele, "{\"isCompliant\": 1}"), 400, "Request_BadRequest");
        assertThat(stored(id).deviceId()).isEqualTo("ac299165-6e8f-4b45-a5ba-c5d250a707ff");
        assertThat(stored(id).isCompliant()).isNull();
        String unknown = UUID.randomUUID().toString();
        refused(server.graph("GET", DEVICES + "/" + unknown, adele, null), 404, "Request_ResourceNotFound");
        refused(server.graph("PATCH", DEVICES + "/" + unknown, adele, "{\"isCompliant\": true}"), 404, "Request_ResourceNotFound");
        refused(server.graph("DELETE", DEVICES + "/" + unknown, adele, null), 404, "Request_ResourceNotFound");
        refused(server.graph("GET", DEVICES + "(deviceId='" + unknown + "')", adele, null), 404, "Request_ResourceNotFound");
        server.graph("DELETE", DEVICES + "/" + id, adele, null);
    }

    @Test
    void aDevicesRegisteredOwnerIsListed() throws Exception {
        ObjectId id = ObjectId.random();
        STORE.devices().save(TestTenant.TENANT, new Device(id, UUID.randomUUID().toString(), "Megan's phone", "iOS", true, false,
                false, "Workplace", Instant.parse("2026-01-05T09:00:00Z"), TestTenant.MEGAN, null));
        try {
            JsonNode owners = json(server.graph("GET", DEVICES + "/" + id + "/registeredOwners", daemon(), null));
            assertThat(owners.path("value")).hasSize(1);
            assertThat(owners.path("value").get(0).path("@odata.type").asText()).isEqualTo("#microsoft.graph.user");
            assertThat(owners.path("value").get(0).path("id").asText()).isEqualTo(TestTenant.MEGAN.toString());
            JsonNode device = json(server.graph("GET", DEVICES + "/" + id, daemon(), null));
            assertThat(device.path("registrationDateTime").asText()).isEqualTo("2026-01-05T09:00:00Z");
            refused(server.graph("GET", DEVICES + "/" + UUID.randomUUID() + "/registeredOwners", daemon(), null), 404,
                    "Request_ResourceNotFound");
        } finally {
            STORE.devices().delete(TestTenant.TENANT, id);
        }
    }
}
