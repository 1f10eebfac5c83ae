package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.ErrorProfile;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.id.ObjectId;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.TenantBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Continuous access evaluation of locations at Graph, behind a trusted local proxy ({@code serve --trust-forwarded-for}),
 * whose {@code X-Forwarded-For} stands for where the app runs. Megan may not work outside the office (a block policy);
 * Adele needs a second factor outside it. A token declaring {@code cp1} and obtained in the office is answered from the
 * office; once the app calls from elsewhere, Graph answers the challenge naming
 * {@code LocationConditionEvaluationSatisfied}, whose claims sent back to the token endpoint from there meet the policy
 * again (AADSTS53003 for Megan, a second factor for Adele). A token without {@code cp1} is not challenged.
 */
public class ContinuousAccessLocationTest {
    /** The causes this class proves on the wire. */
    public static final Set<Cause> COVERED_HERE = Set.of(Cause.CAE_LOCATION_CHALLENGE);
    static final String OFFICE = "203.0.113.40";
    static final String ELSEWHERE = "198.51.100.9";
    static final String CP1 = "{\"access_token\":{\"xms_cc\":{\"values\":[\"cp1\"]}}}";
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(),
            Optional.empty(), Clock.systemUTC(), Optional.empty(), 100, Optional.empty(), true));
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void officePolicies() {
        Store store = server.consentry().store();
        store.namedLocations().save(TestTenant.TENANT, new NamedLocation("office", null, "Office", true, List.of(
                new NamedLocation.IpRange("#microsoft.graph.iPv4CidrRange", "203.0.113.0/24")), null));
        store.conditionalAccessPolicies().save(TestTenant.TENANT, outsideTheOffice("megan-outside", TestTenant.MEGAN, "block"));
        store.conditionalAccessPolicies().save(TestTenant.TENANT, outsideTheOffice("adele-outside", TestTenant.ADELE, "mfa"));
    }

    static ConditionalAccessPolicy outsideTheOffice(String id, ObjectId user, String control) {
        return new ConditionalAccessPolicy(id, control + " outside the office", "enabled", Map.of("users",
                Map.of("includeUsers", List.of(user.toString())), "applications", Map.of("includeApplications", List.of("All")),
                "locations", Map.of("includeLocations", List.of("All"), "excludeLocations", List.of("AllTrusted"))),
                Map.of("builtInControls", List.of(control), "operator", "OR"), Map.of(), null);
    }

    @AfterEach
    void defaultProfile() {
        profile(ErrorProfile.TROUBLESHOOTING_GUIDE);
    }

    static void profile(ErrorProfile profile) {
        Store store = server.consentry().store();
        TenantDirectory t = store.tenants().export(TestTenant.TENANT).orElseThrow();
        store.tenants().replace(TenantBuilder.from(t).withSettings(new TenantSettings(profile,
                t.settings().additionalProperties())).build());
    }

    /** The public app's password grant for {@code upn}, from {@code address}, with {@code claims} (null for none). */
    static HttpResponse<String> token(String upn, String address, String claims) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "password", "client_id",
                TestTenant.PUBLIC_APP.toString(), "username", upn, "password", TestTenant.ADELE_PASSWORD, "scope", "User.Read"));
        if (claims != null) {
            form.put("claims", claims);
        }
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + TestTenant.TENANT + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(FormBrowser.encode(form))).build());
    }

    static String accessToken(String upn, String address, String claims) throws Exception {
        HttpResponse<String> r = token(upn, address, claims);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static HttpResponse<String> me(String token, String address) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1.0/me"))
                .header("Authorization", "Bearer " + token).header("X-Forwarded-For", address).GET().build());
    }

    /** The claims of a challenge, decoded. */
    static String claims(HttpResponse<String> challenged) {
        String header = challenged.headers().firstValue("WWW-Authenticate").orElseThrow();
        return new String(Base64.getDecoder().decode(header.replaceAll(".*claims=\"([^\"]+)\".*", "$1")), StandardCharsets.UTF_8);
    }

    static int stsCode(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error_codes").path(0).asInt();
    }

    @Test
    void aBlockedLocationChallengesTheCaeTokenAndTheStsThenBlocks() throws Exception {
        String cae = accessToken(TestTenant.MEGAN_UPN, OFFICE, CP1);
        String plain = accessToken(TestTenant.MEGAN_UPN, OFFICE, null);
        assertThat(me(cae, OFFICE).statusCode()).as("from the office").isEqualTo(200);

        HttpResponse<String> challenged = me(cae, ELSEWHERE);
        assertThat(challenged.statusCode()).as(challenged.body()).isEqualTo(403);
        JsonNode error = JSON.readTree(challenged.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(error.path("message").asText()).isEqualTo("Continuous access evaluation resulted in challenge with "
                + "result: InteractionRequired and code: LocationConditionEvaluationSatisfied");
        assertThat(challenged.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains(", error_description=\"Continuous access evaluation resulted in challenge with result: "
                        + "InteractionRequired and code: LocationConditionEvaluationSatisfied\", error=\"insufficient_claims\", claims=\"");
        String claims = claims(challenged);
        assertThat(claims).matches("\\{\"access_token\":\\{\"nbf\":\\{\"essential\":true,\"value\":\"\\d+\"},"
                + "\"xms_rp_ipaddr\":\\{\"value\":\"" + ELSEWHERE.replace(".", "\\.") + "\"}}}");
        String trace = challenged.headers().firstValue("request-id").orElseThrow();
        assertThat(server.get("/consentry/diagnostics/" + trace).body()).contains(Cause.CAE_LOCATION_CHALLENGE.slug())
                .contains("block outside the office").contains(ELSEWHERE);

        assertThat(me(plain, ELSEWHERE).statusCode()).as("no cp1: not challenged until it expires").isEqualTo(200);
        assertThat(me(cae, OFFICE).statusCode()).as("back in the office").isEqualTo(200);
        assertThat(stsCode(token(TestTenant.MEGAN_UPN, ELSEWHERE, claims))).as("the claims sent back from elsewhere")
                .isEqualTo(53003);
    }

    @Test
    void underGraphTodayTheLocationChallengeIs401() throws Exception {
        String cae = accessToken(TestTenant.MEGAN_UPN, OFFICE, CP1);
        profile(ErrorProfile.GRAPH_TODAY);
        HttpResponse<String> challenged = me(cae, ELSEWHERE);
        assertThat(challenged.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(challenged.body()).path("error").path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(claims(challenged)).contains("xms_rp_ipaddr");
    }

    @Test
    void aSecondFactorOutsideTheOfficeIsAskedForAndATokenThatProvedOneIsNotChallenged() throws Exception {
        String cae = accessToken(TestTenant.ADELE_UPN, OFFICE, CP1);
        HttpResponse<String> challenged = me(cae, ELSEWHERE);
        assertThat(challenged.statusCode()).as(challenged.body()).isEqualTo(403);
        assertThat(server.get("/consentry/diagnostics/" + challenged.headers().firstValue("request-id").orElseThrow()).body())
                .contains("mfa outside the office");
        HttpResponse<String> again = token(TestTenant.ADELE_UPN, ELSEWHERE, claims(challenged));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(stsCode(again)).as(again.body()).isIn(50076, 50079);

        String stepped = server.resigned(cae, c -> c.claim("amr", List.of("pwd", "mfa")));
        assertThat(me(stepped, ELSEWHERE).statusCode()).as("a token whose sign-in proved a second factor").isEqualTo(200);
    }
}
