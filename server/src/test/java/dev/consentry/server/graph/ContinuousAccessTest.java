package dev.consentry.server.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClaimsRequest;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.UserNamePasswordParameters;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.ErrorProfile;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.Scheme;
import dev.consentry.server.testing.GraphSdk;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.Store;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TenantBuilder;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Continuous access evaluation, through MSAL4J and the Graph Java SDK: a client declaring {@code cp1} gets a long-lived
 * token stating {@code xms_cc}; once the user's sessions are revoked through Graph, the next call with it is refused
 * with Graph's claims challenge (403 under the default profile, 401 under {@code graph-today}, where the Graph SDK's own
 * retry, given a token provider that acquires again with the claims, succeeds); a client without {@code cp1} keeps
 * its short-lived token and is not challenged.
 */
public class ContinuousAccessTest {
    /** The causes this class proves on the wire. */
    public static final Set<Cause> COVERED_HERE = Set.of(Cause.CAE_CHALLENGE);
    static final Store STORE = new InMemoryStore();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(STORE, Clock.systemUTC());
    private static final ObjectMapper JSON = new ObjectMapper();
    static String adminToken;

    @BeforeAll
    static void theDaemonMayRevokeSessions() {
        UUID id = GraphPermissionCatalogue.builtin().permission("User.RevokeSessions.All")
                .flatMap(p -> p.in(Scheme.APPLICATION)).orElseThrow().id();
        STORE.appRoleAssignments().save(TestTenant.TENANT, new AppRoleAssignment(null, TestTenant.DAEMON_SP, "ServicePrincipal",
                TestTenant.GRAPH_SP, id, Instant.now(), null));
        adminToken = server.appToken(TestTenant.TENANT.toString(), TestTenant.DAEMON.toString(), TestTenant.DAEMON_SECRET);
    }

    @AfterEach
    void defaultProfile() {
        profile(ErrorProfile.TROUBLESHOOTING_GUIDE);
    }

    static void profile(ErrorProfile profile) {
        TenantDirectory t = STORE.tenants().export(TestTenant.TENANT).orElseThrow();
        STORE.tenants().replace(TenantBuilder.from(t).withSettings(new TenantSettings(profile,
                t.settings().additionalProperties())).build());
    }

    static PublicClientApplication desktop(boolean cp1) throws Exception {
        var b = PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TestTenant.TENANT.toString())).instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory());
        if (cp1) {
            b.clientCapabilities(Set.of("cp1"));
        }
        return b.build();
    }

    static IAuthenticationResult signIn(PublicClientApplication app, String claims) throws Exception {
        var p = UserNamePasswordParameters.builder(Set.of("User.Read"), TestTenant.MEGAN_UPN,
                TestTenant.ADELE_PASSWORD.toCharArray());
        if (claims != null) {
            p.claims(ClaimsRequest.formatAsClaimsRequest(claims));
        }
        return app.acquireToken(p.build()).get(30, TimeUnit.SECONDS);
    }

    static HttpResponse<String> me(String token) {
        return server.graph("GET", "/v1.0/me", token, null);
    }

    static void revokeMegan() {
        HttpResponse<String> r = server.graph("POST", "/v1.0/users/" + TestTenant.MEGAN + "/revokeSignInSessions", adminToken,
                null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aCp1TokenLivesLongAndIsChallengedRightAfterTheSessionsAreRevokedAnOrdinaryOneIsNot() throws Exception {
        IAuthenticationResult cae = signIn(desktop(true), null);
        IAuthenticationResult plain = signIn(desktop(false), null);
        var claims = SignedJWT.parse(cae.accessToken()).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("xms_cc")).containsExactly("cp1");
        // iat is back-dated five minutes, as Entra's is; the lifetime counts from the issue itself.
        assertThat(Duration.between(claims.getIssueTime().toInstant().plus(Duration.ofMinutes(5)),
                claims.getExpirationTime().toInstant())).isBetween(Duration.ofHours(24), Duration.ofHours(28));
        assertThat(SignedJWT.parse(plain.accessToken()).getJWTClaimsSet().getClaim("xms_cc")).isNull();
        HttpResponse<String> first = me(cae.accessToken());
        assertThat(first.statusCode()).as(() -> server.get("/consentry/diagnostics/"
                + first.headers().firstValue("request-id").orElseThrow()).body()).isEqualTo(200);

        Thread.sleep(1_100); // the revocation must be later than the token's issue time, which has whole seconds
        revokeMegan();
        long revokedAt = System.nanoTime();
        HttpResponse<String> challenged = me(cae.accessToken());
        long delay = System.nanoTime() - revokedAt;
        assertThat(Duration.ofNanos(delay)).as("revocation to challenge").isLessThan(Duration.ofSeconds(1));
        assertThat(challenged.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(challenged.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(error.path("message").asText()).isEqualTo("Continuous access evaluation resulted in challenge with "
                + "result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp");
        String header = challenged.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(header).startsWith("Bearer realm=\"\", authorization_uri=\"" + server.baseUrl() + "/common/oauth2/authorize\", "
                + "client_id=\"00000003-0000-0000-c000-000000000000\", error_description=\"Continuous access evaluation "
                + "resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp\", "
                + "error=\"insufficient_claims\", claims=\"");
        String encoded = header.replaceAll(".*claims=\"([^\"]+)\".*", "$1");
        String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        long validFrom = Instant.parse(STORE.users().find(TestTenant.TENANT, TestTenant.MEGAN).orElseThrow()
                .additionalProperties().get("signInSessionsValidFromDateTime").toString()).getEpochSecond();
        assertThat(decoded).isEqualTo("{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"" + validFrom + "\"}}}");
        String trace = challenged.headers().firstValue("request-id").orElseThrow();
        assertThat(server.get("/consentry/diagnostics/" + trace).body()).contains(Cause.CAE_CHALLENGE.slug())
                .contains("sessions were revoked");

        assertThat(me(plain.accessToken()).statusCode()).as("no cp1: not challenged until it expires").isEqualTo(200);

        // Asking again with the challenge's claims: a new sign-in, newer than the revocation, and Graph answers.
        IAuthenticationResult renewed = signIn(desktop(true), decoded);
        assertThat(me(renewed.accessToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void underGraphTodayTheChallengeIs401AndTheGraphSdkRetriesWithTheClaimsByItself() throws Exception {
        profile(ErrorProfile.GRAPH_TODAY);
        PublicClientApplication app = desktop(true);
        AtomicInteger acquisitions = new AtomicInteger();
        List<String> claimsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AccessTokenProvider provider = new AccessTokenProvider() {
            private final AllowedHostsValidator hosts = new AllowedHostsValidator("localhost");
            private String cached;

            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                // The SDK hands over the challenge's claims as they came, base64; a provider decodes them (as Microsoft's
                // azure-identity provider does) before asking the STS.
                Object encoded = context == null ? null : context.get("claims");
                String claims = encoded == null ? null
                        : new String(Base64.getDecoder().decode(encoded.toString()), StandardCharsets.UTF_8);
                if (cached == null || claims != null) {
                    acquisitions.incrementAndGet();
                    if (claims != null) {
                        claimsSeen.add(claims);
                    }
                    try {
                        cached = signIn(app, claims).accessToken();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return cached;
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return hosts;
            }
        };
        GraphServiceClient graph = GraphSdk.client(server, provider);
        assertThat(graph.me().get().getUserPrincipalName()).isEqualTo(TestTenant.MEGAN_UPN);
        Thread.sleep(1_100);
        revokeMegan();

        assertThat(graph.me().get().getUserPrincipalName()).as("the SDK's retry").isEqualTo(TestTenant.MEGAN_UPN);
        assertThat(acquisitions.get()).as("once at first, once with the claims").isEqualTo(2);
        assertThat(claimsSeen).singleElement().asString().contains("\"nbf\"");
    }
}
