package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The end-session endpoint on the wire (wire spec, section 1.7), over real HTTPS with a cookie-keeping client:
 * the session ends (all accounts, or the hinted one), the cookie is cleared, and the browser goes back only to a
 * registered URI of a named app, never to any other (no open redirect).
 */
class LogoutTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = TestTenant.TENANT.toString();
    static final String LOGOUT = "/" + TENANT + "/oauth2/v2.0/logout";
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();



    // ---- helpers -------------------------------------------------------------------------------------

    /** The desktop app's authorize request (PKCE S256, any loopback port), with {@code extra} name/value pairs. */
    static String authorize(String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("response_type", "code");
        p.put("redirect_uri", "http://localhost:51234");
        p.put("scope", "openid profile offline_access User.Read");
        p.put("state", "state-" + UUID.randomUUID());
        p.put("code_challenge", challenge());
        p.put("code_challenge_method", "S256");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return "/" + TENANT + "/oauth2/v2.0/authorize?" + FormBrowser.encode(p);
    }

    static String challenge() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String logout(String... params) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return LOGOUT + (p.isEmpty() ? "" : "?" + FormBrowser.encode(p));
    }

    /** A browser with {@code upn} signed in to the desktop app. */
    static FormBrowser signedIn(String upn) {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        signIn(b, upn, false);
        return b;
    }

    static void signIn(FormBrowser b, String upn, boolean anotherAccount) {
        HttpResponse<String> page = b.get(anotherAccount ? authorize("prompt", "login") : authorize());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        HttpResponse<String> done = b.signIn(page, upn, TestTenant.ADELE_PASSWORD); // every test user has this password
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        assertThat(FormBrowser.redirectParameters(done)).containsKey("code");
    }

    /** True when the browser's next authorize request shows the username page instead of signing in silently. */
    static boolean asksToSignIn(FormBrowser b) {
        HttpResponse<String> r = b.get(authorize());
        return r.statusCode() == 200 && r.body().contains("name=\"username\"") && r.headers().firstValue("Location").isEmpty();
    }

    static String cookie(FormBrowser b) {
        return b.cookies().getCookieStore().getCookies().stream().filter(c -> c.getName().equals(BrowserCookie.NAME))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    static String setCookie(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(BrowserCookie.NAME + "="))
                .findFirst().orElse("");
    }

    /** The "signed out" page: 200, HTML, no redirect. */
    static void assertNoticeWithoutRedirect(HttpResponse<String> r, String why) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("You signed out of your account").contains(why);
    }

    static String idToken(String upn) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "password");
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("username", upn);
        p.put("password", TestTenant.ADELE_PASSWORD);
        p.put("scope", "openid profile User.Read");
        HttpResponse<String> r = server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(p));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        return body.path("id_token").asText();
    }

    // ---- signing out -----------------------------------------------------------------------------------

    @Test
    void registeredLoopbackUriGetsStateAndTheSessionEnds() {
        FormBrowser b = signedIn(TestTenant.ADELE_UPN);
        assertThat(asksToSignIn(b)).as("signed in before").isFalse();
        String before = cookie(b);

        HttpResponse<String> r = b.get(logout("client_id", TestTenant.PUBLIC_APP.toString(),
                "post_logout_redirect_uri", "http://localhost:50123", "state", "bye & back"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("http://localhost:50123?state=bye%20%26%20back");
        assertThat(setCookie(r)).startsWith(BrowserCookie.NAME + "=;").contains("Max-Age=0").contains("Secure")
                .contains("HttpOnly");
        assertThat(cookie(b)).as("the browser dropped the cookie").isNull();
        assertThat(asksToSignIn(b)).as("signed out").isTrue();

        // The session is gone on the server too: the old cookie value no longer signs anyone in.
        HttpResponse<String> replay = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + authorize()))
                .header("Cookie", BrowserCookie.NAME + "=" + before).GET().build());
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("name=\"username\"");
    }

    @Test
    void registeredUriWithAQueryGetsStateAppendedWithAnAmpersand() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> r = b.get(logout("client_id", TestTenant.WEB_APP.toString(),
                "post_logout_redirect_uri", TestTenant.WEB_REDIRECT_WITH_QUERY, "state", "s1"));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains(TestTenant.WEB_REDIRECT_WITH_QUERY + "&state=s1");
        HttpResponse<String> noState = b.get(logout("client_id", TestTenant.WEB_APP.toString(),
                "post_logout_redirect_uri", TestTenant.WEB_REDIRECT));
        assertThat(noState.headers().firstValue("Location")).contains(TestTenant.WEB_REDIRECT);
    }

    @Test
    void postWorksLikeGet() {
        FormBrowser b = signedIn(TestTenant.ADELE_UPN);
        HttpResponse<String> r = b.post(LOGOUT, Map.of("client_id", TestTenant.PUBLIC_APP.toString(),
                "post_logout_redirect_uri", "http://localhost:50124", "state", "p"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("http://localhost:50124?state=p");
        assertThat(asksToSignIn(b)).isTrue();
    }

    @Test
    void unregisteredUrisAndUnnamedAppsAreNeverRedirectedTo() {
        FormBrowser b = signedIn(TestTenant.ADELE_UPN);
        HttpResponse<String> r = b.get(logout("client_id", TestTenant.PUBLIC_APP.toString(),
                "post_logout_redirect_uri", "https://evil.example/phish", "state", "x"));
        assertNoticeWithoutRedirect(r, "is not a redirect URI registered for Fabrikam Desktop");
        assertThat(r.body()).doesNotContain("href=\"https://evil.example");
        assertThat(setCookie(r)).contains("Max-Age=0");
        assertThat(asksToSignIn(b)).as("signed out even without the way back").isTrue();

        // Variants of a registered URI are not registered.
        for (String variant : List.of(TestTenant.WEB_REDIRECT + "/", "https://app.fabrikam.example:9443/signin-oidc",
                TestTenant.WEB_REDIRECT.toUpperCase(java.util.Locale.ROOT), TestTenant.WEB_REDIRECT + "?next=https://evil.example")) {
            assertNoticeWithoutRedirect(b.get(logout("client_id", TestTenant.WEB_APP.toString(),
                    "post_logout_redirect_uri", variant)), "is not a redirect URI registered for Fabrikam Web");
        }
        // A loopback URI on another port is the desktop app's rule only, not the web app's.
        assertNoticeWithoutRedirect(b.get(logout("client_id", TestTenant.WEB_APP.toString(),
                "post_logout_redirect_uri", "http://localhost:50123")), "is not a redirect URI registered");
        assertNoticeWithoutRedirect(b.get(logout("post_logout_redirect_uri", TestTenant.WEB_REDIRECT)),
                "named no app");
        assertNoticeWithoutRedirect(b.get(logout("client_id", UUID.randomUUID().toString(),
                "post_logout_redirect_uri", TestTenant.WEB_REDIRECT)), "no app has the client id");
        assertNoticeWithoutRedirect(b.get(logout("client_id", "not-a-guid",
                "post_logout_redirect_uri", TestTenant.WEB_REDIRECT)), "no app has the client id");
        assertNoticeWithoutRedirect(b.get(logout()), "no post_logout_redirect_uri");
    }

    @Test
    void logoutHintSignsOutOnlyThatAccount() {
        FormBrowser b = signedIn(TestTenant.ADELE_UPN);
        signIn(b, TestTenant.MEGAN_UPN, true);
        HttpResponse<String> picker = b.get(authorize("prompt", "select_account"));
        assertThat(picker.body()).contains(TestTenant.ADELE_UPN).contains(TestTenant.MEGAN_UPN);

        HttpResponse<String> r = b.get(logout("logout_hint", TestTenant.MEGAN_UPN.toUpperCase(java.util.Locale.ROOT),
                "client_id", TestTenant.PUBLIC_APP.toString(), "post_logout_redirect_uri", "http://localhost:50125"));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(setCookie(r)).as("Adele is still signed in: the cookie stays").isEmpty();
        picker = b.get(authorize("prompt", "select_account"));
        assertThat(picker.body()).contains(TestTenant.ADELE_UPN).doesNotContain(TestTenant.MEGAN_UPN);
        HttpResponse<String> silent = b.get(authorize("prompt", "none"));
        assertThat(FormBrowser.redirectParameters(silent)).as("one account left: signed in silently").containsKey("code");

        // A hint naming no account of this browser signs nobody out, and says so.
        HttpResponse<String> other = b.get(logout("logout_hint", TestTenant.MEGAN_UPN));
        assertNoticeWithoutRedirect(other, "was not signed in to this browser");
        assertThat(FormBrowser.redirectParameters(b.get(authorize("prompt", "none")))).containsKey("code");

        // Hinting the last account ends the browser's session entirely.
        HttpResponse<String> last = b.get(logout("logout_hint", TestTenant.ADELE_UPN));
        assertNoticeWithoutRedirect(last, "no post_logout_redirect_uri");
        assertThat(setCookie(last)).contains("Max-Age=0");
        assertThat(asksToSignIn(b)).isTrue();
    }

    @Test
    void idTokenHintNamesTheAppEvenWhenExpired() throws Exception {
        String idToken = idToken(TestTenant.ADELE_UPN);
        FormBrowser b = signedIn(TestTenant.ADELE_UPN);
        HttpResponse<String> r = b.get(logout("id_token_hint", idToken, "post_logout_redirect_uri", "http://localhost:50126",
                "state", "h"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("http://localhost:50126?state=h");

        String expired = server.resignedInThePast(idToken, Duration.ofDays(3));
        HttpResponse<String> old = b.get(logout("id_token_hint", expired, "post_logout_redirect_uri", "http://localhost:50126"));
        assertThat(old.statusCode()).as("an expired id token still names the app").isEqualTo(302);

        // A tampered token, another app's client_id beside it, or an access token in its place name no app.
        String tampered = idToken.substring(0, idToken.lastIndexOf('.') + 1) + "AAAA" + idToken.substring(idToken.lastIndexOf('.') + 5);
        assertNoticeWithoutRedirect(b.get(logout("id_token_hint", tampered, "post_logout_redirect_uri",
                "http://localhost:50126")), "signature does not verify");
        assertNoticeWithoutRedirect(b.get(logout("id_token_hint", idToken, "client_id", TestTenant.WEB_APP.toString(),
                "post_logout_redirect_uri", TestTenant.WEB_REDIRECT)), "is not the app the id_token_hint was issued to");
        for (String odd : List.of("garbage", "..", "e30.e30.e30", "eyJhbGciOiJub25lIn0.eyJ0aWQiOiIxIn0.",
                "eyJhbGciOiJSUzI1NiJ9.W10.AAAA", "eyJhbGciOiJSUzI1NiJ9.eyJuYmYiOiJ4In0.AAAA")) {
            assertNoticeWithoutRedirect(b.get(logout("id_token_hint", odd, "post_logout_redirect_uri",
                    "http://localhost:50126")), "not an id token of this Consentry");
        }
        String accessToken = JSON.readTree(server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(Map.of(
                "grant_type", "password", "client_id", TestTenant.PUBLIC_APP.toString(), "username", TestTenant.ADELE_UPN,
                "password", TestTenant.ADELE_PASSWORD, "scope", "api://" + TestTenant.API + "/access_as_user"))).body())
                .path("access_token").asText();
        assertNoticeWithoutRedirect(b.get(logout("id_token_hint", accessToken, "post_logout_redirect_uri",
                "http://localhost:50126")), "an access token, not an id token");
    }

    @Test
    void unknownTenantIsRefusedOnTheErrorPageAndSignsNobodyOut() {
        FormBrowser b = signedIn(TestTenant.ADELE_UPN);
        HttpResponse<String> r = b.get("/nosuch.onmicrosoft.com/oauth2/v2.0/logout?client_id=" + TestTenant.PUBLIC_APP
                + "&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A50127");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("AADSTS90002");
        assertThat(asksToSignIn(b)).isFalse();
    }

    @Test
    void escapesWhatItEchoesAndRefusesRepeatedParameters() {
        FormBrowser b = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> r = b.get(logout("client_id", TestTenant.WEB_APP.toString(),
                "post_logout_redirect_uri", "https://x.example/<script>alert(1)</script>"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("<script>alert(1)").contains("&lt;script&gt;");
        HttpResponse<String> twice = b.get(LOGOUT + "?state=a&state=b");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("AADSTS9000411");
    }
}
