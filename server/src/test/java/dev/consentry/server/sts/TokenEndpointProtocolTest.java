package dev.consentry.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSHeader;
import dev.consentry.core.cause.Cause;
import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.identity.key.Certificates;
import dev.consentry.identity.token.RefreshTokens;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.HtmlForms;
import dev.consentry.testkit.MutableClock;
import dev.consentry.testkit.TestTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The token endpoint on the wire, as curl or any HTTP client sees it: every refusal has Entra's error
 * body (wire spec, section 3.1), the status and AADSTS code of its cause, and is recorded with that
 * exact cause under its trace id. The last check makes sure every {@link Cause} is exercised here.
 */
class TokenEndpointProtocolTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    /** The server's clock: it follows the system clock until a test moves it (and puts it back). */
    static final MutableClock clock = MutableClock.ticking();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new InMemoryStore(), clock);
    static String tokenPath = "/" + TestTenant.TENANT + "/oauth2/v2.0/token";


    @AfterAll
    static void stopAndCheckCoverage() {
        Set<Cause> expected = EnumSet.allOf(Cause.class);
        expected.removeAll(dev.consentry.server.signin.AuthorizeEndpointTest.COVERED_HERE);
        expected.removeAll(dev.consentry.server.signin.DeviceCodeTest.COVERED_HERE);
        expected.removeAll(dev.consentry.server.signin.PersonalAccountTest.COVERED_HERE);
        expected.removeAll(dev.consentry.server.signin.ConsentPageTest.COVERED_HERE);
        expected.removeAll(dev.consentry.server.signin.ConsentPolicyTest.COVERED_HERE);
        expected.removeAll(ConditionalAccessTokenTest.COVERED_HERE);
        expected.removeAll(dev.consentry.server.signin.SecondFactorFormTest.COVERED_HERE);
        expected.removeAll(dev.consentry.server.signin.SecondFactorLockoutTest.COVERED_HERE);
        expected.removeAll(dev.consentry.server.signin.AuthenticationContextTest.COVERED_HERE);
        expected.removeAll(dev.consentry.server.signin.SignInFrequencyTest.COVERED_HERE);
        expected.removeIf(c -> c.channel() == Cause.Channel.GRAPH); // the graph module's and Graph's tests prove those
        // Cross-origin redemption needs a browser page's Origin or a SPA code: acceptance.StsCrossOriginCausesTest.
        expected.removeAll(EnumSet.of(Cause.CROSS_ORIGIN_NOT_SPA, Cause.SPA_REDEMPTION_NOT_CROSS_ORIGIN));
        assertThat(EXERCISED).as("every Cause of the catalogue not proven by the sign-in tests has a wire test here")
                .containsAll(expected);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static String form(Map<String, String> params) {
        return HtmlForms.encode(params);
    }

    static Map<String, String> daemon(String scope) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "client_credentials");
        p.put("client_id", TestTenant.DAEMON.toString());
        p.put("client_secret", TestTenant.DAEMON_SECRET);
        p.put("scope", scope);
        return p;
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> p = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                p.remove(kv[i]);
            } else {
                p.put(kv[i], kv[i + 1]);
            }
        }
        return p;
    }

    static HttpResponse<String> token(Map<String, String> params) {
        return server.postForm(tokenPath, form(params));
    }

    /** Checks the Entra error shape, the cause's status and codes, and the recorded cause. */
    static JsonNode assertRefused(HttpResponse<String> response, Cause cause) {
        EXERCISED.add(cause);
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
        assertThat(response.statusCode()).as(cause + " status; body " + response.body()).isEqualTo(cause.status());
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).isEqualTo("no-store, no-cache");
        assertThat(body.path("error").asText()).isEqualTo(cause.error());
        assertThat(body.path("error_codes").get(0).asInt()).isEqualTo(cause.code());
        String traceId = body.path("trace_id").asText();
        assertThat(UUID.fromString(traceId)).isNotNull();
        assertThat(body.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ");
        assertThat(body.path("error_description").asText())
                .startsWith("AADSTS" + cause.code() + ": ")
                .contains("\r\nTrace ID: " + traceId + "\r\nCorrelation ID: " + body.path("correlation_id").asText()
                        + "\r\nTimestamp: " + body.path("timestamp").asText());
        assertThat(response.headers().firstValue("x-ms-request-id")).contains(traceId);
        assertThat(server.consentry().traces().find(traceId))
                .as("recorded under its trace id").hasValueSatisfying(r -> assertThat(r.cause()).isEqualTo(cause.slug()));
        assertThat(response.body()).doesNotContain(TestTenant.DAEMON_SECRET).doesNotContain("Exception");
        return body;
    }

    static String assertion(PrivateKey key, String x5tS256, String iss, String aud, Instant exp, String jti) {
        return TestTokens.clientAssertion(key, iss, aud, exp).x5tS256(x5tS256).jwtId(jti).sign();
    }

    static Map<String, String> certApp(String assertion) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "client_credentials");
        p.put("client_id", TestTenant.CERT_APP.toString());
        p.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        p.put("client_assertion", assertion);
        p.put("scope", "https://graph.microsoft.com/.default");
        return p;
    }

    static String goodAssertion(String jti) throws Exception {
        return assertion(TestTenant.CERT_KEYS.getPrivate(), Certificates.sha256Thumbprint(TestTenant.CERT),
                TestTenant.CERT_APP.toString(), server.baseUrl() + tokenPath, Instant.now().plusSeconds(600), jti);
    }

    static final String GRAPH = "https://graph.microsoft.com/.default";

    // ---- success shapes --------------------------------------------------------------------------

    @Test
    void clientCredentialsResponseHasEntrasShapeAndAcceptsMsalExtras() throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + tokenPath))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("client-request-id", "0f0e0d0c-0b0a-4909-8807-060504030201")
                .header("return-client-request-id", "true")
                .POST(HttpRequest.BodyPublishers.ofString(form(with(daemon(GRAPH + " openid profile offline_access"),
                        "client_info", "1", "x-client-SKU", "MSAL.Java", "x-client-current-telemetry", "5|771,0|,,|"))))
                .build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asInt()).isEqualTo(3599);
        assertThat(body.path("ext_expires_in").asInt()).isEqualTo(3599);
        assertThat(body.path("access_token").asText()).contains(".");
        assertThat(body.has("refresh_token")).as("never a refresh token for client credentials").isFalse();
        assertThat(body.has("id_token")).isFalse();
        assertThat(r.headers().firstValue("client-request-id")).contains("0f0e0d0c-0b0a-4909-8807-060504030201");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store, no-cache");
    }

    @Test
    void aFormBodyWithoutAContentTypeIsReadAsAForm() throws Exception {
        // MSAL4J inside azure-identity sends its device code request through azure-core without a Content-Type (its own
        // HttpURLConnection would add the form type); Entra reads such a body as a form, and so does Consentry.
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + tokenPath))
                .POST(HttpRequest.BodyPublishers.ofString(form(daemon(GRAPH)))).build());
        assertThat(r.request().headers().firstValue("Content-Type")).isEmpty();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("access_token").asText()).contains(".");
    }

    @Test
    void httpBasicClientAuthenticationWorks() throws Exception {
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(TestTenant.DAEMON.toString(), StandardCharsets.UTF_8)
                + ":" + URLEncoder.encode(TestTenant.DAEMON_SECRET, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + tokenPath))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "client_credentials", "scope", GRAPH))))
                .build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("access_token").asText()).isNotEmpty();
    }

    @Test
    void scopeByGraphAppIdGivesGuidAudience() throws Exception {
        HttpResponse<String> r = token(daemon("00000003-0000-0000-c000-000000000000/.default"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String payload = new String(Base64.getUrlDecoder().decode(JSON.readTree(r.body()).path("access_token").asText().split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertThat(JSON.readTree(payload).path("aud").asText()).isEqualTo("00000003-0000-0000-c000-000000000000");
    }

    // ---- request shape ---------------------------------------------------------------------------

    @Test
    void getOnTokenEndpointIsRefused() {
        assertRefused(server.get(tokenPath), Cause.METHOD_NOT_ALLOWED);
    }

    @Test
    void jsonBodyIsRefused() {
        assertRefused(server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + tokenPath))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}")).build()),
                Cause.CONTENT_TYPE_UNSUPPORTED);
    }

    @Test
    void oversizedBodyIsRefusedWith413() {
        assertRefused(token(with(daemon(GRAPH), "padding", "x".repeat(70_000))), Cause.REQUEST_TOO_LARGE);
    }

    @Test
    void missingGrantTypeIsRefused() {
        assertRefused(token(with(daemon(GRAPH), "grant_type", null)), Cause.PARAMETER_MISSING);
    }

    @Test
    void badPercentEncodingIsRefused() {
        assertRefused(server.postForm(tokenPath, "grant_type=client_credentials&scope=%zz"), Cause.PARAMETER_INVALID);
    }

    @Test
    void repeatedParameterIsRefused() {
        assertRefused(server.postForm(tokenPath, form(daemon(GRAPH)) + "&scope=" + URLEncoder.encode(GRAPH, StandardCharsets.UTF_8)),
                Cause.PARAMETER_DUPLICATED);
    }

    @Test
    void unknownGrantTypeIsRefused() {
        assertRefused(token(with(daemon(GRAPH), "grant_type", "urn:example:grant")), Cause.GRANT_TYPE_UNSUPPORTED);
    }

    // ---- tenant ---------------------------------------------------------------------------------

    @Test
    void unknownTenantIsRefused() {
        assertRefused(server.postForm("/nobody.example/oauth2/v2.0/token", form(daemon(GRAPH))), Cause.TENANT_NOT_FOUND);
    }

    @Test
    void clientCredentialsOnCommonIsRefused() {
        assertRefused(server.postForm("/common/oauth2/v2.0/token", form(daemon(GRAPH))), Cause.TENANT_REQUIRED_FOR_FLOW);
    }

    @Test
    void discoveryForUnknownTenantIsRefused() {
        assertRefused(server.get("/nobody.example/v2.0/.well-known/openid-configuration"), Cause.TENANT_NOT_FOUND);
    }

    @Test
    void instanceDiscoveryForAnotherHostIsRefused() {
        assertRefused(server.get("/common/discovery/instance?api-version=1.1&authorization_endpoint="
                + URLEncoder.encode("https://login.example.net/common/oauth2/v2.0/authorize", StandardCharsets.UTF_8)),
                Cause.INSTANCE_UNKNOWN);
    }

    // ---- client ---------------------------------------------------------------------------------

    @Test
    void unknownClientIsRefused() {
        assertRefused(token(with(daemon(GRAPH), "client_id", UUID.randomUUID().toString())), Cause.CLIENT_NOT_FOUND);
    }

    @Test
    void singleTenantAppOfAnotherTenantIsRefused() {
        assertRefused(token(with(daemon(GRAPH), "client_id", TestTenant.FOREIGN_APP.toString(), "client_secret", "foreign~secret")),
                Cause.CLIENT_NOT_IN_TENANT);
    }

    @Test
    void disabledServicePrincipalIsRefused() {
        assertRefused(token(with(daemon(GRAPH), "client_id", TestTenant.DISABLED_APP.toString(), "client_secret", "disabled~secret")),
                Cause.CLIENT_DISABLED);
    }

    @Test
    void missingCredentialIsRefused() {
        assertRefused(token(with(daemon(GRAPH), "client_secret", null)), Cause.CLIENT_CREDENTIAL_MISSING);
    }

    @Test
    void twoAuthenticationMethodsAreRefused() throws Exception {
        assertRefused(token(with(daemon(GRAPH), "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", goodAssertion(UUID.randomUUID().toString()))), Cause.CLIENT_AUTHENTICATION_AMBIGUOUS);
    }

    @Test
    void wrongSecretIsRefused() {
        assertRefused(token(with(daemon(GRAPH), "client_secret", "wrong")), Cause.CLIENT_SECRET_INVALID);
    }

    @Test
    void expiredSecretIsRefused() {
        assertRefused(token(with(daemon(GRAPH), "client_secret", TestTenant.EXPIRED_SECRET)), Cause.CLIENT_SECRET_EXPIRED);
    }

    @Test
    void unsupportedAssertionTypeIsRefused() throws Exception {
        assertRefused(token(with(certApp(goodAssertion(UUID.randomUUID().toString())), "client_assertion_type", "urn:example:saml")),
                Cause.CLIENT_ASSERTION_TYPE_INVALID);
    }

    @Test
    void garbageAssertionIsRefused() {
        assertRefused(token(certApp("not.a.jwt")), Cause.CLIENT_ASSERTION_MALFORMED);
    }

    @Test
    void assertionForAnotherClientIsRefused() throws Exception {
        String a = assertion(TestTenant.CERT_KEYS.getPrivate(), Certificates.sha256Thumbprint(TestTenant.CERT),
                TestTenant.DAEMON.toString(), server.baseUrl() + tokenPath, Instant.now().plusSeconds(600), UUID.randomUUID().toString());
        assertRefused(token(certApp(a)), Cause.CLIENT_ASSERTION_CLIENT_MISMATCH);
    }

    @Test
    void assertionForAnotherAudienceIsRefused() throws Exception {
        String a = assertion(TestTenant.CERT_KEYS.getPrivate(), Certificates.sha256Thumbprint(TestTenant.CERT),
                TestTenant.CERT_APP.toString(), "https://login.example.net/token", Instant.now().plusSeconds(600),
                UUID.randomUUID().toString());
        assertRefused(token(certApp(a)), Cause.CLIENT_ASSERTION_AUDIENCE_INVALID);
    }

    @Test
    void assertionWithUnregisteredCertificateIsRefused() throws Exception {
        KeyPair other = Certificates.rsaKeyPair(2048);
        var otherCert = CertificateIssuer.selfSigned(other, "other", Instant.now().minusSeconds(60), Duration.ofDays(1));
        String a = assertion(other.getPrivate(), Certificates.sha256Thumbprint(otherCert), TestTenant.CERT_APP.toString(),
                server.baseUrl() + tokenPath, Instant.now().plusSeconds(600), UUID.randomUUID().toString());
        assertRefused(token(certApp(a)), Cause.CLIENT_ASSERTION_CERTIFICATE_UNKNOWN);
    }

    @Test
    void assertionSignedByAnotherKeyIsRefused() throws Exception {
        String a = assertion(Certificates.rsaKeyPair(2048).getPrivate(), Certificates.sha256Thumbprint(TestTenant.CERT),
                TestTenant.CERT_APP.toString(), server.baseUrl() + tokenPath, Instant.now().plusSeconds(600), UUID.randomUUID().toString());
        assertRefused(token(certApp(a)), Cause.CLIENT_ASSERTION_SIGNATURE_INVALID);
    }

    @Test
    void expiredAssertionIsRefused() throws Exception {
        String a = assertion(TestTenant.CERT_KEYS.getPrivate(), Certificates.sha256Thumbprint(TestTenant.CERT),
                TestTenant.CERT_APP.toString(), server.baseUrl() + tokenPath, Instant.now().minus(Duration.ofMinutes(10)),
                UUID.randomUUID().toString());
        assertRefused(token(certApp(a)), Cause.CLIENT_ASSERTION_EXPIRED);
    }

    @Test
    void assertionWithExpiredRegisteredCertificateIsRefused() throws Exception {
        String a = assertion(TestTenant.EXPIRED_CERT_KEYS.getPrivate(), Certificates.sha256Thumbprint(TestTenant.EXPIRED_CERT),
                TestTenant.CERT_APP.toString(), server.baseUrl() + tokenPath, Instant.now().plusSeconds(600), UUID.randomUUID().toString());
        assertRefused(token(certApp(a)), Cause.CLIENT_CERTIFICATE_EXPIRED);
    }

    @Test
    void thumbprintInStandardBase64IsAcceptedAsMsal4jSendsIt() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(TestTenant.CERT.getEncoded());
        String standard = Base64.getEncoder().encodeToString(digest);
        JWSHeader header = JWSHeader.parse(Map.of("alg", "RS256", "typ", "JWT", "x5t#S256", standard));
        String assertion = TestTokens.signedWith(TestTenant.CERT_KEYS.getPrivate(), null).header(header)
                .issuer(TestTenant.CERT_APP.toString()).subject(TestTenant.CERT_APP.toString())
                .aud(server.baseUrl() + tokenPath).expiresAt(Instant.now().plusSeconds(600))
                .jwtId(UUID.randomUUID().toString()).sign();
        HttpResponse<String> r = token(certApp(assertion));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void replayedAssertionIsRefused() throws Exception {
        String a = goodAssertion(UUID.randomUUID().toString());
        assertThat(token(certApp(a)).statusCode()).isEqualTo(200);
        assertRefused(token(certApp(a)), Cause.CLIENT_ASSERTION_REPLAYED);
    }

    @Test
    void assertionAudienceMayNameTheTenantIdOrDomainEndpoint() throws Exception {
        String byDomain = assertion(TestTenant.CERT_KEYS.getPrivate(), Certificates.sha256Thumbprint(TestTenant.CERT),
                TestTenant.CERT_APP.toString(), server.baseUrl() + "/" + TestTenant.DOMAIN + "/oauth2/v2.0/token",
                Instant.now().plusSeconds(600), UUID.randomUUID().toString());
        HttpResponse<String> r = server.postForm("/" + TestTenant.DOMAIN + "/oauth2/v2.0/token", form(certApp(byDomain)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    // ---- users (resource owner password credentials) ------------------------------------------------

    static Map<String, String> password(String username, String password, String scope) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "password");
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("username", username);
        p.put("password", password);
        p.put("scope", scope);
        return p;
    }

    @Test
    void passwordGrantIssuesADelegatedTokenAndAnIdToken() throws Exception {
        HttpResponse<String> r = token(with(password(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD,
                "User.Read openid profile offline_access"), "client_info", "1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("scope").asText()).isEqualTo("User.Read openid profile");
        JsonNode at = JSON.readTree(Base64.getUrlDecoder().decode(body.path("access_token").asText().split("\\.")[1]));
        assertThat(at.path("scp").asText()).isEqualTo("User.Read");
        assertThat(at.path("idtyp").asText()).isEqualTo("user");
        assertThat(at.path("upn").asText()).isEqualTo(TestTenant.ADELE_UPN);
        assertThat(at.path("oid").asText()).isEqualTo(TestTenant.ADELE.toString());
        assertThat(at.path("appidacr").asText()).as("public client").isEqualTo("0");
        assertThat(at.path("wids").toString()).contains(TestTenant.GLOBAL_ADMIN).contains("b79fbf4d-3ef9-4689-8143-76b194e85509");
        JsonNode id = JSON.readTree(Base64.getUrlDecoder().decode(body.path("id_token").asText().split("\\.")[1]));
        assertThat(id.path("aud").asText()).isEqualTo(TestTenant.PUBLIC_APP.toString());
        assertThat(id.path("preferred_username").asText()).isEqualTo(TestTenant.ADELE_UPN);
        JsonNode info = JSON.readTree(Base64.getUrlDecoder().decode(body.path("client_info").asText()));
        assertThat(info.path("uid").asText()).isEqualTo(TestTenant.ADELE.toString());
        assertThat(info.path("utid").asText()).isEqualTo(TestTenant.TENANT.toString());
    }

    @Test
    void unknownUserIsRefused() {
        assertRefused(token(password("nobody@" + TestTenant.DOMAIN, "x", "User.Read")), Cause.USER_NOT_FOUND);
    }

    @Test
    void wrongPasswordIsRefused() {
        JsonNode body = assertRefused(token(password(TestTenant.ADELE_UPN, "wrong", "User.Read")), Cause.PASSWORD_INVALID);
        assertThat(body.toString()).doesNotContain("wrong");
    }

    @Test
    void tenWrongPasswordsInARowLockTheUserOutOfThePasswordGrantForAMinute() {
        HttpResponse<String> first = token(password(TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD, "User.Read"));
        assertThat(first.statusCode()).as("a success first, so earlier tests' failures do not count").isEqualTo(200);
        for (int i = 1; i < 10; i++) {
            assertRefused(token(password(TestTenant.MEGAN_UPN, "wrong-" + i, "User.Read")), Cause.PASSWORD_INVALID);
        }
        JsonNode locked = assertRefused(token(password(TestTenant.MEGAN_UPN, "wrong-10", "User.Read")), Cause.PASSWORD_LOCKOUT);
        assertThat(locked.path("error_description").asText()).startsWith("AADSTS50053: The account is locked, you've tried to "
                + "sign in too many times with an incorrect user ID or password.");
        assertRefused(token(password(TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD, "User.Read")), Cause.PASSWORD_LOCKOUT);
        try {
            clock.advance(java.time.Duration.ofSeconds(61));
            assertThat(token(password(TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD, "User.Read")).statusCode()).isEqualTo(200);
        } finally {
            clock.reset();
        }
    }

    @Test
    void disabledUserIsRefused() {
        assertRefused(token(password(TestTenant.GONE_UPN, TestTenant.ADELE_PASSWORD, "User.Read")), Cause.USER_DISABLED);
    }

    @Test
    void scopeWithoutConsentIsRefusedAsConsentRequired() {
        JsonNode body = assertRefused(token(password(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, "Mail.Read")),
                Cause.CONSENT_REQUIRED);
        assertThat(body.path("suberror").asText()).isEqualTo("consent_required");
    }

    @Test
    void scopesOfTwoResourcesAreRefused() {
        assertRefused(token(password(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, "User.Read api://" + TestTenant.API + "/access_as_user")),
                Cause.SCOPE_MULTIPLE_RESOURCES);
    }

    // ---- refresh tokens ----------------------------------------------------------------------------

    static String refreshTokenOfAdele() throws Exception {
        HttpResponse<String> r = token(password(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, "User.Read openid offline_access"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("refresh_token").asText();
    }

    static Map<String, String> refresh(String refreshToken) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "refresh_token");
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("refresh_token", refreshToken);
        p.put("scope", "User.Read openid offline_access");
        return p;
    }

    @Test
    void refreshRotatesAndAReuseRevokesTheFamily() throws Exception {
        String first = refreshTokenOfAdele();
        HttpResponse<String> r = token(refresh(first));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        String second = body.path("refresh_token").asText();
        assertThat(second).isNotEmpty().isNotEqualTo(first);
        assertThat(body.path("access_token").asText()).isNotEmpty();

        assertRefused(token(refresh(first)), Cause.REFRESH_TOKEN_REUSED);
        assertRefused(token(refresh(second)), Cause.REFRESH_TOKEN_REVOKED);
    }

    @Test
    void unknownRefreshTokenIsRefused() {
        assertRefused(token(refresh("1.not-a-token-we-made")), Cause.REFRESH_TOKEN_INVALID);
    }

    @Test
    void refreshTokenOfAnotherClientIsRefused() throws Exception {
        assertRefused(token(with(refresh(refreshTokenOfAdele()), "client_id", TestTenant.DAEMON.toString())),
                Cause.REFRESH_TOKEN_CLIENT_MISMATCH);
    }

    @Test
    void refreshTokenUnusedForNinetyDaysIsExpired() throws Exception {
        String token = refreshTokenOfAdele();
        clock.advance(RefreshTokens.MAX_INACTIVE); // exactly ninety days (and the milliseconds the call took) unused
        try {
            JsonNode body = assertRefused(token(refresh(token)), Cause.REFRESH_TOKEN_EXPIRED);
            assertThat(body.path("suberror").asText()).isEqualTo("bad_token");
        } finally {
            clock.reset();
        }
    }

    // ---- on-behalf-of --------------------------------------------------------------------------------

    /** Adele's token for the Fabrikam API, as the desktop app would send it to the API. */
    static String adeleTokenForTheApi() throws Exception {
        HttpResponse<String> r = token(password(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD,
                "api://" + TestTenant.API + "/access_as_user"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static Map<String, String> onBehalfOf(String assertion) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        p.put("client_id", TestTenant.API.toString());
        p.put("client_secret", TestTenant.API_SECRET);
        p.put("assertion", assertion);
        p.put("requested_token_use", "on_behalf_of");
        p.put("scope", "https://graph.microsoft.com/User.Read offline_access openid profile");
        return p;
    }

    @Test
    void onBehalfOfExchangesTheUsersTokenForGraph() throws Exception {
        HttpResponse<String> r = token(onBehalfOf(adeleTokenForTheApi()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode at = JSON.readTree(Base64.getUrlDecoder().decode(JSON.readTree(r.body()).path("access_token").asText().split("\\.")[1]));
        assertThat(at.path("aud").asText()).isEqualTo("https://graph.microsoft.com");
        assertThat(at.path("appid").asText()).as("the API is now the client").isEqualTo(TestTenant.API.toString());
        assertThat(at.path("oid").asText()).isEqualTo(TestTenant.ADELE.toString());
        assertThat(at.path("scp").asText()).isEqualTo("User.Read");
    }

    @Test
    void onBehalfOfWithAGarbageAssertionIsRefused() {
        assertRefused(token(onBehalfOf("not.a.token")), Cause.OBO_ASSERTION_INVALID);
    }

    @Test
    void onBehalfOfWithATokenForAnotherAudienceIsRefused() throws Exception {
        HttpResponse<String> graphToken = token(password(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD, "User.Read"));
        String assertion = JSON.readTree(graphToken.body()).path("access_token").asText();
        assertRefused(token(onBehalfOf(assertion)), Cause.OBO_ASSERTION_WRONG_AUDIENCE);
    }

    @Test
    void onBehalfOfWithAnAppOnlyTokenIsRefused() throws Exception {
        HttpResponse<String> app = token(daemon("api://" + TestTenant.API + "/.default"));
        assertRefused(token(onBehalfOf(JSON.readTree(app.body()).path("access_token").asText())), Cause.OBO_APP_ONLY_ASSERTION);
    }

    @Test
    void onBehalfOfWithAnExpiredAssertionIsRefused() throws Exception {
        // A token of ours whose lifetime ended an hour ago: signed with the server's current key.
        var key = server.consentry().signingKeys().primary();
        String expired = TestTokens.signedWith(key.signer(), key.kid()).tenant(TestTenant.TENANT)
                .issuer(server.baseUrl() + "/" + TestTenant.TENANT + "/v2.0").aud(TestTenant.API.toString()).version("2.0")
                .oid(TestTenant.ADELE).delegated().scp("access_as_user").expiresAt(Instant.now().minus(Duration.ofHours(1)))
                .sign();
        assertRefused(token(onBehalfOf(expired)), Cause.OBO_ASSERTION_EXPIRED);
    }

    @Test
    void userRealmSaysManagedForAKnownDomain() throws Exception {
        JsonNode realm = JSON.readTree(server.get("/common/userrealm/" + TestTenant.ADELE_UPN + "?api-version=1.0").body());
        assertThat(realm.path("account_type").asText()).isEqualTo("Managed");
        assertThat(JSON.readTree(server.get("/common/userrealm/x@unknown.example?api-version=1.0").body())
                .path("account_type").asText()).isEqualTo("Unknown");
    }

    // ---- scope and resource -----------------------------------------------------------------------

    @Test
    void missingScopeIsRefused() {
        assertRefused(token(with(daemon(GRAPH), "scope", null)), Cause.SCOPE_MISSING);
    }

    @Test
    void delegatedScopeInClientCredentialsIsRefused() {
        assertRefused(token(daemon("User.Read")), Cause.SCOPE_INVALID_FOR_FLOW);
    }

    @Test
    void onlyOidcScopesAreRefusedAsNotDefault() {
        assertRefused(token(daemon("openid profile")), Cause.SCOPE_INVALID_FOR_FLOW);
    }

    @Test
    void twoResourcesAreRefused() {
        assertRefused(token(daemon(GRAPH + " api://" + TestTenant.API + "/.default")), Cause.SCOPE_INVALID);
    }

    @Test
    void unknownResourceIsRefused() {
        assertRefused(token(daemon("api://no-such-api/.default")), Cause.RESOURCE_NOT_FOUND);
    }
}
