package dev.consentry.server.testing;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import dev.consentry.server.tls.TrustingClients;
import dev.consentry.testkit.GraphSdkClients;
import java.util.function.Supplier;
import javax.net.ssl.X509TrustManager;
/**
 * The Microsoft Graph Java SDK v6 pointed at a running Consentry, set up as the README tells users: the
 * SDK's own HTTP client trusting Consentry's CA, the base URL on Consentry, and Consentry's host in the
 * token provider's allowed hosts.
 */
public final class GraphSdk {
    private GraphSdk() {}

    /** A client whose token provider hands the SDK whatever {@code token} supplies, for Consentry's host only. */
    public static GraphServiceClient client(RunningConsentry server, Supplier<String> token) {
        return GraphSdkClients.withToken(server.baseUrl() + "/v1.0", server.sslContext(), trustManager(server), token);
    }

    /**
     * A client over {@code provider}, with the SDK's authorization middleware in its HTTP client, as
     * {@code GraphClientFactory.create(authProvider)} builds it: on a 401 claims challenge the SDK asks {@code provider}
     * again with the decoded claims (in the context under {@code "claims"}) and retries once.
     */
    public static GraphServiceClient client(RunningConsentry server, AccessTokenProvider provider) {
        return GraphSdkClients.over(server.baseUrl() + "/v1.0", server.sslContext(), trustManager(server),
                new BaseBearerTokenAuthenticationProvider(provider));
    }

    private static X509TrustManager trustManager(RunningConsentry server) {
        try {
            return (X509TrustManager) TrustingClients.trustManagers(server.consentry().caCertificate()).getTrustManagers()[0];
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code call}, which must fail in the SDK as an {@link ODataError} with {@code status} and Graph's {@code code}. */
    public static ODataError refused(Runnable call, int status, String code) {
        ODataError e = org.assertj.core.api.Assertions.catchThrowableOfType(ODataError.class, call::run);
        org.assertj.core.api.Assertions.assertThat(e).as("the SDK raises ODataError").isNotNull();
        org.assertj.core.api.Assertions.assertThat(e.getResponseStatusCode()).as(e.getMessage()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(e.getError().getCode()).isEqualTo(code);
        return e;
    }

    /** The request id Consentry answered an SDK error with (Graph's {@code request-id} header). */
    public static String requestId(ODataError e) {
        return e.getResponseHeaders().get("request-id").iterator().next();
    }
}
