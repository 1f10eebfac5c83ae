package dev.consentry.testkit;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * The Microsoft Graph Java SDK (v6) pointed at a Graph that is not Microsoft's, as Consentry's README tells users to
 * set it up: the SDK's own HTTP client (retry, redirect and claims-challenge middleware included) trusting the given
 * CA, the base URL on that server, and its host as the only one the token goes to. Needs the Graph SDK on the class
 * path (an optional dependency of this module).
 */
public final class GraphSdkClients {
    private GraphSdkClients() {}

    /**
     * A client of {@code graphBaseUrl} (such as {@code https://localhost:8443/v1.0}) sending what {@code token}
     * supplies, over an HTTP client without the SDK's authorization middleware: a claims challenge reaches the caller
     * as it came, not retried.
     */
    public static GraphServiceClient withToken(String graphBaseUrl, SSLContext ssl, X509TrustManager trust, Supplier<String> token) {
        BaseBearerTokenAuthenticationProvider auth = new BaseBearerTokenAuthenticationProvider(
                tokenFor(URI.create(graphBaseUrl).getHost(), token));
        OkHttpClient http = GraphClientFactory.create().sslSocketFactory(ssl.getSocketFactory(), trust).build();
        GraphServiceClient client = new GraphServiceClient(auth, http);
        client.getRequestAdapter().setBaseUrl(graphBaseUrl);
        return client;
    }

    /** A token provider that hands over what {@code token} supplies for requests to {@code host} only. */
    public static AccessTokenProvider tokenFor(String host, Supplier<String> token) {
        return new AccessTokenProvider() {
            private final AllowedHostsValidator hosts = new AllowedHostsValidator(host);

            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return hosts.isUrlHostValid(uri) ? token.get() : "";
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return hosts;
            }
        };
    }

    /**
     * A client over {@code auth}, with the SDK's authorization middleware in its HTTP client as
     * {@code GraphClientFactory.create(authProvider)} builds it: on a 401 claims challenge it asks {@code auth}'s
     * provider again with the decoded claims and retries once.
     */
    public static GraphServiceClient over(String graphBaseUrl, SSLContext ssl, X509TrustManager trust,
                                          BaseBearerTokenAuthenticationProvider auth) {
        OkHttpClient http = GraphClientFactory.create(auth).sslSocketFactory(ssl.getSocketFactory(), trust).build();
        GraphServiceClient client = new GraphServiceClient(auth, http);
        client.getRequestAdapter().setBaseUrl(graphBaseUrl);
        return client;
    }
}
