package dev.consentry.junit;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

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
        AccessTokenProvider provider = new AccessTokenProvider() {
            private final AllowedHostsValidator hosts = new AllowedHostsValidator(server.baseUrl().getHost());

            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return hosts.isUrlHostValid(uri) ? token.get() : "";
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return hosts;
            }
        };
        BaseBearerTokenAuthenticationProvider auth = new BaseBearerTokenAuthenticationProvider(provider);
        OkHttpClient http = GraphClientFactory.create(auth)
                .sslSocketFactory(server.sslContext().getSocketFactory(), server.trustManager()).build();
        GraphServiceClient client = new GraphServiceClient(auth, http);
        client.getRequestAdapter().setBaseUrl(server.graphUrl());
        return client;
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
