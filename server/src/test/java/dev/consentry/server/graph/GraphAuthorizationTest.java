package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.TestTokens;
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
        return userToken(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, "User.Read");
    }

    static String userToken(String upn, String password, String scope) throws Exception {
        return token(Map.of("grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(), "username",
                upn, "password", password, "scope", scope));
    }

    static HttpResponse<String> resetPassword(String target, String token, String newPassword) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1.0/users/" + target
                        + "/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"newPassword\":\"" + newPassword + "\"}")).build());
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
        // HS256 keyed with the server's public key (the classic algorithm confusion), an unknown kid, and a known kid
        // over a signature of another key.
        var claims = com.nimbusds.jwt.SignedJWT.parse(good).getJWTClaimsSet();
        var key = server.consentry().signingKeys().primary();
        String hs256 = TestTokens.signedWith(key.signer(), key.kid()).from(claims).signWith(
                com.nimbusds.jose.JWSAlgorithm.HS256, new com.nimbusds.jose.crypto.MACSigner(key.publicKey().getEncoded()),
                key.kid()).sign();
        java.security.KeyPair other = dev.consentry.identity.key.Certificates.rsaKeyPair(2048);
        String unknownKid = TestTokens.signedWith(other.getPrivate(), "not-a-consentry-key").from(claims).sign();
        String knownKidOtherKey = TestTokens.signedWith(other.getPrivate(), key.kid()).from(claims).sign();
        for (String bad : new String[] {hs256, unknownKid, knownKidOtherKey,
                good.substring(0, good.length() / 2), none, "a.b.c", "x".repeat(20_000), hugeHeader,
                parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes()) + "."
                        + parts[2]}) {
            HttpResponse<String> r = call("GET", "/v1.0/users", bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(401);
            assertThat(json(r.body()).path("error").path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        }
    }

    @Test
    void anAllowedCallAnswers501NamingTheRouteAndIsRecordedAsAnAllow() throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1.0/users/"
                        + TestTenant.ADELE + "/manager"))
                .header("Authorization", "Bearer " + daemonToken("https://graph.microsoft.com/.default"))
                .header("client-request-id", "my-correlation-1").GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(501);
        JsonNode error = json(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("notImplemented");
        assertThat(error.path("message").asText()).contains("GET /users/{id}/manager").contains("User.Read.All");
        assertThat(r.headers().firstValue("client-request-id")).contains("my-correlation-1");
        assertThat(error.path("innerError").path("client-request-id").asText()).isEqualTo("my-correlation-1");
        JsonNode d = diagnosis(r);
        assertThat(d.path("decision").asText()).isEqualTo("allow");
        assertThat(d.path("permission").asText()).isEqualTo("User.Read.All");
        assertThat(d.path("leastPrivileged").path("application").toString()).contains("User.Read.All");
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
        HttpResponse<String> me = call("GET", "/v1.0/me", adele);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me.body()).path("userPrincipalName").asText()).isEqualTo(TestTenant.ADELE_UPN);
        assertThat(json(me.body()).path("id").asText()).isEqualTo(TestTenant.ADELE.toString());
        HttpResponse<String> users = call("GET", "/v1.0/users", adele);
        assertGraphError(users, 403, "Authorization_RequestDenied", "permission-not-requested");
        assertThat(json(users.body()).path("error").path("message").asText())
                .isEqualTo("Insufficient privileges to complete the operation.");
        assertThat(diagnosis(users).path("leastPrivileged").path("delegated").toString()).contains("User.ReadBasic.All");
    }

    @Test
    void passwordResetNeedsADelegatedAdminWhoMayResetTheTarget() throws Exception {
        String scope = "UserAuthenticationMethod.ReadWrite.All";
        // An application can never reset a password, whatever it holds.
        assertGraphError(resetPassword(TestTenant.MEGAN.toString(), daemonToken("https://graph.microsoft.com/.default"), "x"),
                403, "Authorization_RequestDenied", "no-application-permission");
        // Megan holds no admin role: the app may, she may not.
        String megan = userToken(TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD, scope);
        assertGraphError(resetPassword(TestTenant.ADELE.toString(), megan, "New-Passw0rd!"), 403, "Authorization_RequestDenied",
                "user-role-missing");
        // Adele is a Global Administrator: she resets Megan, and Megan's new password works at sign-in, the old one not.
        HttpResponse<String> reset = resetPassword(TestTenant.MEGAN_UPN, userToken(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD,
                scope), "New-Passw0rd!");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(202);
        assertThat(reset.headers().firstValue("Location").orElseThrow()).contains("/authentication/operations/");
        assertThat(userToken(TestTenant.MEGAN_UPN, "New-Passw0rd!", "User.Read")).isNotBlank();
        HttpResponse<String> old = server.postForm(TOKEN, FormBrowser.encode(Map.of("grant_type", "password", "client_id",
                TestTenant.PUBLIC_APP.toString(), "username", TestTenant.MEGAN_UPN, "password", TestTenant.ADELE_PASSWORD,
                "scope", "User.Read")));
        assertThat(json(old.body()).path("error_codes").get(0).asInt()).isEqualTo(50126);
        // A missing new password is refused, not stored.
        HttpResponse<String> empty = resetPassword(TestTenant.MEGAN_UPN, userToken(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD,
                scope), "");
        assertThat(empty.statusCode()).isEqualTo(400);
    }

    @Test
    void anUnknownRequestIdIs404() throws Exception {
        HttpResponse<String> r = server.get("/consentry/diagnostics/not-a-request");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r.body()).path("error").asText()).isEqualTo("not_found");
    }
}
