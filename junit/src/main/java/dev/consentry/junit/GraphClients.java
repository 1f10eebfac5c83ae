package dev.consentry.junit;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import dev.consentry.testkit.GraphSdkClients;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
/**
 * Microsoft Graph Java SDK (v6) clients pointed at a {@link LocalConsentry}: the SDK's own HTTP client (with its
 * retry, redirect and claims-challenge middleware) trusting Consentry's CA, the base URL on Consentry, and
 * Consentry's host as the only host the token is sent to. Needs the Graph SDK (and, for {@link #forApp}, MSAL4J) on
 * the test class path.
 */
public final class GraphClients {
    private GraphClients() {}

    /** A client sending whatever {@code token} supplies as its bearer token (asked again for each request). */
    public static GraphServiceClient withToken(LocalConsentry server, Supplier<String> token) {
        return GraphSdkClients.over(server.graphUrl(), server.sslContext(), server.trustManager(),
                new BaseBearerTokenAuthenticationProvider(GraphSdkClients.tokenFor(server.baseUrl().getHost(), token)));
    }

    /**
     * A client of the app {@code appName} of {@code tenant} calling Graph with its own permissions (client
     * credentials, {@code https://graph.microsoft.com/.default}), through MSAL4J, which keeps the token until it is
     * near expiry.
     */
    public static GraphServiceClient forApp(LocalConsentry server, ConsentryTenant tenant, String appName, String secret) {
        ConfidentialClientApplication app = MsalClients.confidential(server, tenant, appName, secret);
        ClientCredentialParameters graph = ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build();
        return withToken(server, () -> {
            try {
                return app.acquireToken(graph).get().accessToken();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("MSAL could not get a token for " + appName + ": " + e.getCause().getMessage(), e.getCause());
            }
        });
    }
}
