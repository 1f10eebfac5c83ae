package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long values in a Graph request, over a real socket through the production routing: each is answered as Graph
 * answers it, in Graph's error JSON with the response's request id, and none is a 500.
 */
class LongInputTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String A2000 = "a".repeat(2000);
    static String token;

    @BeforeAll
    static void daemonToken() throws Exception {
        HttpResponse<String> r = server.postForm("/" + TestTenant.TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "client_credentials", "client_id", TestTenant.DAEMON.toString(),
                "client_secret", TestTenant.DAEMON_SECRET, "scope", "https://graph.microsoft.com/.default")));
        token = JSON.readTree(r.body()).path("access_token").asText();
    }

    static HttpResponse<String> get(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + token).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return server.send(b.build());
    }

    static String query(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Graph's error JSON with the status and code, its request id the response header's. */
    static JsonNode graphError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("innerError").path("request-id").asText())
                .isEqualTo(r.headers().firstValue("request-id").orElseThrow());
        return error;
    }

    @Test
    void aLongFilterValueIsAnUnsupportedQueryAsGraphAnswersIt() throws Exception {
        JsonNode eq = graphError(get("/v1.0/users?" + query("$filter", "displayName eq '" + A2000 + "'")), 400,
                "Request_UnsupportedQuery");
        assertThat(eq.path("message").asText())
                .isEqualTo("Unsupported or invalid query filter clause specified for property 'displayName' of resource 'User'.");
        graphError(get("/v1.0/users?" + query("$filter", "startswith(displayName,'" + "a".repeat(121) + "')")), 400,
                "Request_UnsupportedQuery");
        graphError(get("/v1.0/users?" + query("$filter", "displayName eq '" + "''".repeat(3000) + "'")), 400,
                "Request_UnsupportedQuery");
    }

    @Test
    void aFilterValueUpToTheLimitIsServed() throws Exception {
        HttpResponse<String> r = get("/v1.0/users?" + query("$filter", "startswith(displayName,'" + "a".repeat(120) + "')"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("value").size()).isZero();
        HttpResponse<String> quoted = get("/v1.0/users?" + query("$filter", "displayName eq 'Adele Vance' and "
                + "startswith(displayName,'Adele and Megan')"));
        assertThat(quoted.statusCode()).as("'and' inside a literal is not a separator: " + quoted.body()).isEqualTo(200);
    }

    @Test
    void aLongUnterminatedOrMalformedFilterIsABadRequest() throws Exception {
        graphError(get("/v1.0/users?" + query("$filter", "displayName eq '" + A2000)), 400, "BadRequest");
        graphError(get("/v1.0/users?" + query("$filter", "(" .repeat(2000))), 400, "BadRequest");
    }

    @Test
    void otherLongValuesAreAnsweredAsGraphAnswersThem() throws Exception {
        JsonNode segment = graphError(get("/v1.0/" + "b".repeat(10_000)), 400, "BadRequest");
        assertThat(segment.path("message").asText()).startsWith("Resource not found for the segment 'bbbb");
        graphError(get("/v1.0/users/" + A2000), 404, "Request_ResourceNotFound");
        JsonNode select = graphError(get("/v1.0/users?" + query("$select", "displayName," + A2000)), 400, "BadRequest");
        assertThat(select.path("message").asText()).startsWith("Could not find a property named 'aaaa");
        HttpResponse<String> search = get("/v1.0/users?" + query("$search", "\"displayName:" + A2000 + "\""),
                "ConsistencyLevel", "eventual");
        assertThat(search.statusCode()).as(search.body()).isLessThan(500);
        HttpResponse<String> header = get("/v1.0/users", "X-Long", "h".repeat(20_000));
        assertThat(header.statusCode()).as(header.body()).isEqualTo(200);
    }
}
