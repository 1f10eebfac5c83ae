package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.InteractiveRequestParameters;
import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.OpenBrowserAction;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.SystemBrowserOptions;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.HtmlForms;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MSAL4J's authorization code flows against a running Consentry: the public client's interactive flow with
 * PKCE, its browser step in a real Chromium (MSAL listens on a random loopback port and reads the form_post
 * body), silent renewal with the refresh token, single sign-on from the session cookie; and a confidential
 * web app whose sign-in also runs in Chromium, redeeming the code with its secret and PKCE verifier.
 */
class Msal4jAuthorizationCodeTest {
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    @RegisterExtension
    static final Chromium chromium = Chromium.trusting(server);



    /** Each test starts in a browser without Consentry's session cookie. */
    @org.junit.jupiter.api.BeforeEach
    void signedOutBrowser() {
        chromium.open(server.baseUrl() + "/consentry/health");
        chromium.driver().manage().deleteAllCookies();
    }

    static PublicClientApplication desktop() throws Exception {
        return PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TestTenant.TENANT.toString()))
                .instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory())
                .build();
    }

    /** What a user does in the browser MSAL opens: sign in when asked, and note which pages were shown. */
    static class User implements OpenBrowserAction {
        final String username;
        final String password;
        final List<String> pagesShown = new ArrayList<>();
        String authorizeUrl;

        User(String username, String password) {
            this.username = username;
            this.password = password;
        }

        @Override
        public void openBrowser(java.net.URL url) {
            authorizeUrl = url.toString();
            chromium.open(url.toString());
            if (chromium.pageSource().contains("name=\"username\"")) {
                pagesShown.add("username");
                chromium.fill("username", username);
                chromium.submit();
                pagesShown.add("password");
                chromium.fill("password", password);
                chromium.submit();
            }
        }
    }

    static InteractiveRequestParameters interactive(User user, Prompt prompt) throws Exception {
        InteractiveRequestParameters.InteractiveRequestParametersBuilder b = InteractiveRequestParameters
                .builder(new URI("http://localhost"))
                .scopes(Set.of("User.Read"))
                .systemBrowserOptions(SystemBrowserOptions.builder().openBrowserAction(user).build());
        if (prompt != null) {
            b.prompt(prompt);
        }
        return b.build();
    }

    @Test
    void interactiveSignInInChromiumThenSilentRefreshThenSingleSignOn() throws Exception {
        PublicClientApplication app = desktop();
        User adele = new User(TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD);
        IAuthenticationResult first = app.acquireToken(interactive(adele, Prompt.SELECT_ACCOUNT)).get(60, TimeUnit.SECONDS);

        assertThat(adele.pagesShown).containsExactly("username", "password");
        assertThat(adele.authorizeUrl).contains("code_challenge_method=S256").contains("response_mode=form_post")
                .contains("redirect_uri=http%3A%2F%2Flocalhost%3A");
        var claims = SignedJWT.parse(first.accessToken()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scp")).isEqualTo("User.Read");
        assertThat(claims.getStringClaim("oid")).isEqualTo(TestTenant.ADELE.toString());
        assertThat(claims.getStringClaim("appid")).isEqualTo(TestTenant.PUBLIC_APP.toString());
        assertThat(first.account().username()).isEqualTo(TestTenant.ADELE_UPN);
        assertThat(first.account().homeAccountId()).isEqualTo(TestTenant.ADELE + "." + TestTenant.TENANT);

        // Silent: MSAL redeems the refresh token it cached from the code redemption.
        // (MSAL4J drops a non-443 port from the cached account's authority, so the authority is passed again.)
        IAuthenticationResult renewed = app.acquireTokenSilently(SilentParameters.builder(Set.of("User.Read"), first.account())
                .authorityUrl(server.authority(TestTenant.TENANT.toString())).forceRefresh(true).build()).get(30, TimeUnit.SECONDS);
        assertThat(renewed.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(SignedJWT.parse(renewed.accessToken()).getJWTClaimsSet().getStringClaim("oid"))
                .isEqualTo(TestTenant.ADELE.toString());

        // A second interactive call in the same browser: the session cookie signs Adele in without a page.
        User again = new User(TestTenant.ADELE_UPN, "not needed");
        IAuthenticationResult sso = desktop().acquireToken(interactive(again, null)).get(60, TimeUnit.SECONDS);
        assertThat(again.pagesShown).isEmpty();
        assertThat(sso.account().username()).isEqualTo(TestTenant.ADELE_UPN);
    }

    @Test
    void aRefusalAtTheAuthorizeEndpointReachesMsalsListener() throws Exception {
        // Mail.Read is consented for nobody: Megan declines on the consent page, and the form_post carries
        // error=access_denied with AADSTS65004 to MSAL's listener, which (MSAL4J's own behaviour) shows the error in
        // the browser and fails with a client exception.
        User megan = new User(TestTenant.MEGAN_UPN, TestTenant.ADELE_PASSWORD) {
            @Override
            public void openBrowser(java.net.URL url) {
                super.openBrowser(url);
                chromium.awaitText("Permissions requested");
                chromium.click("cancel");
            }
        };
        InteractiveRequestParameters p = InteractiveRequestParameters.builder(new URI("http://localhost"))
                .scopes(Set.of("Mail.Read")).prompt(Prompt.LOGIN)
                .systemBrowserOptions(SystemBrowserOptions.builder().openBrowserAction(megan).build()).build();
        Throwable t = catchThrowable(() -> desktop().acquireToken(p).get(60, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(MsalClientException.class);
        assertThat(((MsalClientException) t.getCause()).errorCode()).isEqualTo("invalid_authorization_result");
        assertThat(megan.pagesShown).containsExactly("username", "password");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!chromium.text().contains("AADSTS65004") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(chromium.text()).contains("access_denied").contains("AADSTS65004");
    }

    @Test
    void confidentialWebAppSignsInInChromiumAndRedeemsTheCodeWithItsSecretAndPkce() throws Exception {
        ConfidentialClientApplication web = ConfidentialClientApplication.builder(TestTenant.WEB_APP.toString(),
                        ClientCredentialFactory.createFromSecret(TestTenant.WEB_SECRET))
                .authority(server.authority(TestTenant.TENANT.toString()))
                .instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory())
                .build();
        // The web app's own endpoint: a listener on a loopback port, registered (port included) on its web platform.
        CompletableFuture<String> received = new CompletableFuture<>();
        HttpServer listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/signin-oidc", exchange -> {
            // MSAL4J's authorization URL asks for form_post: the response arrives as the POST body.
            received.complete("POST".equals(exchange.getRequestMethod())
                    ? new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    : exchange.getRequestURI().getRawQuery());
            byte[] page = "signed in".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        listener.start();
        String redirect = "http://localhost:" + listener.getAddress().getPort() + "/signin-oidc";
        server.consentry().importTenants(List.of(TestTenant.fabrikam(List.of(redirect))));
        String code;
        AuthorizeEndpointTest.Pkce pkce = AuthorizeEndpointTest.Pkce.create();
        try {
            java.net.URL url = web.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters
                    .builder(redirect, Set.of("User.Read"))
                    .state("web-state").prompt(Prompt.LOGIN)
                    .codeChallenge(pkce.challenge()).codeChallengeMethod("S256").build());
            chromium.open(url.toString());
            chromium.fill("username", TestTenant.ADELE_UPN);
            chromium.submit();
            chromium.fill("password", TestTenant.ADELE_PASSWORD);
            chromium.submit();
            Map<String, String> reply = HtmlForms.parameters(received.get(30, TimeUnit.SECONDS));
            assertThat(reply.get("state")).isEqualTo("web-state");
            code = reply.get("code");
        } finally {
            listener.stop(0);
        }

        IAuthenticationResult result = web.acquireToken(AuthorizationCodeParameters.builder(code, new URI(redirect))
                .scopes(Set.of("User.Read")).codeVerifier(pkce.verifier()).build()).get(30, TimeUnit.SECONDS);
        assertThat(SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("appidacr")).isEqualTo("1");
        assertThat(result.account().username()).isEqualTo(TestTenant.ADELE_UPN);

        Throwable replay = catchThrowable(() -> web.acquireToken(AuthorizationCodeParameters.builder(code,
                new URI(redirect)).scopes(Set.of("User.Read")).codeVerifier(pkce.verifier()).build())
                .get(30, TimeUnit.SECONDS));
        assertThat(replay.getCause()).isInstanceOf(MsalServiceException.class);
        assertThat(((MsalServiceException) replay.getCause()).errorCode()).isEqualTo("invalid_grant");
        assertThat(replay.getCause().getMessage()).startsWith("AADSTS54005");
    }
}
