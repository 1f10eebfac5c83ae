package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.InteractionRequiredExceptionReason;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conditional access at the token endpoint, through MSAL4J: a policy requiring a second factor refuses a password
 * sign-in and a refresh with AADSTS50076 (invalid_grant, basic_action; the refresh names the policy in its claims),
 * which MSAL4J raises as {@code MsalInteractionRequiredException}; a block policy refuses with AADSTS53003; a device
 * policy with AADSTS53000; report-only and disabled policies let the token through and the decision record says what
 * they would have done.
 */
public class ConditionalAccessTokenTest {
    /** The causes this class proves on the wire. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.MFA_REQUIRED, Cause.CONDITIONAL_ACCESS_BLOCKED,
            Cause.DEVICE_NOT_COMPLIANT);
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, java.time.Clock.systemUTC());
    static final String GRAPH = "00000003-0000-0000-c000-000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Megan has an authenticator app: a missing second factor is AADSTS50076 (AADSTS50079 without one). */
    @org.junit.jupiter.api.BeforeEach
    void meganHasAnAuthenticatorApp() {
        STORE.softwareOathMethods().save(TestTenant.TENANT, new dev.consentry.core.directory.SoftwareOathMethod("megan-app",
                TestTenant.MEGAN, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", java.time.Instant.now()));
    }

    @AfterEach
    void noPolicies() {
        STORE.conditionalAccessPolicies().list(TestTenant.TENANT)
                .forEach(p -> STORE.conditionalAccessPolicies().delete(TestTenant.TENANT, p.id()));
    }

    static void policy(String id, String state, List<String> controls) {
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy(id, "Policy " + id, state,
                Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of(GRAPH))),
                Map.of("operator", "OR", "builtInControls", controls), Map.of(), null));
    }

    static PublicClientApplication desktop() throws Exception {
        return PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    static IAuthenticationResult signIn(PublicClientApplication app) throws Exception {
        return app.acquireToken(UserNamePasswordParameters.builder(Set.of("User.Read"), TestTenant.MEGAN_UPN,
                TestTenant.ADELE_PASSWORD.toCharArray()).build()).get();
    }

    static String refreshToken() throws Exception {
        HttpResponse<String> r = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", "grant_type=password&client_id="
                + TestTenant.PUBLIC_APP + "&scope=User.Read%20offline_access&username=" + TestTenant.MEGAN_UPN
                + "&password=" + java.net.URLEncoder.encode(TestTenant.ADELE_PASSWORD, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("refresh_token").asText();
    }

    static HttpResponse<String> refresh(String refreshToken) {
        return server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", "grant_type=refresh_token&client_id="
                + TestTenant.PUBLIC_APP + "&scope=User.Read&refresh_token=" + refreshToken);
    }

    @Test
    void aSecondFactorPolicyRefusesThePasswordGrantAndTheRefreshAsEntraDoesAndMsalAsksForInteraction() throws Exception {
        String before = refreshToken();
        policy("9e1c1d4a-0000-4000-8000-000000000001", "enabled", List.of("mfa"));

        Throwable t = catchThrowable(() -> signIn(desktop()));
        assertThat(t).isInstanceOf(ExecutionException.class);
        MsalInteractionRequiredException e = (MsalInteractionRequiredException) t.getCause();
        assertThat(e.errorCode()).isEqualTo("invalid_grant");
        assertThat(e.reason()).isEqualTo(InteractionRequiredExceptionReason.BASIC_ACTION);
        assertThat(e.getMessage()).startsWith("AADSTS50076: Due to a configuration change made by your administrator, or "
                + "because you moved to a new location, you must use multi-factor authentication to access '" + GRAPH + "'.");

        HttpResponse<String> refreshed = refresh(before);
        assertThat(refreshed.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(refreshed.body());
        assertThat(body.path("error").asText()).isEqualTo("invalid_grant");
        assertThat(body.path("suberror").asText()).isEqualTo("basic_action");
        assertThat(body.path("error_codes").get(0).asInt()).isEqualTo(50076);
        assertThat(body.path("claims").asText())
                .isEqualTo("{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\"9e1c1d4a-0000-4000-8000-000000000001\"]}}}");
        JsonNode diagnosis = JSON.readTree(server.get("/consentry/diagnostics/" + body.path("trace_id").asText()).body());
        assertThat(diagnosis.path("cause").asText()).isEqualTo(Cause.MFA_REQUIRED.slug());
        assertThat(diagnosis.path("explanation").asText()).contains("Policy 9e1c1d4a-0000-4000-8000-000000000001")
                .contains("proved only pwd");

        // The same user for another resource, and another user, are not concerned.
        assertThat(desktop().acquireToken(UserNamePasswordParameters.builder(Set.of("https://graph.microsoft.com/.default"),
                TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD.toCharArray()).build()).get().accessToken()).isNotBlank();
    }

    @Test
    void aBlockPolicyIsAadsts53003AndADevicePolicyAadsts53000() throws Exception {
        policy("block", "enabled", List.of("block"));
        MsalInteractionRequiredException blocked = (MsalInteractionRequiredException) catchThrowable(() -> signIn(desktop()))
                .getCause();
        assertThat(blocked.getMessage()).startsWith("AADSTS53003: Access has been blocked by Conditional Access policies. "
                + "The access policy does not allow token issuance.");
        assertThat(blocked.reason()).isEqualTo(InteractionRequiredExceptionReason.MESSAGE_ONLY);
        noPolicies();

        policy("device", "enabled", List.of("compliantDevice"));
        MsalInteractionRequiredException device = (MsalInteractionRequiredException) catchThrowable(() -> signIn(desktop()))
                .getCause();
        assertThat(device.getMessage()).startsWith("AADSTS53000: Device is not in required device state: compliant.");
    }

    @Test
    void atTheAuthorizeEndpointMfaIsAskedForABlockIsAPageAndPromptNoneGoesBackAsInteractionRequired() {
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("everything", "Everything",
                "enabled", Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of("All"))),
                Map.of("builtInControls", List.of("mfa")), Map.of(), null));
        String authorize = dev.consentry.server.signin.ConsentPageTest.authorize("openid profile");
        dev.consentry.testkit.FormBrowser b = new dev.consentry.testkit.FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = b.signIn(b.get(authorize), TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).as("the second factor is asked for").contains("Enter code").contains("name=\"code\"");
        // Signed in with a password; prompt=none cannot ask for the second factor, so the app hears interaction_required.
        HttpResponse<String> silent = b.get(dev.consentry.server.signin.ConsentPageTest.authorize("openid profile",
                "prompt", "none"));
        assertThat(silent.statusCode()).as(silent.body()).isEqualTo(302);
        Map<String, String> reply = dev.consentry.testkit.FormBrowser.redirectParameters(silent);
        assertThat(reply.get("error")).isEqualTo("interaction_required");
        assertThat(reply.get("error_description")).startsWith("AADSTS50076: ");
        assertThat(reply).doesNotContainKey("code");

        noPolicies();
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("block-all", "Block all",
                "enabled", Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of("All"))),
                Map.of("builtInControls", List.of("block")), Map.of(), null));
        HttpResponse<String> blocked = b.get(authorize);
        assertThat(blocked.body()).contains("AADSTS53003").contains("Access has been blocked by Conditional Access policies");
    }

    @Test
    void reportOnlyAndDisabledPoliciesLetTheTokenThroughAndTheRecordSaysWhatTheyWouldHaveDone() throws Exception {
        policy("watch", "enabledForReportingButNotEnforced", List.of("mfa"));
        policy("off", "disabled", List.of("block"));
        String refresh = refreshToken();
        HttpResponse<String> ok = refresh(refresh);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        String trace = ok.headers().firstValue("x-ms-request-id").orElseThrow();
        JsonNode diagnosis = JSON.readTree(server.get("/consentry/diagnostics/" + trace).body());
        assertThat(diagnosis.path("steps").toString()).contains("reportOnlyFailure").contains("notEnabled");
    }
}
