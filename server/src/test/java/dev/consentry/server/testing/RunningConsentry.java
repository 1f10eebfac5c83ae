package dev.consentry.server.testing;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.server.Consentry;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.tls.TrustingClients;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Consentry started through production code ({@link Consentry#start}, hence the one routing function)
 * on a free loopback port, with the test tenants imported, and clients that trust its CA.
 *
 * <p>A test class holds one in a static field registered as a JUnit extension, which closes it after the
 * class's tests: {@code @RegisterExtension static final RunningConsentry server = RunningConsentry.start();}
 */
public final class RunningConsentry implements AutoCloseable, AfterAllCallback {
    private final Store store;
    private final Consentry consentry;
    private final SSLContext ssl;
    private final HttpClient http;

    private RunningConsentry(Store store, Consentry consentry) {
        this.store = store;
        this.consentry = consentry;
        this.ssl = trusting(consentry);
        this.http = HttpClient.newBuilder().sslContext(ssl).build();
    }

    /** Starts on an in-memory store with {@link TestTenant#tenants()}. */
    public static RunningConsentry start() {
        return start(new InMemoryStore(), Clock.systemUTC());
    }

    /** Starts on {@code store} (closed with this) with the test tenants and the given clock. */
    public static RunningConsentry start(Store store, Clock clock) {
        return start(store, clock, null);
    }

    /** As {@link #start(Store, Clock)}, writing {@code ca.pem} into {@code dataDir} when it is not null. */
    public static RunningConsentry start(Store store, Clock clock, java.nio.file.Path dataDir) {
        return start(new ServerConfig("127.0.0.1", 0, Optional.empty(), Optional.ofNullable(dataDir), clock), store);
    }

    /** Starts with an explicit configuration on an in-memory store with the test tenants. */
    public static RunningConsentry start(ServerConfig config) {
        return start(config, new InMemoryStore(config.recentDecisions()));
    }

    private static RunningConsentry start(ServerConfig config, Store store) {
        Consentry c = Consentry.start(config, store);
        c.importTenants(TestTenant.tenants());
        return new RunningConsentry(store, c);
    }

    private static SSLContext trusting(Consentry c) {
        try {
            return TrustingClients.sslContext(c.caCertificate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where requests go: always the bound loopback port, whatever base URL is published. */
    public String baseUrl() {
        return "https://localhost:" + consentry.port();
    }

    /** The authority MSAL is given: {@code https://localhost:<port>/<tenant>/}. */
    public String authority(String tenant) {
        return baseUrl() + "/" + tenant + "/";
    }

    public SSLContext sslContext() {
        return ssl;
    }

    public Consentry consentry() {
        return consentry;
    }

    /** GET {@code path} (relative to the base URL). */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build());
    }

    /** POST a form body to {@code path}. */
    public HttpResponse<String> postForm(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /**
     * Asserts that {@code page} is Consentry's page for a refusal of {@code cause}, not a redirect: the cause's status
     * and AADSTS code, and the refusal recorded under the trace id the page shows. Answers that record.
     */
    public dev.consentry.core.explain.Diagnosis assertRefusedOnPage(HttpResponse<String> page,
                                                                    dev.consentry.core.cause.Cause cause) {
        org.assertj.core.api.Assertions.assertThat(page.statusCode()).as(page.body()).isEqualTo(cause.status());
        org.assertj.core.api.Assertions.assertThat(page.headers().firstValue("Location")).isEmpty();
        org.assertj.core.api.Assertions.assertThat(page.body()).contains("AADSTS" + cause.code());
        String trace = page.body().replaceAll("(?s).*<span id=\"trace-id\">([^<]+)</span>.*", "$1");
        var recorded = consentry().traces().find(trace);
        org.assertj.core.api.Assertions.assertThat(recorded)
                .hasValueSatisfying(f -> org.assertj.core.api.Assertions.assertThat(f.cause()).isEqualTo(cause.slug()));
        return recorded.orElseThrow();
    }

    /**
     * Grants Microsoft Graph's {@code permissions} to the app {@code clientId} of {@code tenant} as an administrator does
     * ({@code consentry grant}, through the same administration); {@code type} is {@code application} or
     * {@code delegated}.
     */
    public void grant(String tenant, String clientId, String type, String... permissions) {
        try (dev.consentry.server.admin.Administration admin = dev.consentry.server.admin.StoreAdministration
                .onStore(consentry().store(), consentry().clock())) {
            for (String permission : permissions) {
                admin.grant(new dev.consentry.server.admin.Administration.GrantRequest(tenant, clientId, null, permission,
                        type));
            }
        }
    }

    /** A Graph call ({@code /v1.0/...}) with {@code token} as its bearer and {@code body} as JSON, or none when null. */
    public HttpResponse<String> graph(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    /**
     * A client-credentials token for Microsoft Graph from MSAL4J, for the app {@code clientId} with {@code secret} in
     * {@code tenant}. A new MSAL client each time: MSAL would otherwise answer from its cache, and tests want the next
     * token, with the roles granted since.
     */
    public String appToken(String tenant, String clientId, String secret) {
        try {
            com.microsoft.aad.msal4j.ConfidentialClientApplication app = com.microsoft.aad.msal4j.ConfidentialClientApplication
                    .builder(clientId, com.microsoft.aad.msal4j.ClientCredentialFactory.createFromSecret(secret))
                    .authority(authority(tenant)).instanceDiscovery(false)
                    .sslSocketFactory(sslContext().getSocketFactory()).build();
            return app.acquireToken(com.microsoft.aad.msal4j.ClientCredentialParameters
                    .builder(java.util.Set.of("https://graph.microsoft.com/.default")).build()).get().accessToken();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A user's delegated token from MSAL4J's username/password grant through the public client {@code clientId}, for
     * tests where a sign-in stands for an interactive one.
     */
    @SuppressWarnings("deprecation") // ROPC stands in for an interactive sign-in here
    public String userToken(String tenant, String clientId, String upn, String password, java.util.Set<String> scopes) {
        try {
            var app = com.microsoft.aad.msal4j.PublicClientApplication.builder(clientId).authority(authority(tenant))
                    .instanceDiscovery(false).sslSocketFactory(sslContext().getSocketFactory()).build();
            return app.acquireToken(com.microsoft.aad.msal4j.UserNamePasswordParameters.builder(scopes, upn,
                    password.toCharArray()).build()).get().accessToken();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The code {@code user}'s authenticator app shows {@code stepsAhead} 30-second steps from now (0: now), computed from
     * the secret the store keeps, as the app would; the server accepts one step either side, and each step once.
     */
    public String authenticatorCode(dev.consentry.core.id.TenantId tenant, dev.consentry.core.id.ObjectId user,
                                    int stepsAhead) {
        var method = store.softwareOathMethods().listByUser(tenant, user).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("user " + user + " has no authenticator app"));
        return dev.consentry.core.secret.Totp.code(method.secretKey(),
                dev.consentry.core.secret.Totp.step(consentry.clock().instant()) + stepsAhead);
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code token}'s claims with its lifetime (one hour) moved {@code back} into the past, signed again with the
     * server's primary key: an expired token Consentry itself issued.
     */
    public String resignedInThePast(String token, Duration back) throws Exception {
        Instant start = Instant.now().minus(back);
        return resigned(token, c -> c.issueTime(Date.from(start)).notBeforeTime(Date.from(start))
                .expirationTime(Date.from(start.plus(Duration.ofHours(1)))));
    }

    /**
     * {@code token}'s claims as {@code change} leaves them, signed again with the server's primary key: a token
     * Consentry could have issued (another {@code scp}, other {@code roles}), without a tenant set up to issue it.
     */
    public String resigned(String token, java.util.function.UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        var key = consentry.signingKeys().primary();
        return TestTokens.signedWith(key.signer(), key.kid()).algorithm(key.algorithm()).typeJwt()
                .from(SignedJWT.parse(token).getJWTClaimsSet()).edit(change).sign();
    }

    /** Closes the server after the tests of the class that registered it. */
    @Override
    public void afterAll(ExtensionContext context) {
        // @Nested classes inherit the extension; only the outermost class's end closes the server.
        if (context.getParent().flatMap(ExtensionContext::getTestClass).isEmpty()) {
            close();
        }
    }

    @Override
    public void close() {
        consentry.close();
        store.close();
    }
}
