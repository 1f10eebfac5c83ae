package dev.consentry.server.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One explanation model for both channels, over HTTPS: an STS refusal and an issued token are explained step by
 * step at {@code /consentry/diagnostics/{id}} like a Graph decision, found by the trace id, the request id or the
 * caller's correlation id.
 */
class DiagnosisApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN_PATH = "/" + TestTenant.TENANT + "/oauth2/v2.0/token";
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();

    static HttpResponse<String> clientCredentials(String secret, String scope) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "client_credentials");
        p.put("client_id", TestTenant.DAEMON.toString());
        p.put("client_secret", secret);
        p.put("scope", scope);
        return server.postForm(TOKEN_PATH, FormBrowser.encode(p));
    }

    static JsonNode diagnosis(String id) throws Exception {
        HttpResponse<String> r = server.get("/consentry/diagnostics/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static List<String> checks(JsonNode d) {
        List<String> out = new ArrayList<>();
        d.path("steps").forEach(s -> out.add(s.path("check").asText() + ":" + s.path("outcome").asText()));
        return out;
    }

    @Test
    void aTokenRequestWithTheWrongSecretIsExplainedStepByStepUnderItsTraceId() throws Exception {
        HttpResponse<String> r = clientCredentials("not-the-secret", "https://graph.microsoft.com/.default");
        assertThat(r.statusCode()).isEqualTo(401);
        String traceId = JSON.readTree(r.body()).path("trace_id").asText();
        JsonNode d = diagnosis(traceId);
        assertThat(d.path("channel").asText()).isEqualTo("sts");
        assertThat(d.path("decision").asText()).isEqualTo("deny");
        assertThat(d.path("cause").asText()).isEqualTo("client-secret-invalid");
        assertThat(d.path("error").asText()).isEqualTo("invalid_client");
        assertThat(checks(d)).containsExactly("tenant:passed", "grant-type:passed", "client-authentication:failed");
        assertThat(d.path("fix").asText()).isNotBlank();
        assertThat(d.toString()).as("the diagnosis never repeats the credential").doesNotContain("not-the-secret");
    }

    @Test
    void anIssuedTokenIsExplainedTooAndFoundByTheCorrelationIdTheClientSent() throws Exception {
        String correlation = "7a1f6a52-50b3-4b86-9d35-0f1b2c3d4e5f";
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + TOKEN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded").header("client-request-id", correlation)
                .POST(HttpRequest.BodyPublishers.ofString(FormBrowser.encode(Map.of("grant_type", "client_credentials",
                        "client_id", TestTenant.DAEMON.toString(), "client_secret", TestTenant.DAEMON_SECRET,
                        "scope", "https://graph.microsoft.com/.default")))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode byRequest = diagnosis(r.headers().firstValue("x-ms-request-id").orElseThrow());
        assertThat(byRequest.path("decision").asText()).isEqualTo("allow");
        assertThat(checks(byRequest)).containsExactly("tenant:passed", "grant-type:passed", "client-authentication:passed",
                "issued:passed");
        assertThat(diagnosis(correlation).path("id").asText()).isEqualTo(byRequest.path("id").asText());
    }

    @Test
    void aGraphTokenForTheCanaryHostIsAcceptedByConsentrysOwnGraph() throws Exception {
        // The token endpoint issues Graph tokens for every name of Graph; its own Graph must accept each of them.
        HttpResponse<String> t = clientCredentials(TestTenant.DAEMON_SECRET, "https://canary.graph.microsoft.com/.default");
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        String token = JSON.readTree(t.body()).path("access_token").asText();
        HttpResponse<String> users = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1.0/users"))
                .header("Authorization", "Bearer " + token).GET().build());
        JsonNode d = diagnosis(users.headers().firstValue("request-id").orElseThrow());
        assertThat(checks(d)).contains("audience:passed");
        assertThat(d.path("cause").asText()).isNotEqualTo("wrong-audience");
    }
}
