package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Microsoft Graph Java SDK v6 against Consentry ({@link GraphSdk}); tokens come from MSAL4J. The SDK must
 * parse every refusal into its {@link ODataError} and page through collections with its page iterator.
 */
class GraphSdkTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();

    static GraphServiceClient graph(Supplier<String> token) {
        return GraphSdk.client(server, token);
    }

    static String daemonToken() {
        return server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    @Test
    @SuppressWarnings("deprecation") // ROPC stands in for an interactive sign-in here
    void theSdkReadsMeWithADelegatedToken() throws Exception {
        com.microsoft.aad.msal4j.PublicClientApplication desktop = com.microsoft.aad.msal4j.PublicClientApplication
                .builder(TestTenant.PUBLIC_APP.toString()).authority(server.authority(TestTenant.TENANT.toString()))
                .instanceDiscovery(false).sslSocketFactory(server.sslContext().getSocketFactory()).build();
        String token = desktop.acquireToken(com.microsoft.aad.msal4j.UserNamePasswordParameters.builder(Set.of("User.Read"),
                TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD.toCharArray()).build()).get().accessToken();
        com.microsoft.graph.models.User me = graph(() -> token).me().get();
        assertThat(me.getUserPrincipalName()).isEqualTo(TestTenant.ADELE_UPN);
        assertThat(me.getId()).isEqualTo(TestTenant.ADELE.toString());
        assertThat(me.getDisplayName()).isEqualTo("Adele Vance");
    }

    @Test
    void withoutATokenTheSdkGetsInvalidAuthenticationToken() throws Exception {
        ODataError e = catchThrowableOfType(ODataError.class, () -> graph(() -> "").me().get());
        assertThat(e.getResponseStatusCode()).isEqualTo(401);
        assertThat(e.getError().getCode()).isEqualTo("InvalidAuthenticationToken");
        assertThat(e.getResponseHeaders().get("request-id")).isNotEmpty();
    }

    @Test
    void anAppOnlyTokenOnMeIsABadRequestAndOnUsersPagesThroughEveryUser() throws Exception {
        GraphServiceClient client = graph(GraphSdkTest::daemonToken);
        ODataError me = catchThrowableOfType(ODataError.class, () -> client.me().get());
        assertThat(me.getResponseStatusCode()).isEqualTo(400);
        assertThat(me.getError().getCode()).isEqualTo("BadRequest");

        var users = client.users().get(c -> c.queryParameters.top = 2);
        assertThat(users.getValue()).hasSize(2);
        assertThat(users.getOdataNextLink()).as("more than one page").startsWith(server.baseUrl() + "/v1.0/users?");
        var all = new java.util.ArrayList<String>();
        var pages = new com.microsoft.graph.core.tasks.PageIterator.Builder<com.microsoft.graph.models.User,
                com.microsoft.graph.models.UserCollectionResponse>().client(client).collectionPage(users)
                .collectionPageFactory(com.microsoft.graph.models.UserCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(u -> all.add(u.getUserPrincipalName())).build();
        pages.iterate();
        assertThat(all).as("the SDK's page iterator follows @odata.nextLink to the end")
                .contains(TestTenant.ADELE_UPN, TestTenant.MEGAN_UPN).doesNotHaveDuplicates();

        ODataError manager = catchThrowableOfType(ODataError.class, () -> client.users().byUserId(TestTenant.ADELE.toString())
                .manager().get());
        assertThat(manager.getResponseStatusCode()).as("allowed, and not served yet").isEqualTo(501);
        assertThat(manager.getError().getCode()).isEqualTo("notImplemented");
        String requestId = manager.getResponseHeaders().get("request-id").iterator().next();
        assertThat(server.get("/consentry/diagnostics/" + requestId).body()).contains("\"decision\":\"allow\"");
    }
}
