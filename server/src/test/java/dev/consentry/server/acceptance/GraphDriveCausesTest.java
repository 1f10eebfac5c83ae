package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A daemon on "my" drive: OneDrive answers an application token on /me/drive with its own 401 ("Must be authenticated
 * to use '/drive' syntax."). Driven with MSAL4J's token and the request as curl sends it; the fix the diagnosis names,
 * the owner's drive by user id with the application permission, is then served.
 */
class GraphDriveCausesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID SPE_E3 = UUID.fromString("05e9a617-0261-4cee-bb44-138d3ef5d965");

    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();

    @BeforeEach
    void aDaemonWithFilesReadAllAndMeganWithOneDrive() {
        Diagnosed.reset(server);
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            admin.grant(new Administration.GrantRequest(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), null,
                    "Files.Read.All", "application"));
        }
        var store = server.consentry().store();
        store.subscribedSkus().save(TestTenant.TENANT, new SubscribedSku("sku-e3", SPE_E3, "SPE_E3", List.of(
                new SubscribedSku.ServicePlan(UUID.fromString("5dbe027f-2339-4123-9542-606e4d348a72"), "SHAREPOINTENTERPRISE",
                        "Success", "User")), null));
        User megan = store.users().find(TestTenant.TENANT, TestTenant.MEGAN).orElseThrow();
        store.users().save(TestTenant.TENANT, new User(megan.id(), megan.userPrincipalName(), megan.displayName(), megan.mail(),
                megan.userType(), megan.accountEnabled(), megan.passwordProfile(), megan.lastPasswordChangeDateTime(),
                List.of(new AssignedLicense(SPE_E3, List.of())), megan.additionalProperties()));
    }

    @Test
    @Drives(Cause.DRIVE_NEEDS_USER)
    void aDaemonAskingForMyDriveIsToldToNameTheOwnersDrive() throws Exception {
        String token = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        HttpResponse<String> refused = server.graph("GET", "/v1.0/me/drive/root/children", token, null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("unauthenticated");
        assertThat(error.path("message").asText()).isEqualTo("Must be authenticated to use '/drive' syntax.");

        Diagnosis d = Diagnosed.as(server, refused.headers().firstValue("request-id").orElseThrow(), Cause.DRIVE_NEEDS_USER);
        assertThat(d.fix()).contains("/users/<user id>/drive");
        assertThat(d.leastPrivileged().get("Application")).isNotEmpty();

        // The fix: the owner's drive, named by her id, with the application permission the daemon holds.
        HttpResponse<String> served = server.graph("GET", "/v1.0/users/" + TestTenant.MEGAN + "/drive/root/children", token,
                null);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        Diagnosed.allowed(server, served.headers().firstValue("request-id").orElseThrow());
    }

    @Test
    void graphsDriveSingletonIsTheSignedInUsersDriveAndADaemonIsToldTheSame() throws Exception {
        // Graph's /drive is /me/drive (Graph reference, "Get Drive"): a daemon gets OneDrive's 401 on it too ...
        String daemon = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        HttpResponse<String> refused = server.graph("GET", "/v1.0/drive", daemon, null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).path("error").path("message").asText())
                .isEqualTo("Must be authenticated to use '/drive' syntax.");
        Diagnosed.as(server, refused.headers().firstValue("request-id").orElseThrow(), Cause.DRIVE_NEEDS_USER);

        // ... and a signed-in user's token reads her own drive through it, as through /me/drive.
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            admin.grant(new Administration.GrantRequest(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), null,
                    "Files.Read", "delegated"));
        }
        String megan = server.userToken(TestTenant.TENANT.toString(), TestTenant.PUBLIC_APP.toString(), TestTenant.MEGAN_UPN,
                TestTenant.ADELE_PASSWORD, java.util.Set.of("Files.Read"));
        HttpResponse<String> viaDrive = server.graph("GET", "/v1.0/drive/root/children", megan, null);
        HttpResponse<String> viaMe = server.graph("GET", "/v1.0/me/drive/root/children", megan, null);
        assertThat(viaDrive.statusCode()).as(viaDrive.body()).isEqualTo(200);
        assertThat(JSON.readTree(viaDrive.body()).path("value")).isEqualTo(JSON.readTree(viaMe.body()).path("value"));
        Diagnosed.allowed(server, viaDrive.headers().firstValue("request-id").orElseThrow());
    }
}
