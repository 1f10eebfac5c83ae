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

    static JsonNode askFor(Map<String, String> question) throws Exception {
        HttpResponse<String> r = ask(JSON.writeValueAsString(question));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void aTenantClientAndUserAreDecidedWithTheTokenTheStsWouldIssueThemNow() throws Exception {
        JsonNode daemon = askFor(Map.of("tenant", TestTenant.DOMAIN, "clientId", TestTenant.DAEMON.toString(), "method",
                "GET", "url", "/v1.0/users"));
        assertThat(daemon.path("decision").asText()).as(daemon.toString()).isEqualTo("allow");
        assertThat(daemon.path("clientId").asText()).isEqualTo(TestTenant.DAEMON.toString());
        assertThat(daemon.path("permission").asText()).isEqualTo("User.Read.All");
        JsonNode groups = askFor(Map.of("tenant", TestTenant.TENANT.toString(), "clientId", TestTenant.DAEMON.toString(),
                "method", "GET", "url", "https://graph.microsoft.com/v1.0/groups"));
        assertThat(groups.path("cause").asText()).isEqualTo("permission-not-requested");
        assertThat(groups.path("facts").path("command").asText()).startsWith("consentry grant --tenant " + TestTenant.TENANT);

        // Adele with the desktop app: consented for User.Read, so /me is allowed and /users needs more.
        JsonNode me = askFor(Map.of("tenant", TestTenant.DOMAIN, "clientId", TestTenant.PUBLIC_APP.toString(), "user",
                TestTenant.ADELE_UPN, "method", "GET", "url", "/v1.0/me"));
        assertThat(me.path("decision").asText()).as(me.toString()).isEqualTo("allow");
        assertThat(me.path("permission").asText()).isEqualTo("User.Read");
        JsonNode users = askFor(Map.of("tenant", TestTenant.DOMAIN, "clientId", TestTenant.PUBLIC_APP.toString(), "user",
                TestTenant.ADELE.toString(), "method", "GET", "url", "/v1.0/users"));
        assertThat(users.path("decision").asText()).isEqualTo("deny");
        assertThat(users.path("leastPrivileged").path("delegated").size()).isPositive();

        // What the STS would refuse is the answer: the app has no credential to call as itself; Megan never consented
        // to the web app; no such user.
        JsonNode publicApp = askFor(Map.of("tenant", TestTenant.DOMAIN, "clientId", TestTenant.PUBLIC_APP.toString(),
                "method", "GET", "url", "/v1.0/users"));
        assertThat(publicApp.path("channel").asText()).isEqualTo("sts");
        assertThat(publicApp.path("cause").asText()).isEqualTo("client-credential-missing");
        JsonNode notConsented = askFor(Map.of("tenant", TestTenant.DOMAIN, "clientId", TestTenant.WEB_APP.toString(), "user",
                TestTenant.MEGAN_UPN, "method", "GET", "url", "/v1.0/me"));
        assertThat(notConsented.path("cause").asText()).isEqualTo("consent-required");
        JsonNode nobody = askFor(Map.of("tenant", TestTenant.DOMAIN, "clientId", TestTenant.WEB_APP.toString(), "user",
                "nobody@" + TestTenant.DOMAIN, "method", "GET", "url", "/v1.0/me"));
        assertThat(nobody.path("cause").asText()).isEqualTo("user-not-found");
        assertThat(server.get("/consentry/diagnostics/what-if").statusCode()).as("not recorded").isEqualTo(404);
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
                "{\"token\": \"" + "a".repeat(70_000) + "\"}", "larger than",
                "{\"tenant\": \"nowhere.example\", \"clientId\": \"x\", \"method\": \"GET\", \"url\": \"/v1.0/me\"}",
                "tenant 'nowhere.example' is not a tenant of this Consentry",
                "{\"tenant\": \"" + TestTenant.DOMAIN + "\", \"method\": \"GET\", \"url\": \"/v1.0/me\"}",
                "clientId is missing",
                "{\"clientId\": \"x\", \"method\": \"GET\", \"url\": \"/v1.0/me\"}", "tenant is missing");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = ask(c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("error").asText()).isEqualTo("invalid_request");
            assertThat(body.path("error_description").asText()).contains(c.getValue());
        }
    }
}
