package dev.consentry.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@link ConsentryTest} with a tenant file from the class path, and the parameters it resolves. */
@ConsentryTest(tenantFiles = "classpath:fabrikam.tenant.json")
class ConsentryTestAnnotationTest {
    static final ConsentryTenant FABRIKAM = ConsentryTenant.named("Fabrikam", "fabrikam.onmicrosoft.com")
            .id("0b7c3f1e-2a4d-4e6f-8a9b-1c2d3e4f5a6b")
            .app("Fabrikam Reports", a -> a.clientId("4d1f0b9a-7c3e-4a2b-9e8d-6f5a4b3c2d1e"));

    private final LocalConsentry server;

    ConsentryTestAnnotationTest(LocalConsentry server) {
        this.server = server;
    }

    @Test
    void theTenantFilesAppCallsGraph() {
        GraphServiceClient graph = GraphClients.forApp(server, FABRIKAM, "Fabrikam Reports", "reports-secret-value");
        assertThat(graph.users().get().getValue()).extracting(u -> u.getUserPrincipalName())
                .containsExactly("megan@fabrikam.onmicrosoft.com");
    }

    @Test
    void theTenantIsKnownByItsDomainToo() throws Exception {
        HttpResponse<String> discovery = server.httpClient().send(HttpRequest.newBuilder(URI.create(
                server.authority("fabrikam.onmicrosoft.com") + "v2.0/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(discovery.body()).contains(FABRIKAM.tenantId());
    }
}
