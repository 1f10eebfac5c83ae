package dev.consentry.examples.weblogin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.junit.ConsentryExtension;
import dev.consentry.junit.ConsentryTenant;
import dev.consentry.junit.LocalConsentry;
import dev.consentry.testkit.FormBrowser;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Signing in to the web app through Consentry's pages over HTTP, as a browser would (redirects followed by hand,
 * cookies kept), then the app's call to Graph as the user: Spring Security's discovery, authorization code flow, ID
 * token checks and token redemption against Consentry, and Consentry's Graph for the token it issued.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class WebLoginTest {
    /** The app's port, chosen before the tenant is written: a web app's redirect URI matches with its port. */
    static final int PORT = freePort();
    static final ConsentryTenant CONTOSO = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
            .user("adele", u -> u.password("Adele-Pass-1").displayName("Adele Vance"))
            .app("Contoso Portal", a -> a.secret("portal-secret-value")
                    .webRedirectUri("http://localhost:" + PORT + "/login/oauth2/code/entra")
                    .delegatedPermissions("User.Read", "offline_access"));

    @RegisterExtension
    static final ConsentryExtension consentry = ConsentryExtension.withTenants(CONTOSO);

    @DynamicPropertySource
    static void consentry(DynamicPropertyRegistry registry) throws Exception {
        LocalConsentry server = consentry.server();
        server.installAsDefaultTrustStore();
        registry.add("spring.security.oauth2.client.provider.entra.issuer-uri", () -> server.issuer(CONTOSO));
        registry.add("spring.security.oauth2.client.registration.entra.client-id", () -> CONTOSO.clientId("Contoso Portal"));
        registry.add("spring.security.oauth2.client.registration.entra.client-secret", () -> "portal-secret-value");
        registry.add("graph.url", server::graphUrl);
        registry.add("server.port", () -> PORT);
    }

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aUserSignsInAndTheAppCallsGraphAsThem(LocalConsentry server) {
        String app = "http://localhost:" + PORT;
        FormBrowser browser = new FormBrowser(app, server.sslContext());
        // The app sends the browser to its sign-in, and that to Consentry's authorize endpoint.
        String toLogin = location(browser.get(app + "/profile"));
        String toConsentry = location(browser.get(toLogin));
        assertThat(toConsentry).startsWith(server.authority(CONTOSO) + "oauth2/v2.0/authorize?").contains("response_type=code");
        // Consentry's pages: the username, then the password; then back to the app with a code.
        HttpResponse<String> back = browser.signIn(browser.get(toConsentry), "adele@contoso.onmicrosoft.com", "Adele-Pass-1");
        String toApp = location(back);
        assertThat(toApp).startsWith(app + "/login/oauth2/code/entra?code=");
        // The app redeems the code (its secret, TLS to Consentry), checks the ID token and returns to the page asked for.
        String toProfile = location(browser.get(toApp));
        HttpResponse<String> profile = browser.get(toProfile);
        assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
        assertThat(profile.body()).contains("\"signedInAs\":\"adele@contoso.onmicrosoft.com\"")
                .contains("\"graphDisplayName\":\"Adele Vance\"").contains("\"graphId\":\"" + CONTOSO.userId("adele") + "\"");
    }

    private static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }
}
