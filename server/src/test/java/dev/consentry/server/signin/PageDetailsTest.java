package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.server.ServerConfig;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a sign-in page tells a browser that is not on this machine (issue 15): Entra's own message, naming only the
 * request's values, without Consentry's explanation, which names directory facts (every tenant of the instance for an
 * unknown tenant, an app's registered redirect URIs). A browser on this machine gets the explanation and the fix. The
 * remote browser is a local proxy's client ({@code --trust-forwarded-for} with {@code X-Forwarded-For}).
 */
class PageDetailsTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(),
            Optional.empty(), Clock.systemUTC(), Optional.empty(), 100, Optional.empty(), true, false));

    static HttpResponse<String> page(String path, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET();
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return server.send(b.build());
    }

    @Test
    void anUnknownTenantIsNamedAloneToARemoteBrowserAndWithTheKnownOnesToALocalOne() {
        String path = AuthorizeEndpointTest.authorize("nowhere.example", AuthorizeEndpointTest.desktopExact(AuthorizeEndpointTest.Pkce.create()));
        HttpResponse<String> remote = page(path, "203.0.113.5");
        assertThat(remote.statusCode()).isEqualTo(400);
        assertThat(remote.body()).contains("Tenant 'nowhere.example' not found").contains("AADSTS90002")
                .doesNotContain("Known tenants").doesNotContain(TestTenant.TENANT.toString()).doesNotContain("fabrikam.onmicrosoft.com")
                .doesNotContain("id=\"detail\"");

        HttpResponse<String> local = page(path, null);
        assertThat(local.body()).contains("Known tenants").contains(TestTenant.TENANT.toString());
    }

    @Test
    void aRedirectMismatchDoesNotListTheRegisteredUrisToARemoteBrowser() {
        String path = AuthorizeEndpointTest.authorize(TestTenant.TENANT.toString(),
                AuthorizeEndpointTest.desktopExact(AuthorizeEndpointTest.Pkce.create(), "redirect_uri", "https://evil.example/cb"));
        HttpResponse<String> remote = page(path, "203.0.113.5");
        assertThat(remote.body()).contains("AADSTS50011").contains("https://evil.example/cb")
                .doesNotContain("registered redirect URIs").doesNotContain("http://localhost");
        assertThat(page(path, null).body()).contains("registered redirect URIs").contains("http://localhost");
    }
}
