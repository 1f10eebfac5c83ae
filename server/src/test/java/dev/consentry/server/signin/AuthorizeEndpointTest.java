package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.MutableClock;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The authorize endpoint, the sign-in pages and the authorization code grant on the wire (wire spec,
 * sections 1.4 and 1.5), driven over real HTTPS by a cookie-keeping client: success in each response mode,
 * single sign-on, every refusal with its cause (on the page or redirected), and the security properties:
 * code replay, PKCE, redirect URI variants, open redirects, CSRF and cookie flags.
 */
public class AuthorizeEndpointTest {
    /** The causes this class proves on the wire; the token endpoint test covers the rest of the catalogue. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.REDIRECT_URI_MISMATCH, Cause.REDIRECT_URI_NONE_REGISTERED,
            Cause.RESPONSE_TYPE_UNSUPPORTED, Cause.IMPLICIT_TOKEN_NOT_ENABLED, Cause.ID_TOKEN_NOT_ENABLED,
            Cause.RESPONSE_MODE_INVALID, Cause.NONCE_REQUIRED, Cause.PKCE_REQUIRED,
            Cause.PKCE_METHOD_UNSUPPORTED, Cause.PKCE_MISMATCH, Cause.LOGIN_REQUIRED, Cause.ACCOUNT_SELECTION_REQUIRED,
            Cause.USER_CANCELLED, Cause.FORM_TOKEN_INVALID, Cause.AUTHORIZATION_CODE_INVALID, Cause.AUTHORIZATION_CODE_REDEEMED,
            Cause.AUTHORIZATION_CODE_EXPIRED,
            Cause.AUTHORIZATION_CODE_CLIENT_MISMATCH, Cause.AUTHORIZATION_CODE_REDIRECT_MISMATCH,
            Cause.AUTHORIZATION_CODE_TENANT_MISMATCH, Cause.CLIENT_SINGLE_TENANT_ON_COMMON,
            Cause.CLIENT_NOT_ENABLED_FOR_CONSUMERS, Cause.USER_NOT_IN_TENANT, Cause.PASSWORD_EXPIRED);
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = TestTenant.TENANT.toString();
    /** The server's clock: it follows the system clock until a test moves it (and puts it back). */
    static final MutableClock clock = MutableClock.ticking();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new InMemoryStore(), clock);


    @AfterAll
    static void stopAndCheckCoverage() {
        assertThat(EXERCISED).as("causes proven here").containsAll(COVERED_HERE);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    public record Pkce(String verifier, String challenge) {
        public static Pkce create() {
            String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(d));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static String authorize(String tenant, Map<String, String> params) {
        return "/" + tenant + "/oauth2/v2.0/authorize?" + FormBrowser.encode(params);
    }

    /** The desktop app's request, PKCE S256, query mode, on a random loopback port. */
    static Map<String, String> desktop(Pkce pkce, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("response_type", "code");
        p.put("redirect_uri", "http://localhost:51234/");
        p.put("scope", "openid profile offline_access User.Read");
        p.put("state", "state-" + UUID.randomUUID());
        p.put("nonce", "nonce-" + UUID.randomUUID());
        p.put("code_challenge", pkce.challenge());
        p.put("code_challenge_method", "S256");
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                p.remove(extra[i]);
            } else {
                p.put(extra[i], extra[i + 1]);
            }
        }
        return p;
    }

    /** Wait: registered is "http://localhost" (no slash); the request must keep its path exactly. */
    public static Map<String, String> desktopExact(Pkce pkce, String... extra) {
        Map<String, String> p = desktop(pkce, extra);
        if (p.get("redirect_uri").equals("http://localhost:51234/")) {
            p.put("redirect_uri", "http://localhost:51234");
        }
        return p;
    }

    static HttpResponse<String> redeem(String code, String redirectUri, String verifier, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "authorization_code");
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("code", code);
        p.put("redirect_uri", redirectUri);
        p.put("scope", "openid profile offline_access User.Read");
        p.put("client_info", "1");
        if (verifier != null) {
            p.put("code_verifier", verifier);
        }
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                p.remove(extra[i]);
            } else {
                p.put(extra[i], extra[i + 1]);
            }
        }
        return server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(p));
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** An STS JSON refusal with the cause's status, error and code, recorded under its trace id. */
    static void assertTokenRefused(HttpResponse<String> r, Cause cause) {
        EXERCISED.add(cause);
        JsonNode body = json(r);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(cause.status());
        assertThat(body.path("error").asText()).isEqualTo(cause.error());
        assertThat(body.path("error_codes").get(0).asInt()).isEqualTo(cause.code());
        assertThat(server.consentry().traces().find(body.path("trace_id").asText()))
                .hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo(cause.slug()));
    }

    /** An HTML error page with the cause's status and AADSTS code, and no redirect anywhere. */
    static void assertPageRefused(HttpResponse<String> r, Cause cause) {
        EXERCISED.add(cause);
        server.assertRefusedOnPage(r, cause);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    }

    /** A redirect to the registered URI with error, the AADSTS description, error_uri and state. */
    static Map<String, String> assertRedirectedRefusal(HttpResponse<String> r, Cause cause, String expectedError,
                                                       String redirectPrefix, String state) {
        EXERCISED.add(cause);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith(redirectPrefix);
        Map<String, String> p = FormBrowser.redirectParameters(r);
        assertThat(p.get("error")).isEqualTo(expectedError);
        assertThat(p.get("error_description")).startsWith("AADSTS" + cause.code() + ": ").contains("\r\nTrace ID: ");
        assertThat(p.get("error_uri")).contains("code=" + cause.code());
        assertThat(p.get("state")).isEqualTo(state);
        String trace = p.get("error_description").replaceAll("(?s).*Trace ID: ([0-9a-f-]{36}).*", "$1");
        assertThat(server.consentry().traces().find(trace))
                .hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo(cause.slug()));
        return p;
    }

    /** Signs Adele in with a fresh browser; returns the final response (the redirect with the code). */
    static HttpResponse<String> signInAdele(FormBrowser browser, Map<String, String> request) {
        HttpResponse<String> page = browser.get(authorize(TENANT, request));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return browser.signIn(page, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD);
    }

    // ---- success -----------------------------------------------------------------------------------

    @Test
    void codeFlowWithPkceOnAnyLoopbackPortYieldsTokensOnce() throws Exception {
        Pkce pkce = Pkce.create();
        Map<String, String> request = desktopExact(pkce, "redirect_uri", "http://localhost:50999");
        HttpResponse<String> done = signInAdele(new FormBrowser(server.baseUrl(), server.sslContext()), request);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location").orElseThrow()).startsWith("http://localhost:50999?code=");
        Map<String, String> reply = FormBrowser.redirectParameters(done);
        assertThat(reply.get("state")).isEqualTo(request.get("state"));
        assertThat(reply.get("session_state")).isNotBlank();

        HttpResponse<String> tokens = redeem(reply.get("code"), "http://localhost:50999", pkce.verifier());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode body = json(tokens);
        var access = SignedJWT.parse(body.path("access_token").asText()).getJWTClaimsSet();
        assertThat(access.getStringClaim("scp")).isEqualTo("User.Read");
        assertThat(access.getStringClaim("oid")).isEqualTo(TestTenant.ADELE.toString());
        var id = SignedJWT.parse(body.path("id_token").asText()).getJWTClaimsSet();
        assertThat(id.getStringClaim("nonce")).isEqualTo(request.get("nonce"));
        assertThat(id.getAudience()).containsExactly(TestTenant.PUBLIC_APP.toString());
        assertThat(body.path("client_info").asText()).isNotBlank();
        String refresh = body.path("refresh_token").asText();

        // Replay: refused, and the refresh token issued from the code is revoked.
        assertTokenRefused(redeem(reply.get("code"), "http://localhost:50999", pkce.verifier()), Cause.AUTHORIZATION_CODE_REDEEMED);
        HttpResponse<String> refreshed = server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "refresh_token", "client_id", TestTenant.PUBLIC_APP.toString(), "refresh_token", refresh,
                "scope", "User.Read")));
        assertThat(json(refreshed).path("error_codes").get(0).asInt()).isEqualTo(50173);
    }

    @Test
    void formPostAndFragmentCarryTheSameResponse() {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Pkce pkce = Pkce.create();
        HttpResponse<String> posted = signInAdele(browser, desktopExact(pkce, "response_mode", "form_post", "state", "s1"));
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).contains("action=\"http://localhost:51234\"");
        Map<String, String> fields = FormBrowser.hiddenFields(posted.body());
        assertThat(fields).containsKeys("code", "session_state").containsEntry("state", "s1");
        String csp = posted.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'nonce-").contains("frame-ancestors 'none'");

        // The browser now has a session: the next request is answered at once, in the fragment.
        HttpResponse<String> silent = browser.get(authorize(TENANT, desktopExact(Pkce.create(), "response_mode", "fragment",
                "state", "s2")));
        assertThat(silent.statusCode()).isEqualTo(302);
        assertThat(silent.headers().firstValue("Location").orElseThrow()).startsWith("http://localhost:51234#code=");
        assertThat(FormBrowser.redirectParameters(silent)).containsEntry("state", "s2");
    }

    @Test
    void idTokenResponseTypeNeedsANonceAndReturnsIt() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> done = signInAdele(browser, desktopExact(Pkce.create(), "response_type", "id_token",
                "nonce", "n-123", "state", "s"));
        Map<String, String> p = FormBrowser.redirectParameters(done);
        assertThat(done.headers().firstValue("Location").orElseThrow()).contains("#id_token=");
        assertThat(SignedJWT.parse(p.get("id_token")).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-123");

        assertRedirectedRefusal(browser.get(authorize(TENANT, desktopExact(Pkce.create(), "response_type", "id_token",
                "nonce", null, "state", "s"))), Cause.NONCE_REQUIRED, "invalid_request", "http://localhost:51234#", "s");

        // Hybrid: code and id token in the fragment, the id token binding the code with c_hash.
        Map<String, String> hybrid = FormBrowser.redirectParameters(browser.get(authorize(TENANT, desktopExact(Pkce.create(),
                "response_type", "code id_token", "nonce", "n-456"))));
        var claims = SignedJWT.parse(hybrid.get("id_token")).getJWTClaimsSet();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(hybrid.get("code").getBytes(StandardCharsets.US_ASCII));
        assertThat(claims.getStringClaim("c_hash"))
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16)));
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-456");
    }

    @Test
    void sessionCookieIsSecureHttpOnlyAndSameSiteAndChangesAtSignIn() {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = browser.get(authorize(TENANT, desktopExact(Pkce.create())));
        String first = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(first).startsWith(BrowserCookie.NAME + "=").contains("; Secure").contains("; HttpOnly")
                .contains("; SameSite=Lax").contains("; Path=/");
        HttpResponse<String> done = browser.signIn(page, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD);
        String second = done.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(second).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Lax");
        assertThat(value(second)).as("a new session value at sign-in (no fixation)").isNotEqualTo(value(first));
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    private static String value(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    @Test
    void webAppRedeemsWithItsSecretAndNotWithout() {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Map<String, String> request = new LinkedHashMap<>(Map.of("client_id", TestTenant.WEB_APP.toString(),
                "response_type", "code", "redirect_uri", TestTenant.WEB_REDIRECT, "scope", "openid offline_access User.Read",
                "state", "w"));
        HttpResponse<String> done = signInAdele(browser, request);
        String code = FormBrowser.redirectParameters(done).get("code");
        Map<String, String> redeem = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "client_id",
                TestTenant.WEB_APP.toString(), "code", code, "redirect_uri", TestTenant.WEB_REDIRECT));
        HttpResponse<String> noSecret = server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(redeem));
        assertThat(json(noSecret).path("error_codes").get(0).asInt()).isEqualTo(7000218);

        String code2 = FormBrowser.redirectParameters(browser.get(authorize(TENANT, request))).get("code");
        redeem.put("code", code2);
        redeem.put("client_secret", TestTenant.WEB_SECRET);
        HttpResponse<String> ok = server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(redeem));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).path("refresh_token").asText()).isNotBlank();
    }

    @Test
    void webAppRedeemsWithHttpBasicAloneAsSpringSecurityDoes() throws Exception {
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        Map<String, String> request = new LinkedHashMap<>(Map.of("client_id", TestTenant.WEB_APP.toString(),
                "response_type", "code", "redirect_uri", TestTenant.WEB_REDIRECT, "scope", "openid offline_access User.Read",
                "state", "b"));
        String code = FormBrowser.redirectParameters(signInAdele(browser, request)).get("code");
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((TestTenant.WEB_APP + ":"
                + java.net.URLEncoder.encode(TestTenant.WEB_SECRET, java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // client_secret_basic: the client id and secret in the header only, none in the body (RFC 6749, 4.1.3).
        HttpResponse<String> ok = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/"
                        + TENANT + "/oauth2/v2.0/token")).header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(java.net.http.HttpRequest.BodyPublishers
                        .ofString(FormBrowser.encode(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
                                TestTenant.WEB_REDIRECT)))).build());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        String refresh = json(ok).path("refresh_token").asText();
        HttpResponse<String> refreshed = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl()
                        + "/" + TENANT + "/oauth2/v2.0/token")).header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(java.net.http.HttpRequest.BodyPublishers
                        .ofString(FormBrowser.encode(Map.of("grant_type", "refresh_token", "refresh_token", refresh)))).build());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    }

    // ---- authorization code grant refusals ------------------------------------------------------------

    @Nested
    class CodeRedemption {
        String code(Pkce pkce) {
            return FormBrowser.redirectParameters(signInAdele(new FormBrowser(server.baseUrl(), server.sslContext()), desktopExact(pkce))).get("code");
        }

        @Test
        void pkceVerifierMustMatchAndBePresent() {
            Pkce pkce = Pkce.create();
            assertTokenRefused(redeem(code(pkce), "http://localhost:51234", Pkce.create().verifier()), Cause.PKCE_MISMATCH);
            assertTokenRefused(redeem(code(pkce), "http://localhost:51234", null), Cause.PKCE_MISMATCH);
        }

        @Test
        void codeOlderThanTenMinutesIsExpired() throws Exception {
            Pkce pkce = Pkce.create();
            String code = code(pkce);
            clock.advance(java.time.Duration.ofMinutes(11));
            try {
                assertTokenRefused(redeem(code, "http://localhost:51234", pkce.verifier()), Cause.AUTHORIZATION_CODE_EXPIRED);
            } finally {
                clock.reset();
            }
        }

        @Test
        void unknownCodeOtherClientOtherRedirectOtherTenant() {
            Pkce pkce = Pkce.create();
            assertTokenRefused(redeem("1.not-a-code", "http://localhost:51234", pkce.verifier()), Cause.AUTHORIZATION_CODE_INVALID);
            assertTokenRefused(redeem(code(pkce), "http://localhost:51234", pkce.verifier(), "client_id",
                    TestTenant.WEB_APP.toString()), Cause.AUTHORIZATION_CODE_CLIENT_MISMATCH);
            assertTokenRefused(redeem(code(pkce), "http://localhost:51235", pkce.verifier()),
                    Cause.AUTHORIZATION_CODE_REDIRECT_MISMATCH);
            String code = code(pkce);
            HttpResponse<String> other = server.postForm("/" + TestTenant.OTHER_TENANT + "/oauth2/v2.0/token", FormBrowser.encode(
                    Map.of("grant_type", "authorization_code", "client_id", TestTenant.PUBLIC_APP.toString(), "code", code,
                            "redirect_uri", "http://localhost:51234", "code_verifier", pkce.verifier())));
            assertTokenRefused(other, Cause.AUTHORIZATION_CODE_TENANT_MISMATCH);
        }
    }

    // ---- refusals on the page (never redirected) ------------------------------------------------------

    @Nested
    class RedirectUris {
        void refusedOnPage(String redirectUri) {
            Map<String, String> request = desktopExact(Pkce.create(), "redirect_uri", redirectUri);
            assertPageRefused(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize(TENANT, request)), Cause.REDIRECT_URI_MISMATCH);
        }

        @Test
        void variantsOfARegisteredUriAreRefused() {
            refusedOnPage("https://app.fabrikam.example:8443/signin-oidc/"); // trailing slash
            refusedOnPage("https://APP.fabrikam.example:8443/signin-oidc"); // case
            refusedOnPage("https://app.fabrikam.example:8443/Signin-OIDC"); // case in the path
            refusedOnPage("https://app.fabrikam.example:8443/signin-oidc?x=1"); // extra query
            refusedOnPage("https://app.fabrikam.example:9443/signin-oidc"); // other port, not loopback
            refusedOnPage("http://127.0.0.1:5000"); // other host than the registered loopback
            refusedOnPage("https://localhost:5000"); // other scheme on loopback
            refusedOnPage("http://localhost:5000/evil"); // other path on loopback
            refusedOnPage("https://spa.fabrikam.example:444/"); // SPA URIs keep their port
        }

        @Test
        void openRedirectAttemptsStayOnThePage() {
            refusedOnPage("https://evil.example/");
            refusedOnPage("https://app.fabrikam.example:8443/signin-oidc@evil.example");
            refusedOnPage("//evil.example");
            refusedOnPage("javascript:alert(1)");
            // A refusal that is redirectable still goes only to the registered URI.
            Map<String, String> request = desktopExact(Pkce.create(), "response_type", "token", "state", "x");
            assertRedirectedRefusal(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize(TENANT, request)), Cause.IMPLICIT_TOKEN_NOT_ENABLED,
                    "unsupported_response_type", "http://localhost:51234#", "x"); // fragment: the default for 'token'
            Map<String, String> none = desktopExact(Pkce.create(), "response_type", "none", "state", "y");
            assertRedirectedRefusal(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize(TENANT, none)), Cause.RESPONSE_TYPE_UNSUPPORTED,
                    "unsupported_response_type", "http://localhost:51234#", "y");

        }

        @Test
        void anIdTokenIsRefusedToAnAppWhoseRegistrationDoesNotEnableIt() {
            // The web app leaves web.implicitGrantSettings unset, as a new registration does: no id token in the
            // redirect, alone or beside a code, whatever the response mode; a code alone is still answered.
            for (String type : List.of("id_token", "code id_token")) {
                Map<String, String> request = new LinkedHashMap<>(Map.of("client_id", TestTenant.WEB_APP.toString(),
                        "response_type", type, "redirect_uri", TestTenant.WEB_REDIRECT, "scope", "openid profile",
                        "nonce", "n", "state", "t", "response_mode", "form_post"));
                HttpResponse<String> posted = new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize(TENANT, request));
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
                Map<String, String> fields = FormBrowser.hiddenFields(posted.body());
                assertThat(fields).containsEntry("error", "unsupported_response_type").containsEntry("state", "t");
                assertThat(fields.get("error_description"))
                        .startsWith("AADSTS700054: response_type 'id_token' is not enabled for the application.").contains("Trace ID: ");
                String trace = fields.get("error_description").replaceAll("(?s).*Trace ID: ([0-9a-f-]{36}).*", "$1");
                assertThat(server.consentry().traces().find(trace))
                        .hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo(Cause.ID_TOKEN_NOT_ENABLED.slug()));
            }
            Map<String, String> fragment = new LinkedHashMap<>(Map.of("client_id", TestTenant.WEB_APP.toString(),
                    "response_type", "id_token", "redirect_uri", TestTenant.WEB_REDIRECT, "scope", "openid", "nonce", "n",
                    "state", "f"));
            assertRedirectedRefusal(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize(TENANT, fragment)), Cause.ID_TOKEN_NOT_ENABLED,
                    "unsupported_response_type", TestTenant.WEB_REDIRECT + "#", "f");
            // Both kinds unset: Consentry names the access token first (its check comes before the id token's).
            fragment.put("response_type", "id_token token");
            assertRedirectedRefusal(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize(TENANT, fragment)), Cause.IMPLICIT_TOKEN_NOT_ENABLED,
                    "unsupported_response_type", TestTenant.WEB_REDIRECT + "#", "f");
        }

        @Test
        void theErrorUriExplainsTheCode() {
            Map<String, String> request = desktopExact(Pkce.create(), "response_type", "token", "state", "x");
            Map<String, String> p = FormBrowser.redirectParameters(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize(TENANT, request)));
            HttpResponse<String> page = new FormBrowser(server.baseUrl(), server.sslContext()).get(p.get("error_uri"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("AADSTS700051").contains(Cause.IMPLICIT_TOKEN_NOT_ENABLED.slug());
            HttpResponse<String> junk = new FormBrowser(server.baseUrl(), server.sslContext()).get("/error?code=%3Cscript%3E");
            assertThat(junk.statusCode()).isEqualTo(200);
            assertThat(junk.body()).doesNotContain("<script>").contains("never answers");
        }

        @Test
        void registeredQueryIsKeptAndTheResponseAppended() {
            FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
            Map<String, String> request = new LinkedHashMap<>(Map.of("client_id", TestTenant.WEB_APP.toString(),
                    "response_type", "code", "redirect_uri", TestTenant.WEB_REDIRECT_WITH_QUERY, "scope", "openid User.Read"));
            HttpResponse<String> done = signInAdele(browser, request);
            assertThat(done.headers().firstValue("Location").orElseThrow())
                    .startsWith(TestTenant.WEB_REDIRECT_WITH_QUERY + "&code=");
        }

        @Test
        void appWithoutRedirectUrisAndUnknownClientsAndAudiences() {
            Map<String, String> daemon = desktopExact(Pkce.create(), "client_id", TestTenant.DAEMON.toString());
            assertPageRefused(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize(TENANT, daemon)), Cause.REDIRECT_URI_NONE_REGISTERED);
            assertPageRefused(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize("common", desktopExact(Pkce.create()))),
                    Cause.CLIENT_SINGLE_TENANT_ON_COMMON);
            assertPageRefused(new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize("consumers", desktopExact(Pkce.create(), "client_id",
                    TestTenant.WEB_APP.toString(), "redirect_uri", TestTenant.WEB_REDIRECT))), Cause.CLIENT_NOT_ENABLED_FOR_CONSUMERS);
            HttpResponse<String> unknownTenant = new FormBrowser(server.baseUrl(), server.sslContext()).get(authorize("nowhere.example", desktopExact(Pkce.create())));
            assertThat(unknownTenant.statusCode()).isEqualTo(400);
            assertThat(unknownTenant.body()).contains("AADSTS90002");
        }
    }

    // ---- refusals redirected to the app ---------------------------------------------------------------

    @Nested
    class Redirected {
        @Test
        void publicClientsMustUsePkceS256() {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            assertRedirectedRefusal(b.get(authorize(TENANT, desktopExact(Pkce.create(), "code_challenge", null,
                    "code_challenge_method", null, "state", "p"))), Cause.PKCE_REQUIRED, "invalid_request", "http://localhost:51234?", "p");
            assertRedirectedRefusal(b.get(authorize(TENANT, desktopExact(Pkce.create(), "code_challenge_method", "plain",
                    "state", "p"))), Cause.PKCE_METHOD_UNSUPPORTED, "invalid_request", "http://localhost:51234?", "p");
            assertRedirectedRefusal(b.get(authorize(TENANT, desktopExact(Pkce.create(), "response_mode", "sideways",
                    "state", "p"))), Cause.RESPONSE_MODE_INVALID, "invalid_request", "http://localhost:51234?", "p");
        }

        @Test
        void promptNoneWithoutSessionOrWithTwoAccounts() {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            assertRedirectedRefusal(b.get(authorize(TENANT, desktopExact(Pkce.create(), "prompt", "none", "state", "n"))),
                    Cause.LOGIN_REQUIRED, "login_required", "http://localhost:51234?", "n");
            signInAdele(b, desktopExact(Pkce.create()));
            HttpResponse<String> again = b.get(authorize(TENANT, desktopExact(Pkce.create(), "prompt", "login")));
            assertThat(again.statusCode()).as("prompt=login asks again").isEqualTo(200);
            HttpResponse<String> megan = b.signIn(again, TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
            assertThat(megan.statusCode()).isEqualTo(302);
            assertRedirectedRefusal(b.get(authorize(TENANT, desktopExact(Pkce.create(), "prompt", "none", "state", "n"))),
                    Cause.ACCOUNT_SELECTION_REQUIRED, "interaction_required", "http://localhost:51234?", "n");
            HttpResponse<String> hinted = b.get(authorize(TENANT, desktopExact(Pkce.create(), "prompt", "none",
                    "login_hint", TestTenant.ADELE_UPN)));
            assertThat(FormBrowser.redirectParameters(hinted)).containsKey("code");
            // The picker lists both; picking one signs it in.
            HttpResponse<String> picker = b.get(authorize(TENANT, desktopExact(Pkce.create(), "prompt", "select_account")));
            assertThat(picker.body()).contains(TestTenant.ADELE_UPN).contains(TestTenant.MEGAN_UPN);
            HttpResponse<String> picked = b.submit(picker, Map.of("account", TestTenant.MEGAN_UPN));
            assertThat(FormBrowser.redirectParameters(picked)).containsKey("code");
        }

        @Test
        void cancelAndMissingConsent() {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> page = b.get(authorize(TENANT, desktopExact(Pkce.create(), "state", "c")));
            assertRedirectedRefusal(b.submit(page, Map.of("step", "cancel")), Cause.USER_CANCELLED, "access_denied",
                    "http://localhost:51234?", "c");
            Map<String, String> web = new LinkedHashMap<>(Map.of("client_id", TestTenant.WEB_APP.toString(),
                    "response_type", "code", "redirect_uri", TestTenant.WEB_REDIRECT, "scope", "openid User.Read", "state", "m"));
            HttpResponse<String> meganPage = b.get(authorize(TENANT, web));
            // Megan never consented: after sign-in the consent page asks her (ConsentPageTest answers it) ...
            HttpResponse<String> consent = b.signIn(meganPage, TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD);
            assertThat(consent.statusCode()).isEqualTo(200);
            assertThat(consent.body()).contains("Permissions requested").contains("User.Read");
            // ... and a silent request, which may show no page, is refused with consent_required.
            web.put("prompt", "none");
            HttpResponse<String> refused = b.get(authorize(TENANT, web));
            assertRedirectedRefusal(refused, Cause.CONSENT_REQUIRED, "consent_required", TestTenant.WEB_REDIRECT + "?", "m");
        }
    }

    // ---- the sign-in pages --------------------------------------------------------------------------

    @Nested
    class Pages {
        HttpResponse<String> passwordStep(FormBrowser b, String tenant, Map<String, String> request, String user, String password) {
            HttpResponse<String> page = b.get(authorize(tenant, request));
            return b.signIn(page, user, password);
        }

        @Test
        void wrongPasswordUnknownUserDisabledExpiredAndForeignUserAreShownOnThePage() {
            Map<String, String> request = desktopExact(Pkce.create());
            HttpResponse<String> wrong = passwordStep(new FormBrowser(server.baseUrl(), server.sslContext()), TENANT, request, TestTenant.ADELE_UPN, "nope");
            assertPageRefused(wrong, Cause.PASSWORD_INVALID);
            assertThat(wrong.body()).as("the password page again").contains("name=\"password\"");
            assertPageRefused(passwordStep(new FormBrowser(server.baseUrl(), server.sslContext()), TENANT, request, "nobody@fabrikam.onmicrosoft.com", "x"),
                    Cause.USER_NOT_FOUND);
            assertPageRefused(passwordStep(new FormBrowser(server.baseUrl(), server.sslContext()), TENANT, request, TestTenant.GONE_UPN,
                    TestTenant.ADELE_PASSWORD), Cause.USER_DISABLED);
            assertPageRefused(passwordStep(new FormBrowser(server.baseUrl(), server.sslContext()), TENANT, request, TestTenant.NEWHIRE_UPN,
                    TestTenant.ADELE_PASSWORD), Cause.PASSWORD_EXPIRED);
            Map<String, String> web = new LinkedHashMap<>(Map.of("client_id", TestTenant.WEB_APP.toString(),
                    "response_type", "code", "redirect_uri", TestTenant.WEB_REDIRECT, "scope", "openid User.Read"));
            assertPageRefused(passwordStep(new FormBrowser(server.baseUrl(), server.sslContext()), TENANT, web, TestTenant.OLGA_UPN, TestTenant.ADELE_PASSWORD),
                    Cause.USER_NOT_IN_TENANT);
            // Through /organizations the multi-tenant web app signs Olga in to her own tenant, which has no service
            // principal for it yet: she is asked to consent (ConsentPolicyTest follows that through), and under
            // prompt=none the app is told consent_required.
            HttpResponse<String> olga = passwordStep(new FormBrowser(server.baseUrl(), server.sslContext()), "organizations", web, TestTenant.OLGA_UPN,
                    TestTenant.ADELE_PASSWORD);
            assertThat(olga.statusCode()).as(olga.body()).isEqualTo(200);
            assertThat(olga.body()).contains("Permissions requested").contains("User.Read");
        }

        @Test
        void formsWithoutTheBrowsersTokenAreRefused() {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> page = b.get(authorize(TENANT, desktopExact(Pkce.create())));
            Map<String, String> fields = FormBrowser.hiddenFields(page.body());
            fields.remove("csrf");
            fields.put("username", TestTenant.ADELE_UPN);
            assertPageRefused(b.post("/" + TENANT + "/login", fields), Cause.FORM_TOKEN_INVALID);
            // Another browser's token (a cross-site post carries the victim's cookie, not the attacker's token).
            FormBrowser attacker = new FormBrowser(server.baseUrl(), server.sslContext());
            Map<String, String> stolen = FormBrowser.hiddenFields(attacker.get(authorize(TENANT, desktopExact(Pkce.create()))).body());
            stolen.put("username", TestTenant.ADELE_UPN);
            assertPageRefused(b.post("/" + TENANT + "/login", stolen), Cause.FORM_TOKEN_INVALID);
            // No cookie at all.
            assertPageRefused(new FormBrowser(server.baseUrl(), server.sslContext()).post("/" + TENANT + "/login", stolen), Cause.FORM_TOKEN_INVALID);
        }

        @Test
        void oversizedAndNonFormBodiesGetTheErrorPage() {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> big = b.post("/" + TENANT + "/login", Map.of("padding", "x".repeat(40_000)));
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(big.body()).contains("AADSTS9002313");
            HttpResponse<String> json = b.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/"
                    + TENANT + "/login")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(json.statusCode()).isEqualTo(400);
            assertThat(json.body()).contains("AADSTS900144");
        }

        @Test
        void pagesEscapeWhatTheyEcho() {
            FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
            HttpResponse<String> page = b.get(authorize(TENANT, desktopExact(Pkce.create(), "login_hint",
                    "\"><script>alert(1)</script>")));
            assertThat(page.body()).doesNotContain("<script>alert(1)</script>");
        }

    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
