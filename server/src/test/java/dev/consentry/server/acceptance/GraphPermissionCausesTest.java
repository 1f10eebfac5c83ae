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
 * The permission causes of Graph, each driven through MSAL4J and the Graph Java SDK: the refusal, its diagnosis, the
 * fix the diagnosis names applied as it names it, and the same SDK call allowed with the next token.
 */
class GraphPermissionCausesTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
    }

    private static GraphServiceClient daemon() {
        return GraphSdk.client(server,
                () -> server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET));
    }

    @Test
    @Drives(Cause.PERMISSION_NOT_REQUESTED)
    void aDaemonListingGroupsWithoutAnyGroupPermissionIsToldWhichOneToAddAndThenLists() {
        ODataError refused = GraphSdk.refused(() -> daemon().groups().get(), 403, "Authorization_RequestDenied");

        Diagnosis d = Diagnosed.as(server, GraphSdk.requestId(refused), Cause.PERMISSION_NOT_REQUESTED);
        assertThat(d.facts()).containsEntry("type", "application");
        assertThat(d.leastPrivileged().get("Application")).contains(d.facts().get("first"));
        var grant = Diagnosed.applyGrant(server, d);
        assertThat(grant.addedToRegistration()).isTrue();

        assertThat(daemon().groups().get().getValue()).isNotNull();
    }
}
