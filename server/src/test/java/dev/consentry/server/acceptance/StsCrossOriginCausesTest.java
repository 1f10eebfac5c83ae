package dev.consentry.server.acceptance;

import static dev.consentry.server.signin.AuthorizeEndpointTest.authorize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.graph.models.Application;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.signin.AuthorizeEndpointTest.Pkce;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cross-origin token redemption: a single-page application's code is redeemed only by the browser page (whose fetch
 * carries Origin), and a browser page redeems nothing else. Driven by MSAL4J redeeming a SPA code on the desktop (a
 * real mistake: the redirect URI registered under the wrong platform) and by a browser-page token request sent as
 * curl would send it with the Origin a browser adds.
 */
class StsCrossOriginCausesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "/" + TestTenant.TENANT + "/oauth2/v2.0/token";

    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();

    @BeforeEach
    void freshTenants() {
        Diagnosed.reset(server);
    }

    private static String spaCode(Pkce pkce) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("response_type", "code");
        p.put("redirect_uri", TestTenant.SPA_REDIRECT);
        p.put("scope", "openid profile User.Read");
        p.put("code_challenge", pkce.challenge());
        p.put("code_challenge_method", "S256");
        FormBrowser browser = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = browser.get(authorize(TestTenant.TENANT.toString(), p));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Map<String, String> reply = FormBrowser.redirectParameters(browser.signIn(page, TestTenant.ADELE_UPN,
                TestTenant.ADELE_PASSWORD));
        assertThat(reply).containsKey("code");
        return reply.get("code");
    }

    private static PublicClientApplication desktop() throws Exception {
        return PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory()).build();
    }

    private static AuthorizationCodeParameters redemption(String code, Pkce pkce) throws Exception {
        return AuthorizationCodeParameters.builder(code, new URI(TestTenant.SPA_REDIRECT)).scopes(Set.of("User.Read"))
                .codeVerifier(pkce.verifier()).build();
    }

    @Test
    @Drives(Cause.SPA_REDEMPTION_NOT_CROSS_ORIGIN)
    void aDesktopAppRedeemingACodeOfASpaRedirectUriIsToldToRegisterItOnItsOwnPlatform() throws Exception {
        Pkce pkce = Pkce.create();
        String code = spaCode(pkce);
        Throwable t = catchThrowable(() -> desktop().acquireToken(redemption(code, pkce)).get(30, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MsalServiceException.class);
        MsalServiceException refused = (MsalServiceException) t.getCause();
        assertThat(refused.getMessage()).startsWith("AADSTS9002327: Tokens issued for the 'Single-Page Application' "
                + "client-type may only be redeemed via cross-origin requests.");

        Diagnosis d = Diagnosed.as(server, refused.correlationId(), Cause.SPA_REDEMPTION_NOT_CROSS_ORIGIN);
        assertThat(d.facts()).containsEntry("redirectUri", TestTenant.SPA_REDIRECT);
        assertThat(d.fix()).contains("public client (mobile and desktop) instead of spa");

        // The fix for a desktop app: the redirect URI moved from spa to public client through Graph, by an administrator's
        // tool holding Application.ReadWrite.All; then a new sign-in's code is redeemed by the same MSAL call.
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            admin.grant(new Administration.GrantRequest(TestTenant.TENANT.toString(), TestTenant.API.toString(), null,
                    "Application.ReadWrite.All", "application"));
        }
        String token = server.appToken(TestTenant.TENANT.toString(), TestTenant.API.toString(), TestTenant.API_SECRET);
        var app = server.consentry().store().applications().findByAppId(TestTenant.TENANT, TestTenant.PUBLIC_APP).orElseThrow();
        List<String> publicUris = new ArrayList<>(app.publicClient().redirectUris());
        publicUris.add(d.facts().get("redirectUri"));
        Application change = new Application();
        com.microsoft.graph.models.SpaApplication spa = new com.microsoft.graph.models.SpaApplication();
        spa.setRedirectUris(List.of());
        change.setSpa(spa);
        com.microsoft.graph.models.PublicClientApplication publicClient = new com.microsoft.graph.models.PublicClientApplication();
        publicClient.setRedirectUris(publicUris);
        change.setPublicClient(publicClient);
        GraphSdk.client(server, () -> token).applications().byApplicationId(app.id().toString()).patch(change);

        Pkce again = Pkce.create();
        var result = desktop().acquireToken(redemption(spaCode(again), again)).get(30, TimeUnit.SECONDS);
        assertThat(result.account().username()).isEqualTo(TestTenant.ADELE_UPN);
    }

    private static HttpResponse<String> clientCredentials(String origin) {
        String form = FormBrowser.encode(Map.of("grant_type", "client_credentials", "client_id", TestTenant.DAEMON.toString(),
                "client_secret", TestTenant.DAEMON_SECRET, "scope", "https://graph.microsoft.com/.default"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + TOKEN))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return server.send(b.build());
    }

    @Test
    @Drives(Cause.CROSS_ORIGIN_NOT_SPA)
    void aBrowserPageAskingForAnAppOnlyTokenIsToldToAskFromAServer() throws Exception {
        HttpResponse<String> refused = clientCredentials("https://spa.fabrikam.example");
        assertThat(refused.statusCode()).isEqualTo(400);
        var body = JSON.readTree(refused.body());
        assertThat(body.path("error").asText()).isEqualTo("invalid_request");
        assertThat(body.path("error_description").asText()).startsWith("AADSTS9002326: Cross-origin token redemption is "
                + "permitted only for the 'Single-Page Application' client-type.");

        assertThat(body.path("error_uri").asText()).isEqualTo(server.baseUrl() + "/error?code=9002326");
        assertThat(server.get("/error?code=9002326").body()).contains("9002326");
        Diagnosis d = Diagnosed.as(server, body.path("trace_id").asText(), Cause.CROSS_ORIGIN_NOT_SPA);
        assertThat(d.facts()).containsEntry("origin", "https://spa.fabrikam.example");
        assertThat(d.fix()).contains("from a server, without an Origin header");

        // The fix: the same request from a server, which sends no Origin.
        HttpResponse<String> issued = clientCredentials(null);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        assertThat(JSON.readTree(issued.body()).path("access_token").asText()).isNotBlank();
    }
}
