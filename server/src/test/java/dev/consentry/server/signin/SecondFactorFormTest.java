package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.secret.Totp;
import dev.consentry.server.signin.AuthorizeEndpointTest.Pkce;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The second-factor step's forms and refusals, over HTTP without a browser: a wrong code, a code used before and a
 * code that is no code are refused beside the form (the sign-in goes on); a form naming an account not signed in to
 * this browser starts again; registering a second app during a sign-in, or with a made-up secret, is refused;
 * {@code prompt=none} goes back to the app with {@code interaction_required}; the password grant answers AADSTS50079
 * for a user without an authenticator app and AADSTS50076 for one with.
 */
public class SecondFactorFormTest {
    /** The causes this class proves on the wire or on the page. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.MFA_CODE_INVALID, Cause.MFA_CODE_REUSED,
            Cause.MFA_REGISTRATION_REQUIRED);
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    static final String GRAPH = "00000003-0000-0000-c000-000000000000";
    static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void everyCauseWasProven() {
        assertThat(EXERCISED).as("causes proven here").containsAll(COVERED_HERE);
    }

    @BeforeEach
    void mfaRequiredForMeganAtGraph() {
        STORE.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("mfa-policy", "MFA", "enabled",
                Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of(GRAPH))),
                Map.of("operator", "OR", "builtInControls", List.of("mfa")), Map.of(), null));
    }

    @AfterEach
    void nothingLeft() {
        STORE.conditionalAccessPolicies().delete(TestTenant.TENANT, "mfa-policy");
        STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN)
                .forEach(m -> STORE.softwareOathMethods().delete(TestTenant.TENANT, m.id()));
    }

    static void meganHasAnApp() {
        STORE.softwareOathMethods().save(TestTenant.TENANT, new SoftwareOathMethod("app-1", TestTenant.MEGAN, SECRET,
                Instant.now()));
    }

    /** Megan's password sign-in in {@code b}, up to the second-factor page. */
    static HttpResponse<String> toSecondFactor(FormBrowser b, String... extra) {
        HttpResponse<String> page = b.get(AuthorizeEndpointTest.authorize(TestTenant.TENANT.toString(),
                AuthorizeEndpointTest.desktopExact(Pkce.create(), extra)));
        return b.signIn(page, TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
    }

    static void shownBeside(HttpResponse<String> page, Cause cause, String detail) {
        EXERCISED.add(cause);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
        assertThat(page.body()).contains("AADSTS" + cause.code()).contains(detail).contains("name=\"code\"");
    }

    static String code(int stepsAhead) {
        return Totp.code(SECRET, Totp.step(Instant.now()) + stepsAhead);
    }

    @Test
    void wrongReusedAndMalformedCodesAreRefusedBesideTheFormAndTheRightOneSignsIn() {
        meganHasAnApp();
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = toSecondFactor(b);
        assertThat(page.body()).contains("Enter code").doesNotContain("otpauth").doesNotContain(SECRET);

        shownBeside(b.submit(page, Map.of("code", code(4))), Cause.MFA_CODE_INVALID, "matches none of the user");
        shownBeside(b.submit(page, Map.of("code", "12ab56")), Cause.MFA_CODE_INVALID, "a code is 6 digits");
        HttpResponse<String> signedIn = b.submit(page, Map.of("code", code(0)));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        assertThat(FormBrowser.redirectParameters(signedIn)).containsKey("code");

        HttpResponse<String> again = toSecondFactor(b, "prompt", "login");
        shownBeside(b.submit(again, Map.of("code", code(0))), Cause.MFA_CODE_REUSED, "was used already");
    }

    @Test
    void aFormForAnAccountNotSignedInHereStartsAgainAndNothingIsStored() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = toSecondFactor(b);
        assertThat(page.body()).contains("Set up your authenticator app");
        Map<String, String> fields = FormBrowser.hiddenFields(page.body());
        HttpResponse<String> other = b.submit(page, Map.of("user", TestTenant.ADELE.toString(),
                "code", Totp.code(fields.get("secret"), Totp.step(Instant.now()))));
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).contains("name=\"username\"");
        assertThat(STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.ADELE)).isEmpty();
        assertThat(STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN)).isEmpty();
    }

    @Test
    void registrationTakesOnlyTheSecretShownAndNeverASecondApp() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = toSecondFactor(b);
        String shown = FormBrowser.hiddenFields(page.body()).get("secret");
        assertThat(page.body()).contains("<svg").contains("href=\"otpauth://totp/").contains("secret=" + shown);

        HttpResponse<String> madeUp = b.submit(page, Map.of("secret", "not-base32!", "code", "123456"));
        assertThat(madeUp.statusCode()).isEqualTo(400);
        assertThat(madeUp.body()).contains("is not an authenticator secret").contains("Set up your authenticator app");
        assertThat(FormBrowser.hiddenFields(madeUp.body()).get("secret")).as("a new secret").isNotEqualTo(shown).hasSize(32);

        HttpResponse<String> wrong = b.submit(page, Map.of("code", Totp.code(shown, Totp.step(Instant.now()) + 4)));
        shownBeside(wrong, Cause.MFA_CODE_INVALID, "matches none of the user");
        assertThat(FormBrowser.hiddenFields(wrong.body()).get("secret")).as("the same secret again").isEqualTo(shown);
        assertThat(STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN)).isEmpty();

        HttpResponse<String> done = b.submit(page, Map.of("code", Totp.code(shown, Totp.step(Instant.now()))));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        assertThat(STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN))
                .extracting(SoftwareOathMethod::secretKey).containsExactly(shown);

        // A registration sent from the code page, now that Megan has an app: refused, the code page again.
        HttpResponse<String> codePage = toSecondFactor(b, "prompt", "login");
        HttpResponse<String> second = b.submit(codePage, Map.of("step", "enrol", "secret", SECRET, "code",
                Totp.code(SECRET, Totp.step(Instant.now()))));
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(second.body()).contains("already has an authenticator app").contains("Enter code");
        assertThat(STORE.softwareOathMethods().listByUser(TestTenant.TENANT, TestTenant.MEGAN)).hasSize(1);
    }

    @Test
    void cancelOnTheSecondFactorPageSendsTheAppAccessDenied() {
        meganHasAnApp();
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = toSecondFactor(b, "state", "s1");
        HttpResponse<String> cancelled = b.submit(page, Map.of("cancel", "cancel"));
        assertThat(cancelled.statusCode()).isEqualTo(302);
        assertThat(FormBrowser.redirectParameters(cancelled)).containsEntry("error", "access_denied").containsEntry("state", "s1");
    }

    @Test
    void withoutInteractionTheAppHearsInteractionRequiredAndThePasswordGrantNamesWhatIsMissing() throws Exception {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        toSecondFactor(b); // signed in with a password only
        HttpResponse<String> silent = b.get(AuthorizeEndpointTest.authorize(TestTenant.TENANT.toString(),
                AuthorizeEndpointTest.desktopExact(Pkce.create(), "prompt", "none", "state", "q")));
        Map<String, String> p = FormBrowser.redirectParameters(silent);
        assertThat(p).containsEntry("error", "interaction_required").containsEntry("state", "q");
        assertThat(p.get("error_description")).startsWith("AADSTS50079: ");

        String ropc = "grant_type=password&client_id=" + TestTenant.PUBLIC_APP + "&scope=User.Read&username="
                + TestTenant.MEGAN_UPN + "&password=" + java.net.URLEncoder.encode(TestTenant.ADELE_PASSWORD,
                java.nio.charset.StandardCharsets.UTF_8);
        JsonNode enrol = JSON.readTree(server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", ropc).body());
        assertThat(enrol.path("error").asText()).isEqualTo("invalid_grant");
        assertThat(enrol.path("suberror").asText()).isEqualTo("basic_action");
        assertThat(enrol.path("error_codes").get(0).asInt()).isEqualTo(50079);
        EXERCISED.add(Cause.MFA_REGISTRATION_REQUIRED);
        meganHasAnApp();
        JsonNode verify = JSON.readTree(server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", ropc).body());
        assertThat(verify.path("error_codes").get(0).asInt()).isEqualTo(50076);
    }
}
