package dev.consentry.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.RefreshTokenParameters;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension as its users meet it: a tenant built in code, real MSAL4J and Graph SDK clients from the extension's
 * factories, and the control's clock, sessions, grants and recorded decisions, each seen through those clients.
 */
class ConsentryExtensionTest {
    static final String DAEMON_SECRET = "daemon-secret-for-tests";
    static final String ADELE_PASSWORD = "Adele-Pass-1";
    static final ConsentryTenant CONTOSO = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
            .licence(ConsentryTenant.Sku.OFFICE_365_E3)
            .user("adele", u -> u.password(ADELE_PASSWORD).displayName("Adele Vance").directoryRole("User Administrator")
                    .licence("ENTERPRISEPACK"))
            .user("alex", u -> u.password("Alex-Pass-1"))
            .app("Daemon", a -> a.secret(DAEMON_SECRET).applicationPermissions("User.Read.All"))
            .app("Desktop", a -> a.publicClient("http://localhost").delegatedPermissions("User.Read", "offline_access"));

    @RegisterExtension
    static final ConsentryExtension consentry = ConsentryExtension.withTenants(CONTOSO);

    @Test
    void aDaemonReadsTheTenantsUsersThroughTheGraphSdk(LocalConsentry server) {
        GraphServiceClient graph = GraphClients.forApp(server, CONTOSO, "Daemon", DAEMON_SECRET);
        assertThat(graph.users().get().getValue()).extracting(u -> u.getUserPrincipalName())
                .contains("adele@contoso.onmicrosoft.com", "alex@contoso.onmicrosoft.com");
        assertThat(graph.users().byUserId(CONTOSO.userId("adele")).get().getDisplayName()).isEqualTo("Adele Vance");
    }

    @Test
    void aRefusalIsTheLastDecisionWithItsCause(LocalConsentry server, ConsentryControl control) {
        GraphServiceClient graph = GraphClients.forApp(server, CONTOSO, "Daemon", DAEMON_SECRET);
        ODataError refused = catchThrowableOfType(ODataError.class, () -> graph.groups().get());
        assertThat(refused.getResponseStatusCode()).isEqualTo(403);
        assertThat(refused.getError().getCode()).isEqualTo("Authorization_RequestDenied");
        var decision = control.lastDecision().orElseThrow();
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.id()).isEqualTo(refused.getResponseHeaders().get("request-id").iterator().next());
        assertThat(control.decision(decision.id())).hasValueSatisfying(d -> assertThat(d.cause()).isEqualTo(decision.cause()));
    }

    @Test
    void aUserSignsInThroughMsalAndTheSignInIsLogged(LocalConsentry server, ConsentryControl control) throws Exception {
        IAuthenticationResult adele = signIn(server, "adele", ADELE_PASSWORD);
        GraphServiceClient graph = GraphClients.withToken(server, adele::accessToken);
        assertThat(graph.me().get().getUserPrincipalName()).isEqualTo("adele@contoso.onmicrosoft.com");
        assertThat(control.lastSignIn(CONTOSO)).hasValueSatisfying(s -> {
            assertThat(s.userPrincipalName()).isEqualTo("adele@contoso.onmicrosoft.com");
            assertThat(s.appId()).isEqualTo(CONTOSO.clientId("Desktop"));
        });
    }

    @Test
    void aTokenExpiresWhenTheClockPassesItsLifetime(LocalConsentry server, ConsentryControl control) throws Exception {
        String token = signIn(server, "alex", "Alex-Pass-1").accessToken();
        GraphServiceClient graph = GraphClients.withToken(server, () -> token);
        assertThat(graph.me().get().getUserPrincipalName()).isEqualTo("alex@contoso.onmicrosoft.com");
        try {
            control.advanceClock(Duration.ofMinutes(95));
            ODataError expired = catchThrowableOfType(ODataError.class, () -> graph.me().get());
            assertThat(expired.getResponseStatusCode()).isEqualTo(401);
            assertThat(expired.getError().getCode()).isEqualTo("InvalidAuthenticationToken");
            assertThat(control.lastDecision()).hasValueSatisfying(d -> assertThat(d.cause()).isEqualTo("token-expired"));
        } finally {
            control.resetClock();
        }
    }

    @Test
    void revokedSessionsEndTheRefreshToken(LocalConsentry server, ConsentryControl control) throws Exception {
        PublicClientApplication desktop = MsalClients.publicClient(server, CONTOSO, "Desktop");
        IAuthenticationResult first = ropc(desktop, "alex@contoso.onmicrosoft.com", "Alex-Pass-1");
        String refreshToken = refreshTokenOf(desktop);
        assertThat(desktop.acquireToken(RefreshTokenParameters.builder(Set.of("User.Read"), refreshToken).build()).get()
                .accessToken()).isNotBlank();
        control.revokeSignInSessions(CONTOSO, "alex");
        ExecutionException refused = catchThrowableOfType(ExecutionException.class,
                () -> desktop.acquireToken(RefreshTokenParameters.builder(Set.of("User.Read"), refreshToken).build()).get());
        assertThat(refused.getCause()).hasMessageContaining("AADSTS50173");
        assertThat(first.account().username()).isEqualTo("alex@contoso.onmicrosoft.com");
    }

    @Test
    void aGrantMadeByTheControlReachesTheNextToken(LocalConsentry server, ConsentryControl control) throws Exception {
        var daemon = MsalClients.confidential(server, CONTOSO, "Daemon", DAEMON_SECRET);
        var parameters = ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build();
        assertThat(roles(daemon.acquireToken(parameters).get().accessToken())).doesNotContain("Application.Read.All");
        control.grantApplicationPermissions(CONTOSO, "Daemon", "Application.Read.All");
        var fresh = MsalClients.confidential(server, CONTOSO, "Daemon", DAEMON_SECRET); // MSAL would answer from its cache
        assertThat(roles(fresh.acquireToken(parameters).get().accessToken())).contains("Application.Read.All", "User.Read.All");
        control.revokeAdminConsent(CONTOSO, "Daemon");
        // Without consent Entra still issues an app token, without roles; Graph then refuses it.
        var after = MsalClients.confidential(server, CONTOSO, "Daemon", DAEMON_SECRET);
        assertThat(roles(after.acquireToken(parameters).get().accessToken())).isEmpty();
        control.grantApplicationPermissions(CONTOSO, "Daemon", "User.Read.All"); // back as the class's other tests expect
    }

    @Test
    void theInjectedTlsContextTrustsTheInstanceAlone(LocalConsentry server, SSLContext ssl) throws Exception {
        HttpResponse<String> discovery = HttpClient.newBuilder().sslContext(ssl).build().send(HttpRequest.newBuilder(
                URI.create(server.issuer(CONTOSO) + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(discovery.body()).contains("\"issuer\":\"" + server.issuer(CONTOSO) + "\"");
        assertThat(server.trustStore().getCertificate("consentry-ca")).isEqualTo(server.caCertificate());
    }

    @Nested
    class NestedClasses {
        @Test
        void shareTheOuterClassesInstance(LocalConsentry server) {
            assertThat(server).isSameAs(consentry.server());
        }
    }

    private static IAuthenticationResult signIn(LocalConsentry server, String user, String password) throws Exception {
        return ropc(MsalClients.publicClient(server, CONTOSO, "Desktop"), CONTOSO.userPrincipalName(user), password);
    }

    @SuppressWarnings("deprecation") // ROPC stands in for an interactive sign-in in these tests
    private static IAuthenticationResult ropc(PublicClientApplication app, String upn, String password) throws Exception {
        return app.acquireToken(UserNamePasswordParameters.builder(Set.of("User.Read", "offline_access"), upn,
                password.toCharArray()).build()).get();
    }

    /** The refresh token MSAL keeps in its cache (MSAL4J hands it out only through the serialized cache). */
    private static String refreshTokenOf(PublicClientApplication app) {
        String cache = app.tokenCache().serialize();
        return cache.replaceAll("(?s).*\"RefreshToken\"\\s*:\\s*\\{.*?\"secret\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private static java.util.List<String> roles(String accessToken) throws Exception {
        java.util.List<String> roles = com.nimbusds.jwt.SignedJWT.parse(accessToken).getJWTClaimsSet().getStringListClaim("roles");
        return roles == null ? java.util.List.of() : roles;
    }
}
