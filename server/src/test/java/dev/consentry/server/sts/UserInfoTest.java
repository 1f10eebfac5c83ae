package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.User;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The UserInfo endpoint on the wire (OpenID Connect Core 1.0, section 5.3; RFC 6750): the claims for a delegated
 * Microsoft Graph token, with the id token's {@code sub}, and every refusal as a 401 (or 400) with its
 * {@code WWW-Authenticate} challenge and Graph's error body.
 */
class UserInfoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN_PATH = "/" + TestTenant.TENANT + "/oauth2/v2.0/token";
    static final String USERINFO = "/oidc/userinfo";
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();

    @BeforeAll
    static void start() {
        // Megan gets the optional name parts, which the test tenant leaves out.
        var users = server.consentry().store().users();
        User megan = users.find(TestTenant.TENANT, TestTenant.MEGAN).orElseThrow();
        users.save(TestTenant.TENANT, new User(megan.id(), megan.userPrincipalName(), megan.displayName(), megan.mail(),
                megan.userType(), megan.accountEnabled(), megan.passwordProfile(), megan.lastPasswordChangeDateTime(),
                megan.assignedLicenses(), Map.of("givenName", "Megan", "surname", "Bowen")));
    }


    // ---- helpers -------------------------------------------------------------------------------------

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** The password grant's response for the desktop app. */
    static JsonNode passwordGrant(String upn, String scope) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "password");
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("username", upn);
        p.put("password", TestTenant.ADELE_PASSWORD);
        p.put("scope", scope);
        HttpResponse<String> r = server.postForm(TOKEN_PATH, FormBrowser.encode(p));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    static HttpResponse<String> getWith(String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + USERINFO)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return server.send(b.build());
    }

    static HttpResponse<String> bearer(String token) {
        return getWith("Bearer " + token);
    }

    /**
     * 401, a Bearer challenge with {@code error="invalid_token"}, Graph's body with {@code InvalidAuthenticationToken}
     * and the cause's public message, and the refusal recorded for the diagnosis under the request id.
     */
    static JsonNode assertInvalidToken(HttpResponse<String> r, Cause cause) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer realm=\"\"").contains("client_id=\"00000003-0000-0000-c000-000000000000\"")
                .contains("error=\"invalid_token\"").contains("error_description=\"");
        JsonNode error = json(r).path("error");
        assertThat(error.path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(error.path("message").asText()).startsWith(cause.publicMessageTemplate().split("\\{")[0]);
        String requestId = r.headers().firstValue("request-id").orElseThrow();
        assertThat(error.path("innerError").path("request-id").asText()).isEqualTo(requestId);
        assertThat(server.consentry().traces().find(requestId)).as("recorded for the diagnosis")
                .hasValueSatisfying(d -> assertThat(d.cause()).isEqualTo(cause.slug()));
        return error;
    }

    // ---- success -------------------------------------------------------------------------------------

    @Test
    void delegatedGraphTokenGetsTheUsersClaimsWithTheIdTokensSubject() throws Exception {
        JsonNode tokens = passwordGrant(TestTenant.ADELE_UPN, "User.Read openid profile email");
        HttpResponse<String> r = bearer(tokens.path("access_token").asText());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        JsonNode claims = json(r);
        String idTokenSub = SignedJWT.parse(tokens.path("id_token").asText()).getJWTClaimsSet().getSubject();
        assertThat(claims.path("sub").asText()).isEqualTo(idTokenSub);
        assertThat(claims.path("name").asText()).isEqualTo("Adele Vance");
        assertThat(claims.path("email").asText()).isEqualTo(TestTenant.ADELE_UPN);
        assertThat(claims.has("given_name")).isFalse();
        assertThat(claims.has("family_name")).isFalse();
        assertThat(claims.has("picture")).isFalse();
    }

    @Test
    void namePartsWhenTheUserHasThemAndTheFormFieldOnPost() {
        JsonNode tokens = passwordGrant(TestTenant.MEGAN_UPN, "User.Read openid profile");
        String token = tokens.path("access_token").asText();
        HttpResponse<String> r = server.postForm(USERINFO, FormBrowser.encode(Map.of("access_token", token)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode claims = json(r);
        assertThat(claims.path("given_name").asText()).isEqualTo("Megan");
        assertThat(claims.path("family_name").asText()).isEqualTo("Bowen");
        assertThat(claims.path("name").asText()).isEqualTo("Megan Bowen");

        HttpResponse<String> header = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + USERINFO))
                .header("Authorization", "bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(header.statusCode()).as("the scheme is case-insensitive, and POST reads the header too").isEqualTo(200);
    }

    @Test
    void theDiscoveryDocumentPointsHere() {
        JsonNode doc = json(server.get("/" + TestTenant.TENANT + "/v2.0/.well-known/openid-configuration"));
        String endpoint = doc.path("userinfo_endpoint").asText();
        assertThat(endpoint).endsWith(USERINFO);
        String token = passwordGrant(TestTenant.ADELE_UPN, "User.Read").path("access_token").asText();
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(endpoint))
                .header("Authorization", "Bearer " + token).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    // ---- refusals ------------------------------------------------------------------------------------

    @Test
    void noTokenIsAChallengeWithoutAnErrorCode() {
        for (HttpResponse<String> r : new HttpResponse[] {getWith(null), getWith("Basic dXNlcjpwYXNz"), getWith("Bearer "),
                server.postForm(USERINFO, "")}) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertThat(challenge).startsWith("Bearer realm=\"\"").contains("authorization_uri=\"" + server.baseUrl()
                    + "/common/oauth2/authorize\"").doesNotContain("error=");
            assertThat(json(r).path("error").path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        }
    }

    @Test
    void garbageTamperedAndExpiredTokensAreInvalid() throws Exception {
        assertInvalidToken(bearer("garbage"), Cause.TOKEN_NOT_COMPACT);
        assertInvalidToken(bearer("a.b.c"), Cause.TOKEN_MALFORMED);
        String token = passwordGrant(TestTenant.ADELE_UPN, "User.Read").path("access_token").asText();
        int dot = token.lastIndexOf('.');
        String tampered = token.substring(0, dot + 1) + (token.charAt(dot + 1) == 'A' ? "B" : "A") + token.substring(dot + 2);
        assertInvalidToken(bearer(tampered), Cause.TOKEN_SIGNATURE_INVALID);
        assertInvalidToken(bearer(server.resignedInThePast(token, Duration.ofHours(3))), Cause.TOKEN_EXPIRED);
        // Jetty refuses an oversized header itself (431); in a form body the validator's length limit answers.
        assertInvalidToken(server.postForm(USERINFO, "access_token=" + "x".repeat(20_000)), Cause.TOKEN_NOT_COMPACT);
        HttpResponse<String> huge = server.postForm(USERINFO, "access_token=" + "x".repeat(40_000));
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_request\"");
    }

    @Test
    void oddTokensAreRefusedNeverAnswered500() {
        String none = "eyJhbGciOiJub25lIn0.eyJ0aWQiOiIxIn0.";
        for (String odd : new String[] {"..", "e30.e30.e30", none, "eyJhbGciOiJSUzI1NiJ9.W10.AAAA", "\u00e9\u00e9",
                "Bearer x", "a b c"}) {
            HttpResponse<String> r = server.postForm(USERINFO, FormBrowser.encode(Map.of("access_token", odd)));
            assertThat(r.statusCode()).as(odd + " -> " + r.body()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        }
    }

    @Test
    void tokenForAnotherAudienceIsInvalid() {
        String token = passwordGrant(TestTenant.ADELE_UPN, "api://" + TestTenant.API + "/access_as_user")
                .path("access_token").asText();
        assertInvalidToken(bearer(token), Cause.WRONG_AUDIENCE);
    }

    @Test
    void appOnlyTokenIsInvalid() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "client_credentials");
        p.put("client_id", TestTenant.DAEMON.toString());
        p.put("client_secret", TestTenant.DAEMON_SECRET);
        p.put("scope", "https://graph.microsoft.com/.default");
        HttpResponse<String> t = server.postForm(TOKEN_PATH, FormBrowser.encode(p));
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        assertInvalidToken(bearer(json(t).path("access_token").asText()), Cause.USERINFO_APP_ONLY_TOKEN);
    }

    @Test
    void twoWaysOfSendingTheTokenIsABadRequest() {
        String token = passwordGrant(TestTenant.ADELE_UPN, "User.Read").path("access_token").asText();
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + USERINFO))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("access_token=" + token)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_request\"");
        HttpResponse<String> twice = server.postForm(USERINFO, "access_token=" + token + "&access_token=" + token);
        assertThat(twice.statusCode()).isEqualTo(400);
    }
}
