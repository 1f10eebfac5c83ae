package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.testing.FormBrowser;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Microsoft Graph's front door over HTTPS: the engine's decision as Graph's status, code and headers, and
 * the same decision, step by step, from {@code /consentry/diagnostics/{request-id}}. Tokens come from
 * Consentry's own token endpoint.
 */
class GraphAuthorizationTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "/" + TestTenant.TENANT + "/oauth2/v2.0/token";

    static String token(Map<String, String> form) throws Exception {
        HttpResponse<String> r = server.postForm(TOKEN, FormBrowser.encode(form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static String daemonToken(String scope) throws Exception {
        return token(Map.of("grant_type", "client_credentials", "client_id", TestTenant.DAEMON.toString(), "client_secret",
                TestTenant.DAEMON_SECRET, "scope", scope));
    }

    static String adeleToken() throws Exception {
        return token(Map.of("grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(), "username",
                TestTenant.ADELE_UPN, "password", TestTenant.ADELE_PASSWORD, "scope", "User.Read"));
    }

    static HttpResponse<String> call(String method, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return server.send(b.build());
    }

    static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    /** The recorded decision of a response, by its request-id header. */
    static JsonNode diagnosis(HttpResponse<String> r) throws Exception {
        String id = r.headers().firstValue("request-id").orElseThrow();
        HttpResponse<String> d = server.get("/consentry/diagnostics/" + id);
        assertThat(d.statusCode()).isEqualTo(200);
        JsonNode body = json(d.body());
        assertThat(body.path("id").asText()).isEqualTo(id);
        assertThat(body.path("status").asInt()).isEqualTo(r.statusCode());
        return body;
    }

    static void assertGraphError(HttpResponse<String> r, int status, String code, String cause) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = json(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("innerError").path("request-id").asText()).isEqualTo(r.headers().firstValue("request-id").orElseThrow());
        JsonNode d = diagnosis(r);
        assertThat(d.path("decision").asText()).isEqualTo("deny");
        assertThat(d.path("cause").asText()).isEqualTo(cause);
        assertThat(d.path("fix").asText()).isNotBlank();
        JsonNode steps = d.path("steps");
        assertThat(steps.get(steps.size() - 1).path("passed").asBoolean()).isFalse();
    }

    @Test
    void noTokenIs401WithGraphsChallenge() throws Exception {
        HttpResponse<String> r = call("GET", "/v1.0/me", null);
        assertGraphError(r, 401, "InvalidAuthenticationToken", "token-missing");
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer realm=\"\"")
                .contains("authorization_uri=\"" + server.baseUrl() + "/common/oauth2/authorize\"")
                .contains("client_id=\"00000003-0000-0000-c000-000000000000\"");
        assertThat(json(r.body()).path("error").path("message").asText()).isEqualTo("Access token is empty.");
    }

    @Test
    void malformedTokensAre401NeverA500() throws Exception {
        String good = daemonToken("https://graph.microsoft.com/.default");
        String[] parts = good.split("\\.");
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + parts[1] + ".";
        String hugeHeader = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"RS256\",\"x\":\"" + "y".repeat(12_000) + "\"}").getBytes()) + "." + parts[1] + "." + parts[2];
        for (String bad : new String[] {good.substring(0, good.length() / 2), none, "a.b.c", "x".repeat(20_000), hugeHeader,
                parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes()) + "."
                        + parts[2]}) {
            HttpResponse<String> r = call("GET", "/v1.0/users", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(401);
            assertThat(json(r.body()).path("error").path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        }
    }

    @Test
    void anAllowedCallAnswers501NamingTheRouteAndIsRecordedAsAnAllow() throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1.0/users"))
                .header("Authorization", "Bearer " + daemonToken("https://graph.microsoft.com/.default"))
                .header("client-request-id", "my-correlation-1").GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(501);
        JsonNode error = json(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("notImplemented");
        assertThat(error.path("message").asText()).contains("GET /users").contains("User.Read.All");
        assertThat(r.headers().firstValue("client-request-id")).contains("my-correlation-1");
        assertThat(error.path("innerError").path("client-request-id").asText()).isEqualTo("my-correlation-1");
        JsonNode d = diagnosis(r);
        assertThat(d.path("decision").asText()).isEqualTo("allow");
        assertThat(d.path("permission").asText()).isEqualTo("User.Read.All");
        assertThat(d.path("leastPrivileged").path("application").toString()).contains("User.ReadBasic.All");
        assertThat(d.path("steps")).allMatch(s -> s.path("passed").asBoolean());
    }

    @Test
    void appOnlyOnMeUnknownPathAndWrongAudience() throws Exception {
        String app = daemonToken("https://graph.microsoft.com/.default");
        assertGraphError(call("GET", "/v1.0/me", app), 400, "BadRequest", "delegated-only-api");
        HttpResponse<String> unknown = call("GET", "/beta/nonsense", app);
        assertGraphError(unknown, 400, "BadRequest", "unknown-path");
        assertThat(json(unknown.body()).path("error").path("message").asText())
                .isEqualTo("Resource not found for the segment 'nonsense'.");
        String apiToken = daemonToken("api://" + TestTenant.API + "/.default");
        assertGraphError(call("GET", "/v1.0/users", apiToken), 403, "Authorization_RequestDenied", "wrong-audience");
    }

    @Test
    void aDelegatedTokenWithoutASufficientPermission() throws Exception {
        String adele = adeleToken();
        assertThat(call("GET", "/v1.0/me", adele).statusCode()).isEqualTo(501);
        HttpResponse<String> users = call("GET", "/v1.0/users", adele);
        assertGraphError(users, 403, "Authorization_RequestDenied", "permission-not-requested");
        assertThat(json(users.body()).path("error").path("message").asText())
                .isEqualTo("Insufficient privileges to complete the operation.");
        assertThat(diagnosis(users).path("leastPrivileged").path("delegated").toString()).contains("User.ReadBasic.All");
    }

    @Test
    void anUnknownRequestIdIs404() throws Exception {
        HttpResponse<String> r = server.get("/consentry/diagnostics/not-a-request");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r.body()).path("error").asText()).isEqualTo("not_found");
    }
}
