package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routes as Graph's v1.0 metadata knows them, driven through the Graph Java SDK with MSAL4J's tokens: a path the
 * metadata has but Microsoft's permission data does not is known (not "Resource not found") and answered with
 * Consentry's own 501, and a mistyped segment anywhere in a path is the one Graph's answer names.
 */
class GraphRouteCausesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();

    @BeforeEach
    void reset() {
        Diagnosed.reset(server);
    }

    private static GraphServiceClient graph(String token) {
        return GraphSdk.client(server, () -> token);
    }

    @Test
    @Drives(Cause.ROUTE_WITHOUT_PERMISSION_DATA)
    void aRouteOfTheMetadataWithoutPermissionDataIsKnownAndSaidToBeUndecided() {
        String token = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        GraphServiceClient daemon = graph(token);
        ODataError refused = GraphSdk.refused(() -> daemon.domainDnsRecords().get(), 501, "notImplemented");
        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.ROUTE_WITHOUT_PERMISSION_DATA);
        assertThat(d.facts()).containsEntry("method", "GET").containsEntry("path", "/v1.0/domainDnsRecords");
        assertThat(d.fix()).contains("Graph reference");

        // No fix of the caller's makes this call decidable (its permissions are not in the data Consentry decides by);
        // the closest honest success: a mistyped segment of the same kind of path is Graph's 400, naming that segment,
        // so a route that is only undecided is never mistaken for a wrong URL.
        ODataError typo = GraphSdk.refused(() -> daemon.domainDnsRecords()
                .withUrl(server.baseUrl() + "/v1.0/domainDnsRecord").get(), 400, "BadRequest");
        assertThat(typo.getError().getMessage()).isEqualTo("Resource not found for the segment 'domainDnsRecord'.");
        Diagnosis unknown = Diagnosed.as(server, GraphSdk.requestId(typo), Cause.UNKNOWN_PATH);
        assertThat(unknown.facts()).containsEntry("segment", "domainDnsRecord");
        assertThat(unknown.explanation()).contains("did you mean 'domainDnsRecords'?");
    }
}
