package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.NamedLocation;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Named locations at the token endpoint: a policy blocks Megan outside the trusted office range. Behind a local proxy
 * ({@code serve --trust-forwarded-for}) the proxy's {@code X-Forwarded-For} is the client's address: from the office she
 * gets a token, from elsewhere AADSTS53003. Without the flag the header counts for nothing and the socket's own
 * address (loopback, outside the office) decides.
 */
class NamedLocationTest {
    @RegisterExtension
    static final RunningConsentry proxied = withOfficePolicy(RunningConsentry.start(new ServerConfig("127.0.0.1", 0,
            Optional.empty(), Optional.empty(), Clock.systemUTC(), Optional.empty(), 100, Optional.empty(), true)));
    @RegisterExtension
    static final RunningConsentry direct = withOfficePolicy(RunningConsentry.start());
    private static final ObjectMapper JSON = new ObjectMapper();

    static RunningConsentry withOfficePolicy(RunningConsentry server) {
        var store = server.consentry().store();
        store.namedLocations().save(TestTenant.TENANT, new NamedLocation("office", null, "Office", true, List.of(
                new NamedLocation.IpRange("#microsoft.graph.iPv4CidrRange", "203.0.113.0/24")), null));
        store.conditionalAccessPolicies().save(TestTenant.TENANT, new ConditionalAccessPolicy("outside", "Block outside the "
                + "office", "enabled", Map.of("users", Map.of("includeUsers", List.of(TestTenant.MEGAN.toString())),
                        "applications", Map.of("includeApplications", List.of("All")),
                        "locations", Map.of("includeLocations", List.of("All"), "excludeLocations", List.of("AllTrusted"))),
                Map.of("builtInControls", List.of("block")), Map.of(), null));
        return server;
    }

    static HttpResponse<String> signIn(RunningConsentry server, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/" + TestTenant.TENANT + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(FormBrowser.encode(Map.of("grant_type", "password", "client_id",
                        TestTenant.PUBLIC_APP.toString(), "username", TestTenant.MEGAN_UPN, "password", TestTenant.ADELE_PASSWORD,
                        "scope", "User.Read"))));
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return server.send(b.build());
    }

    static int code(HttpResponse<String> r) throws Exception {
        return r.statusCode() == 200 ? 0 : JSON.readTree(r.body()).path("error_codes").get(0).asInt();
    }

    @Test
    void behindATrustedLocalProxyTheForwardedAddressDecides() throws Exception {
        assertThat(code(signIn(proxied, "203.0.113.40, 10.0.0.1"))).as("from the office").isZero();
        assertThat(code(signIn(proxied, "198.51.100.9"))).as("from elsewhere").isEqualTo(53003);
        assertThat(code(signIn(proxied, "not-an-address"))).as("unreadable: the proxy's own address, outside").isEqualTo(53003);
        assertThat(code(signIn(proxied, null))).isEqualTo(53003);
        String trace = signIn(proxied, "198.51.100.9").headers().firstValue("x-ms-request-id").orElseThrow();
        assertThat(proxied.get("/consentry/diagnostics/" + trace).body()).contains("Block outside the office");
    }

    @Test
    void withoutTheFlagTheHeaderIsIgnored() throws Exception {
        assertThat(code(signIn(direct, "203.0.113.40"))).isEqualTo(53003);
    }
}
