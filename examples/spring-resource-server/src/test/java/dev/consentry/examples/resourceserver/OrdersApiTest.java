package dev.consentry.examples.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import dev.consentry.junit.ConsentryExtension;
import dev.consentry.junit.ConsentryTenant;
import dev.consentry.junit.LocalConsentry;
import dev.consentry.junit.MsalClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The orders API against a Consentry started by the JUnit extension: real tokens from MSAL4J (an app with the app
 * role, a user through a desktop app with the delegated permission), Spring Security's issuer-uri discovery and JWKS
 * fetch over Consentry's TLS, and its refusals (no token, a token for another audience, no permission).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdersApiTest {
    static final ConsentryTenant CONTOSO = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
            .user("adele", u -> u.password("Adele-Pass-1"))
            .app("Orders API", a -> a.identifierUri("api://orders").requestedAccessTokenVersion(2).exposesScope("Orders.Read")
                    .exposesAppRole("Orders.Read.All").exposesAppRole("Orders.Archive"))
            .app("Orders Job", a -> a.secret("orders-job-secret").applicationPermissionsOn("Orders API", "Orders.Read.All"))
            .app("Archive Job", a -> a.secret("archive-job-secret").applicationPermissionsOn("Orders API", "Orders.Archive"))
            .app("Orders Desktop", a -> a.publicClient("http://localhost").delegatedPermissionsOn("Orders API", "Orders.Read"))
            .app("Graph Job", a -> a.secret("graph-job-secret").applicationPermissions("User.Read.All"));

    @RegisterExtension
    static final ConsentryExtension consentry = ConsentryExtension.withTenants(CONTOSO);

    /**
     * What a deployment sets: the issuer and the audience. Spring Security fetches the issuer's OpenID configuration and
     * keys with the JVM's default trust, so the JVM is told to trust Consentry's CA (as -Djavax.net.ssl.trustStore
     * does for an app run by hand) before the first request.
     */
    @DynamicPropertySource
    static void consentry(DynamicPropertyRegistry registry) throws Exception {
        LocalConsentry server = consentry.server();
        server.installAsDefaultTrustStore();
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> server.issuer(CONTOSO));
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> CONTOSO.clientId("Orders API"));
    }

    @LocalServerPort
    int port;

    @Test
    void anAppWithTheAppRoleReadsTheOrders(LocalConsentry server) throws Exception {
        HttpResponse<String> r = orders(appToken(server, "Orders Job", "orders-job-secret", "api://orders/.default"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("Paper");
    }

    @Test
    @SuppressWarnings("deprecation") // the password grant stands in for the user's interactive sign-in
    void aUserWithTheDelegatedPermissionReadsTheOrders(LocalConsentry server) throws Exception {
        String token = MsalClients.publicClient(server, CONTOSO, "Orders Desktop").acquireToken(UserNamePasswordParameters
                .builder(Set.of("api://orders/Orders.Read"), "adele@contoso.onmicrosoft.com", "Adele-Pass-1".toCharArray())
                .build()).get().accessToken();
        HttpResponse<String> r = orders(token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"readBy\":\"" + CONTOSO.userId("adele") + "\"");
    }

    @Test
    void anAppWithAnotherRoleIsForbidden(LocalConsentry server) throws Exception {
        assertThat(orders(appToken(server, "Archive Job", "archive-job-secret", "api://orders/.default")).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aTokenForMicrosoftGraphIsNotATokenForThisApi(LocalConsentry server) throws Exception {
        HttpResponse<String> r = orders(appToken(server, "Graph Job", "graph-job-secret", "https://graph.microsoft.com/.default"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
    }

    @Test
    void noTokenIsUnauthorized() throws Exception {
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> orders(String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String appToken(LocalConsentry server, String app, String secret, String scope) throws Exception {
        return MsalClients.confidential(server, CONTOSO, app, secret)
                .acquireToken(ClientCredentialParameters.builder(Set.of(scope)).build()).get().accessToken();
    }
}
