package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.ClaimsRequest;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Continuous access evaluation of locations, driven through MSAL4J and the Graph Java SDK behind a trusted local proxy
 * ({@code serve --trust-forwarded-for}), whose {@code X-Forwarded-For} stands for where the app runs. A server of its
 * own: the proxy setting is the point of the test.
 */
class GraphLocationCausesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(),
            Optional.empty(), Clock.systemUTC(), Optional.empty(), 100, Optional.empty(), true));
    private static final String OFFICE = "203.0.113.40";
    private static final String ELSEWHERE = "198.51.100.9";

    @BeforeEach
    void meganMayNotWorkOutsideTheOffice() {
        Diagnosed.reset(server);
        Store store = server.consentry().store();
        store.namedLocations().save(TestTenant.TENANT, new NamedLocation("office", null, "Office", true, List.of(
                new NamedLocation.IpRange("#microsoft.graph.iPv4CidrRange", "203.0.113.0/24")), null));
        store.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("megan-outside",
                "block outside the office", "enabled", Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of("All")),
                        "locations", Map.of("includeLocations", List.of("All"), "excludeLocations", List.of("AllTrusted"))),
                Map.of("builtInControls", List.of("block"), "operator", "OR"), Map.of(), null));
    }

    /** Megan's token through MSAL4J (cp1 declared) for an app running at {@code address}, with {@code claims} or none. */
    @SuppressWarnings("deprecation") // ROPC stands in for an interactive sign-in here
    private static String meganFrom(String address, String claims) throws Exception {
        PublicClientApplication app = PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).clientCapabilities(Set.of("cp1")).build();
        var p = UserNamePasswordParameters.builder(Set.of("User.Read"), TestTenant.MEGAN_UPN,
                TestTenant.ADELE_PASSWORD.toCharArray()).extraHttpHeaders(Map.of("X-Forwarded-For", address));
        if (claims != null) {
            p.claims(ClaimsRequest.formatAsClaimsRequest(claims));
        }
        return app.acquireToken(p.build()).get(30, TimeUnit.SECONDS).accessToken();
    }

    private static String myUpnFrom(GraphServiceClient graph, String address) {
        return graph.me().get(rc -> rc.headers.add("X-Forwarded-For", address)).getUserPrincipalName();
    }

    @Test
    @Drives(Cause.CAE_LOCATION_CHALLENGE)
    void aCaeTokenUsedOutsideTheOfficeIsChallengedAndTheChallengesClaimsFromTheOfficeGiveATokenThatIsAnswered()
            throws Exception {
        AtomicReference<String> token = new AtomicReference<>(meganFrom(OFFICE, null));
        GraphServiceClient graph = GraphSdk.client(server, token::get);
        assertThat(myUpnFrom(graph, OFFICE)).isEqualTo(TestTenant.MEGAN_UPN);

        ODataError refused = GraphSdk.refused(() -> myUpnFrom(graph, ELSEWHERE), 403, "InvalidAuthenticationToken");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.CAE_LOCATION_CHALLENGE);
        assertThat(d.facts()).containsEntry("reason", "LocationConditionEvaluationSatisfied").containsEntry("address", ELSEWHERE);
        assertThat(d.facts().get("policies")).contains("block outside the office");
        assertThat(d.fix()).contains("claims of the challenge").contains("named locations");
        String header = refused.getResponseHeaders().get("WWW-Authenticate").iterator().next();
        Matcher m = Pattern.compile("claims=\"([^\"]+)\"").matcher(header);
        assertThat(m.find()).as(header).isTrue();
        String claims = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);

        // The fix's allowed case: the app runs inside the policy's named location again and asks with the claims.
        token.set(meganFrom(OFFICE, claims));
        assertThat(myUpnFrom(graph, OFFICE)).isEqualTo(TestTenant.MEGAN_UPN);
    }
}
