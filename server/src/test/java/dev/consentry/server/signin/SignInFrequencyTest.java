package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.server.signin.AuthorizeEndpointTest.Pkce;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A policy's sign-in frequency (sessionControls.signInFrequency): within it, the browser's session remembers the second
 * factor and a refresh works; once it has run out, a refresh is AADSTS70043 (token_expired), the browser asks for the
 * password and then the second factor again, and {@code prompt=none} hears AADSTS70044.
 */
public class SignInFrequencyTest {
    /** The causes this class proves on the wire. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.SIGN_IN_FREQUENCY_TOKEN, Cause.SIGN_IN_FREQUENCY_SESSION);
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static final Store STORE = new InMemoryStore();
    static final MutableClock CLOCK = MutableClock.ticking();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, CLOCK);
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void mfaEveryHourForMegan() {
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("hourly", "MFA, every hour",
                "enabled", Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of("All"))),
                Map.of("operator", "OR", "builtInControls", List.of("mfa")),
                Map.of("signInFrequency", Map.of("value", 1, "type", "hours", "isEnabled", true,
                        "authenticationType", "primaryAndSecondaryAuthentication", "frequencyInterval", "timeBased")), null));
        STORE.softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod("megan-app", TestTenant.MEGAN,
                "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", CLOCK.instant()));
    }

    @AfterAll
    static void everyCauseWasProvenAndTheClockIsBack() {
        CLOCK.reset();
        assertThat(EXERCISED).as("causes proven here").containsAll(COVERED_HERE);
    }

    static HttpResponse<String> authorize(FormBrowser b, Pkce pkce, String... extra) {
        return b.get(AuthorizeEndpointTest.authorize(TestTenant.TENANT.toString(), AuthorizeEndpointTest.desktopExact(pkce, extra)));
    }

    static HttpResponse<String> code(FormBrowser b, HttpResponse<String> codePage, int stepsAhead) {
        assertThat(codePage.body()).as(codePage.body()).contains("Enter code");
        return b.submit(codePage, Map.of("code", server.authenticatorCode(TestTenant.TENANT, TestTenant.MEGAN, stepsAhead)));
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
    void theSessionRemembersTheSecondFactorUntilTheFrequencyRunsOutThenEverythingAsksAgain() throws Exception {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        Pkce pkce = Pkce.create();
        HttpResponse<String> signedIn = code(b, b.signIn(authorize(b, pkce), TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD), 0);
        JsonNode tokens = redeem(FormBrowser.redirectParameters(signedIn).get("code"), pkce);
        String refreshToken = tokens.path("refresh_token").asText();
        assertThat(refresh(refreshToken).statusCode()).isEqualTo(200);

        // Half an hour later: the browser's session still holds the second factor, silently.
        CLOCK.advance(Duration.ofMinutes(30));
        HttpResponse<String> silent = authorize(b, Pkce.create(), "prompt", "none");
        assertThat(FormBrowser.redirectParameters(silent)).containsKey("code");

        // Two hours after the sign-in: the refresh token's family is too old for the policy.
        CLOCK.advance(Duration.ofMinutes(90));
        HttpResponse<String> expired = refresh(refreshToken);
        JsonNode error = JSON.readTree(expired.body());
        assertThat(error.path("error").asText()).isEqualTo("invalid_grant");
        assertThat(error.path("suberror").asText()).isEqualTo("token_expired");
        assertThat(error.path("error_codes").get(0).asInt()).isEqualTo(70043);
        assertThat(error.path("error_description").asText()).startsWith("AADSTS70043: The refresh token has expired or is "
                + "invalid due to sign-in frequency checks by conditional access. The token was issued on ")
                .contains("and the maximum allowed lifetime for this request is 3600.");
        EXERCISED.add(Cause.SIGN_IN_FREQUENCY_TOKEN);

        HttpResponse<String> none = authorize(b, Pkce.create(), "prompt", "none", "state", "f");
        Map<String, String> reply = FormBrowser.redirectParameters(none);
        assertThat(reply).containsEntry("error", "interaction_required").containsEntry("state", "f");
        assertThat(reply.get("error_description")).startsWith("AADSTS70044: ");
        EXERCISED.add(Cause.SIGN_IN_FREQUENCY_SESSION);

        // Interactively: the password again, then the second factor again.
        Pkce again = Pkce.create();
        HttpResponse<String> passwordPage = authorize(b, again);
        assertThat(passwordPage.body()).contains("name=\"password\"").contains(TestTenant.MEGAN_UPN);
        HttpResponse<String> codePage = b.submit(passwordPage, Map.of("password", TestTenant.ADELE_PASSWORD));
        HttpResponse<String> done = code(b, codePage, 1);
        JsonNode fresh = redeem(FormBrowser.redirectParameters(done).get("code"), again);
        assertThat(refresh(fresh.path("refresh_token").asText()).statusCode()).isEqualTo(200);
    }
}
