package dev.consentry.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DeviceCodeCredentialBuilder;
import com.azure.identity.InteractiveBrowserCredentialBuilder;
import com.azure.identity.UsernamePasswordCredentialBuilder;
import com.microsoft.graph.core.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.testkit.FormBrowser;
import dev.consentry.testkit.HtmlForms;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * azure-identity's credentials against Consentry, each handed to the Microsoft Graph Java SDK as Microsoft's samples
 * hand it over, with the three settings a host that is not Microsoft's needs: {@code authorityHost} (Consentry's base
 * URL, no path), {@code disableInstanceDiscovery()} (else MSAL, inside azure-identity, asks Microsoft's cloud about
 * the host) and an HTTP client trusting Consentry's CA; and, on the Graph side, Consentry's host among the hosts the
 * SDK sends the token to ({@code new GraphServiceClient(credential, scopes)} sends it to Microsoft's hosts only).
 */
class AzureIdentityTest {
    static final String GRAPH_DEFAULT = "https://graph.microsoft.com/.default";
    static final KeyPair CERT_KEY = rsaKeyPair();
    static final X509Certificate CERT = CertificateIssuer.selfSigned(CERT_KEY, "Contoso Cert Daemon", Instant.now().minus(
            Duration.ofDays(1)), Duration.ofDays(30));
    static final ConsentryTenant CONTOSO = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
            .user("adele", u -> u.password("Adele-Pass-1").displayName("Adele Vance"))
            .app("Daemon", a -> a.secret("daemon-secret-value").applicationPermissions("User.Read.All"))
            .app("Cert Daemon", a -> a.certificate(CERT).applicationPermissions("User.Read.All"))
            .app("Desktop", a -> a.publicClient("http://localhost").delegatedPermissions("User.Read"));

    @RegisterExtension
    static final ConsentryExtension consentry = ConsentryExtension.withTenants(CONTOSO);

    @Test
    void clientSecretCredential(LocalConsentry server) {
        TokenCredential credential = new ClientSecretCredentialBuilder().authorityHost(server.baseUrl().toString())
                .tenantId(CONTOSO.tenantId()).clientId(CONTOSO.clientId("Daemon")).clientSecret("daemon-secret-value")
                .disableInstanceDiscovery().httpClient(trusting(server)).build();
        GraphServiceClient graph = graph(server, credential, GRAPH_DEFAULT);
        assertThat(graph.users().get().getValue()).extracting(u -> u.getUserPrincipalName())
                .contains("adele@contoso.onmicrosoft.com");
        // The same credential's token is an app token without group permissions: Graph's refusal reaches the SDK.
        ODataError refused = org.assertj.core.api.Assertions.catchThrowableOfType(ODataError.class, () -> graph.groups().get());
        assertThat(refused.getResponseStatusCode()).isEqualTo(403);
        assertThat(server.control().lastDecision()).hasValueSatisfying(d -> assertThat(d.allowed()).isFalse());
    }

    @Test
    void clientCertificateCredential(LocalConsentry server) {
        TokenCredential credential = new ClientCertificateCredentialBuilder().authorityHost(server.baseUrl().toString())
                .tenantId(CONTOSO.tenantId()).clientId(CONTOSO.clientId("Cert Daemon"))
                .pemCertificate(new ByteArrayInputStream(pem(CERT_KEY, CERT).getBytes(StandardCharsets.US_ASCII)))
                .disableInstanceDiscovery().httpClient(trusting(server)).build();
        GraphServiceClient graph = graph(server, credential, GRAPH_DEFAULT);
        assertThat(graph.users().byUserId(CONTOSO.userId("adele")).get().getDisplayName()).isEqualTo("Adele Vance");
    }

    @Test
    @SuppressWarnings("deprecation") // azure-identity deprecates the password credential (no MFA); it still works
    void usernamePasswordCredential(LocalConsentry server) {
        TokenCredential credential = new UsernamePasswordCredentialBuilder().authorityHost(server.baseUrl().toString())
                .tenantId(CONTOSO.tenantId()).clientId(CONTOSO.clientId("Desktop"))
                .username("adele@contoso.onmicrosoft.com").password("Adele-Pass-1")
                .disableInstanceDiscovery().httpClient(trusting(server)).build();
        GraphServiceClient graph = graph(server, credential, "User.Read");
        assertThat(graph.me().get().getUserPrincipalName()).isEqualTo("adele@contoso.onmicrosoft.com");
    }

    @Test
    void deviceCodeCredential(LocalConsentry server) {
        AtomicReference<String> message = new AtomicReference<>();
        TokenCredential credential = new DeviceCodeCredentialBuilder().authorityHost(server.baseUrl().toString())
                .tenantId(CONTOSO.tenantId()).clientId(CONTOSO.clientId("Desktop"))
                .challengeConsumer(challenge -> {
                    message.set(challenge.getMessage());
                    // Adele opens the verification page on her phone and signs in; the device's next poll succeeds.
                    server.control().approveDeviceCode(CONTOSO, challenge.getUserCode(), "adele");
                })
                .disableInstanceDiscovery().httpClient(trusting(server)).build();
        var token = credential.getTokenSync(new TokenRequestContext().addScopes("User.Read"));
        assertThat(token.getToken()).isNotBlank();
        assertThat(message.get()).contains(server.baseUrl() + "/devicelogin");
        GraphServiceClient graph = graph(server, credential, "User.Read");
        assertThat(graph.me().get().getUserPrincipalName()).isEqualTo("adele@contoso.onmicrosoft.com");
    }

    @Test
    void interactiveBrowserCredential(LocalConsentry server) throws Exception {
        Path browser = fakeBrowser();
        TokenCredential credential = new InteractiveBrowserCredentialBuilder().authorityHost(server.baseUrl().toString())
                .tenantId(CONTOSO.tenantId()).clientId(CONTOSO.clientId("Desktop"))
                .disableInstanceDiscovery().httpClient(trusting(server)).build();
        // The Graph SDK asks the credential for a token (with continuous access evaluation, as its provider does by
        // default); MSAL opens the authorize URL in "the browser", where Adele signs in, and Consentry's page posts
        // the code back to MSAL's listener on http://localhost (response_mode=form_post).
        GraphServiceClient graph = graph(server, credential, "User.Read");
        CompletableFuture<com.microsoft.graph.models.User> me = CompletableFuture.supplyAsync(() -> graph.me().get());
        String opened = awaitOpenedUrl(browser, me);
        assertThat(opened).startsWith(server.authority(CONTOSO) + "oauth2/v2.0/authorize?")
                .contains("response_mode=form_post").contains("code_challenge_method=S256");
        FormBrowser adele = new FormBrowser(server.baseUrl().toString(), server.sslContext());
        HttpResponse<String> back = adele.signIn(adele.get(opened), "adele@contoso.onmicrosoft.com", "Adele-Pass-1");
        assertThat(HtmlForms.formAction(back.body())).as(back.body()).hasValueSatisfying(a -> assertThat(a).startsWith("http://localhost:"));
        assertThat(adele.submit(back, java.util.Map.of()).statusCode()).isEqualTo(200);
        assertThat(me.get(60, TimeUnit.SECONDS).getUserPrincipalName()).isEqualTo("adele@contoso.onmicrosoft.com");
        // The token is cached: the next call opens no browser.
        assertThat(graph.me().get().getDisplayName()).isEqualTo("Adele Vance");
        assertThat(Files.readAllLines(browser)).hasSize(1);
    }

    /**
     * The {@code xdg-open} MSAL finds first on the test JVM's PATH (see this module's pom): it writes the URL it is
     * given to {@code opened-urls} beside it.
     */
    static Path fakeBrowser() throws java.io.IOException {
        String dir = System.getenv("CONSENTRY_FAKE_BROWSER_DIR");
        Assumptions.assumeTrue(dir != null, "run by Maven, whose surefire configuration puts the fake xdg-open on PATH");
        Path bin = Files.createDirectories(Path.of(dir));
        Path script = bin.resolve("xdg-open");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$(dirname \"$0\")/opened-urls\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.deleteIfExists(bin.resolve("opened-urls"));
        return bin.resolve("opened-urls");
    }

    static String awaitOpenedUrl(Path log, CompletableFuture<?> flow) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (Files.exists(log) && !Files.readString(log).isBlank()) {
                return Files.readString(log).lines().findFirst().orElseThrow().strip();
            }
            if (flow.isDone()) {
                flow.get(); // the flow failed before opening a browser: its exception says why
            }
            Thread.sleep(100);
        }
        throw new AssertionError("MSAL opened no browser within 30 s");
    }

    /** azure-core's OkHttp client trusting Consentry's CA: MSAL's requests inside azure-identity go through it. */
    static HttpClient trusting(LocalConsentry server) {
        return new OkHttpAsyncHttpClientBuilder(new OkHttpClient.Builder()
                .sslSocketFactory(server.sslContext().getSocketFactory(), server.trustManager()).build()).build();
    }

    /** The Graph SDK over {@code credential}, sending its token to Consentry's host, trusting its CA. */
    static GraphServiceClient graph(LocalConsentry server, TokenCredential credential, String... scopes) {
        AzureIdentityAuthenticationProvider auth = new AzureIdentityAuthenticationProvider(credential,
                new String[] {server.baseUrl().getHost()}, scopes);
        GraphServiceClient graph = new GraphServiceClient(auth, GraphClientFactory.create(auth)
                .sslSocketFactory(server.sslContext().getSocketFactory(), server.trustManager()).build());
        graph.getRequestAdapter().setBaseUrl(server.graphUrl());
        return graph;
    }

    /** The PEM azure-identity reads: the PKCS#8 private key, then the certificate. */
    static String pem(KeyPair pair, X509Certificate cert) {
        try {
            Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            return "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n"
                    + "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
