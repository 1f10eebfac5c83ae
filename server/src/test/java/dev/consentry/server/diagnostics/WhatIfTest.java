package dev.consentry.server.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /consentry/diagnostics/what-if}: would Graph allow a call with this token, decided without making it.
 * Consentry's own token is decided with the tenant's facts (its signature checked); a token shaped as the real Entra
 * ID's is decided from its claims (not checked); neither the question nor the answer is recorded; a malformed question
 * is a 400 naming what is wrong.
 */
class WhatIfTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpResponse<String> ask(String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/consentry/diagnostics/what-if"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode ask(String token, String method, String url) throws Exception {
        HttpResponse<String> r = ask(JSON.writeValueAsString(Map.of("token", token, "method", method, "url", url)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void consentrysOwnTokenIsDecidedWithTheTenantsFactsAndNothingIsRecorded() throws Exception {
        String token = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
        JsonNode users = ask(token, "GET", "https://graph.microsoft.com/v1.0/users");
        assertThat(users.path("signatureChecked").asBoolean()).isTrue();
        assertThat(users.path("decision").asText()).isEqualTo("allow");
        JsonNode groups = ask("Bearer " + token, "get", "/v1.0/groups");
        assertThat(groups.path("decision").asText()).isEqualTo("deny");
        assertThat(groups.path("cause").asText()).isEqualTo("permission-not-requested");
        assertThat(groups.path("leastPrivileged").path("application").toString()).contains("Group.ReadBasic.All");
        assertThat(groups.path("id").asText()).isEqualTo("what-if");
        assertThat(server.get("/consentry/diagnostics/what-if").statusCode()).as("not recorded").isEqualTo(404);
    }

    @Test
    void aRealEntraTokenIsDecidedFromItsClaimsAndSaysSo() throws Exception {
        String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        String real = TestTokens.signedWith(new RSAKeyGenerator(2048).keyID("real").generate()).delegated().tenant(tenant)
                .issuer("https://sts.windows.net/" + tenant + "/").aud("https://graph.microsoft.com")
                .appId("04b07795-8ddb-461a-bbee-02f9e1bf7b46").oid("d3b4e2f1-5a6b-4c7d-8e9f-0a1b2c3d4e5f")
                .scp("User.Read").version("1.0").at(Instant.now().minus(Duration.ofMinutes(5)), Duration.ofHours(1)).sign();
        JsonNode me = ask(real, "GET", "/v1.0/me");
        assertThat(me.path("signatureChecked").asBoolean(true)).isFalse();
        assertThat(me.path("decision").asText()).isEqualTo("allow");
        assertThat(me.path("steps").get(1).path("outcome").asText()).isEqualTo("unknown");
        JsonNode users = ask(real, "GET", "/v1.0/users");
        assertThat(users.path("cause").asText()).isEqualTo("permission-not-held");
    }

    @Test
    void aMalformedQuestionIsA400NamingWhatIsWrong() throws Exception {
        String token = "x.y.z";
        Map<String, String> cases = Map.of(
                "not json", "Send a JSON object",
                "[1, 2]", "Send a JSON object",
                "{\"method\": \"GET\", \"url\": \"/v1.0/me\"}", "token is missing",
                "{\"token\": \"" + token + "\", \"method\": \"FETCH\", \"url\": \"/v1.0/me\"}", "method must be one of",
                "{\"token\": \"" + token + "\", \"method\": \"GET\", \"url\": \"https://example.com/v1.0/me\"}",
                "url must be a Microsoft Graph URL",
                "{\"token\": \"" + "a".repeat(70_000) + "\"}", "larger than");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = ask(c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("error").asText()).isEqualTo("invalid_request");
            assertThat(body.path("error_description").asText()).contains(c.getValue());
        }
    }
}
