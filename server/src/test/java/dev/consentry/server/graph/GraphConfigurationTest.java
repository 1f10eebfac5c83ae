package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.SharedData;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server started with Microsoft's published permissions file instead of the built-in catalogue
 * ({@code serve --permissions-file}) and a decision record of two ({@code --decision-log-size 2}): calls are
 * authorized from the file, and only the two newest allowed calls can be looked up (refusals are kept apart, in
 * the shared store, with the same bound).
 */
class GraphConfigurationTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(),
            Optional.empty(), Clock.systemUTC(), Optional.of(SharedData.permissionsFile()), 2));
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void callsAreAuthorizedFromTheFileAndOnlyTheNewestDecisionsAreKept() throws Exception {
        HttpResponse<String> t = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "client_credentials", "client_id", TestTenant.DAEMON.toString(), "client_secret",
                TestTenant.DAEMON_SECRET, "scope", "https://graph.microsoft.com/.default")));
        String token = JSON.readTree(t.body()).path("access_token").asText();
        List<String> ids = new ArrayList<>();
        for (String path : List.of("/v1.0/users", "/v1.0/groups", "/v1.0/users/" + TestTenant.ADELE, "/v1.0/users")) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Authorization", "Bearer " + token).GET().build());
            ids.add(r.headers().firstValue("request-id").orElseThrow());
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(path.endsWith("/groups") ? 403 : 200);
        }
        assertThat(server.get("/consentry/diagnostics/" + ids.get(0)).statusCode()).as("the oldest, dropped").isEqualTo(404);
        assertThat(JSON.readTree(server.get("/consentry/diagnostics/" + ids.get(1)).body()).path("cause").asText())
                .isEqualTo("permission-not-requested");
        for (int allowed : List.of(2, 3)) {
            assertThat(JSON.readTree(server.get("/consentry/diagnostics/" + ids.get(allowed)).body()).path("decision")
                    .asText()).isEqualTo("allow");
        }
    }
}
