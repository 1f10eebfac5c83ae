package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.Device;
import dev.consentry.server.signin.AuthorizeEndpointTest.Pkce;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A policy requiring a compliant device, in the browser: the sign-in offers to register the browser's device, which is
 * then known but not compliant (AADSTS53000 with what an administrator does); once marked compliant the sign-in goes
 * through and the tokens state its {@code deviceid}; a disabled device stops the refresh; a forged device cookie counts
 * for nothing; {@code prompt=none} hears {@code interaction_required}. An administrator's app marking the device
 * compliant through Graph ({@code PATCH /devices/{id}}) lets the sign-in through just the same.
 */
class DeviceComplianceTest {
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Device.ReadWrite.All, application. */
    static final java.util.UUID DEVICE_READWRITE_ALL = java.util.UUID.fromString("1138cb37-bd11-4084-a2b7-9f71582aeddb");

    @BeforeAll
    static void compliantDevicesOnlyForMegan() {
        STORE.appRoleAssignments().save(TestTenant.TENANT, new dev.consentry.core.directory.AppRoleAssignment(null,
                TestTenant.DAEMON_SP, "ServicePrincipal", TestTenant.GRAPH_SP, DEVICE_READWRITE_ALL, java.time.Instant.now(), null));
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("devices", "Compliant devices",
                "enabled", Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of("All"))),
                Map.of("operator", "OR", "builtInControls", List.of("compliantDevice")), Map.of(), null));
    }

    static HttpResponse<String> authorize(FormBrowser b, Pkce pkce, String... extra) {
        return b.get(AuthorizeEndpointTest.authorize(TestTenant.TENANT.toString(), AuthorizeEndpointTest.desktopExact(pkce, extra)));
    }

    static JsonNode redeem(String code, Pkce pkce) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "authorization_code");
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("code", code);
        p.put("redirect_uri", "http://localhost:51234");
        p.put("scope", "openid offline_access User.Read");
        p.put("code_verifier", pkce.verifier());
        return JSON.readTree(server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(p)).body());
    }

    static HttpResponse<String> refresh(String refreshToken) {
        return server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of("grant_type",
                "refresh_token", "client_id", TestTenant.PUBLIC_APP.toString(), "refresh_token", refreshToken, "scope",
                "User.Read")));
    }

    @Test
    void registeringTheBrowsersDeviceThenMarkingItCompliantLetsTheSignInThroughWithItsDeviceId() throws Exception {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> offer = b.signIn(authorize(b, Pkce.create()), TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(offer.statusCode()).isEqualTo(400);
        assertThat(offer.body()).contains("Register this device").contains("AADSTS53000");

        HttpResponse<String> registered = b.submit(offer, Map.of());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(303);
        Device device = STORE.devices().list(TestTenant.TENANT).stream().filter(d -> TestTenant.MEGAN.equals(d.registeredOwnerId()))
                .findFirst().orElseThrow();
        assertThat(device.isCompliant()).isFalse();
        assertThat(device.trustType()).isEqualTo("Workplace");
        HttpResponse<String> attention = b.get(registered.headers().firstValue("Location").orElseThrow());
        assertThat(attention.statusCode()).isEqualTo(400);
        assertThat(attention.body()).contains("Your device needs attention").contains(device.deviceId())
                .doesNotContain("Register this device");

        HttpResponse<String> silent = authorize(b, Pkce.create(), "prompt", "none", "state", "d");
        assertThat(FormBrowser.redirectParameters(silent)).containsEntry("error", "interaction_required");
        assertThat(FormBrowser.redirectParameters(silent).get("error_description")).startsWith("AADSTS53000: ");

        STORE.devices().save(TestTenant.TENANT, new Device(device.id(), device.deviceId(), device.displayName(),
                device.operatingSystem(), true, true, true, device.trustType(), device.registrationDateTime(),
                device.registeredOwnerId(), null));
        Pkce pkce = Pkce.create();
        HttpResponse<String> through = authorize(b, pkce);
        JsonNode tokens = redeem(FormBrowser.redirectParameters(through).get("code"), pkce);
        assertThat(SignedJWT.parse(tokens.path("access_token").asText()).getJWTClaimsSet().getStringClaim("deviceid"))
                .isEqualTo(device.deviceId());
        assertThat(refresh(tokens.path("refresh_token").asText()).statusCode()).isEqualTo(200);

        STORE.devices().save(TestTenant.TENANT, new Device(device.id(), device.deviceId(), device.displayName(),
                device.operatingSystem(), false, true, true, device.trustType(), device.registrationDateTime(),
                device.registeredOwnerId(), null));
        HttpResponse<String> disabled = refresh(tokens.path("refresh_token").asText());
        assertThat(JSON.readTree(disabled.body()).path("error_codes").get(0).asInt()).as(disabled.body()).isEqualTo(53000);
    }

    @Test
    void markingTheDeviceCompliantThroughGraphLetsItsTokenThrough() throws Exception {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        java.util.Set<dev.consentry.core.id.ObjectId> known = new java.util.HashSet<>();
        STORE.devices().list(TestTenant.TENANT).forEach(d -> known.add(d.id()));
        HttpResponse<String> offer = b.signIn(authorize(b, Pkce.create()), TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(b.submit(offer, Map.of()).statusCode()).isEqualTo(303);
        Device device = STORE.devices().list(TestTenant.TENANT).stream().filter(d -> !known.contains(d.id())).findFirst()
                .orElseThrow();
        assertThat(authorize(b, Pkce.create()).statusCode()).as("not compliant yet").isEqualTo(400);

        String app = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        HttpResponse<String> patched = server.graph("PATCH", "/v1.0/devices/" + device.id(), app, "{\"isCompliant\": true}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);

        Pkce pkce = Pkce.create();
        HttpResponse<String> through = authorize(b, pkce);
        JsonNode tokens = redeem(FormBrowser.redirectParameters(through).get("code"), pkce);
        assertThat(SignedJWT.parse(tokens.path("access_token").asText()).getJWTClaimsSet().getStringClaim("deviceid"))
                .isEqualTo(device.deviceId());
        assertThat(server.graph("DELETE", "/v1.0/devices/" + device.id(), app, null).statusCode()).isEqualTo(204);
    }

    @Test
    void aForgedDeviceCookieCountsForNothing() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        String compliant = "c0c0c0c0-0000-4000-8000-000000000001";
        STORE.devices().save(TestTenant.TENANT, new Device(dev.consentry.core.id.ObjectId.of("c1c1c1c1-0000-4000-8000-000000000001"),
                compliant, "Someone's laptop", "Windows", true, true, true, "AzureAd", null, null, null));
        HttpCookie forged = new HttpCookie("consentry_device", compliant + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        forged.setPath("/");
        b.cookies().getCookieStore().add(URI.create(server.baseUrl()), forged);
        HttpResponse<String> offer = b.signIn(authorize(b, Pkce.create()), TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(offer.statusCode()).isEqualTo(400);
        assertThat(offer.body()).as("the forged device is not this browser's").contains("Register this device");
    }
}
