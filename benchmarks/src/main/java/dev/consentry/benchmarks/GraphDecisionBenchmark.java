package dev.consentry.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.graph.authz.AuthorizationEngine;
import dev.consentry.graph.authz.Decision;
import dev.consentry.graph.authz.GraphRequest;
import dev.consentry.graph.authz.TokenChecks;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TenantBuilder;
import dev.consentry.testkit.TestTenants;
import dev.consentry.testkit.TestTokens;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Deciding a Graph call ({@code GET /v1.0/me} with a delegated token: parse, verify, validate, match the
 * route in the catalogue, check the permission) next to a raw RS256 signature verification of the same
 * token, and next to Nimbus's {@code DefaultJWTProcessor} configured for the same key (issue 4's figure:
 * validate and decide against the raw verify). {@code directory} runs it in a tenant of a few objects and in one
 * of 100,000 users and 10,000 applications (with their service principals and grants); a refused call
 * ({@code GET /v1.0/users} with {@code User.Read} only), whose explanation reads the app's registration and
 * grants, shows what the store's size costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GraphDecisionBenchmark {
    private AuthorizationEngine engine;
    private GraphRequest request;
    private RSASSAVerifier verifier;
    private JWSHeader header;
    private byte[] signingInput;
    private Base64URL signature;
    private DefaultJWTProcessor<SecurityContext> nimbus;
    private String compact;
    private Instant now;
    private GraphRequest refusedRequest;
    private GraphRequest continuousRequest;
    private GraphRequest continuousUnlocatedRequest;
    private AuthorizationEngine offline;
    private GraphRequest realEntraRequest;

    /** {@code small}: the app, its user and Graph; {@code large}: plus 100,000 users and 10,000 apps. */
    @Param({"small", "large"})
    public String directory;

    private static final dev.consentry.identity.protocol.StsUrls WHAT_IF_URLS =
            new dev.consentry.identity.protocol.StsUrls("https://localhost:8443");
    private dev.consentry.identity.grant.HypotheticalTokens hypothetical;
    private TenantId whatIfTenant;
    private String whatIfClient;

    @Setup
    public void setUp() throws Exception {
        InMemoryStore store = new InMemoryStore();
        SigningKeys keys = SigningKeys.load(store.signingKeys(), Clock.systemUTC());
        TenantId tenant = TenantId.of("7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01");
        AppId client = AppId.of("5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41");
        ObjectId clientSp = ObjectId.of("8b3c5e76-0d9a-4f2b-8487-1a5c6d3e9f71");
        ObjectId graphSp = ObjectId.of("99999999-0000-4000-8000-000000000003");
        ObjectId user = ObjectId.of("77777777-8888-4999-8aaa-000000000001");
        TenantDirectory d = TestTenants.tenant(tenant, "Contoso", "contoso.example")
                .withUser(new User(user, "adele@contoso.example", "Adele", null, "Member", true, null, null, List.of(), null))
                .withApplication(new Application(ObjectId.random(), client, "Desktop", null, null, null, null, null, null, null,
                        null, null, null, null, null))
                .withServicePrincipal(new ServicePrincipal(clientSp, client, "Desktop", true, null, tenant, false, List.of(),
                        List.of(), List.of(), null))
                .withServicePrincipal(new ServicePrincipal(graphSp, WellKnown.GRAPH_APP_ID, "Microsoft Graph", true, null, null,
                        false, List.of(), List.of(), List.of(), null))
                .withGrant(new OAuth2PermissionGrant("g", clientSp, "AllPrincipals", null, graphSp, "User.Read", null, null))
                .build();
        if (directory.equals("large")) {
            d = enlarged(d, graphSp);
        }
        store.tenants().replace(TenantFile.normalise(d, new SecretHasher(1_000)));
        GraphPermissionCatalogue catalogue = GraphPermissionCatalogue.builtin();
        engine = new AuthorizationEngine(TokenChecks.graphTokenValidator(keys), catalogue, store);
        now = Instant.now();
        hypothetical = new dev.consentry.identity.grant.HypotheticalTokens(store,
                new dev.consentry.identity.token.AccessTokenFactory(keys));
        whatIfTenant = tenant;
        whatIfClient = client.toString();
        compact = TestTokens.signedWith(keys.primary().signer(), keys.primary().kid()).delegated().tenant(tenant)
                .aud("https://graph.microsoft.com").appId(client).oid(user).scp("User.Read").version("1.0")
                .at(now, Duration.ofHours(2)).sign();
        header = SignedJWT.parse(compact).getHeader();
        request = new GraphRequest("GET", "/v1.0/me", "Bearer " + compact);
        // The same call with a continuous access evaluation token (cp1): the decision also reads the user's last
        // critical event, which here (sessions revoked a day ago) is older than the token.
        String continuous = TestTokens.signedWith(keys.primary().signer(), keys.primary().kid()).delegated().tenant(tenant)
                .aud("https://graph.microsoft.com").appId(client).oid(user).scp("User.Read").version("1.0")
                .claim("xms_cc", List.of("cp1")).at(now, Duration.ofHours(2)).sign();
        // From loopback, inside a trusted named location that a policy for every user exempts: the decision evaluates
        // the tenant's location policies for the caller's address, and passes.
        continuousRequest = new GraphRequest("GET", "/v1.0/me", "Bearer " + continuous, java.net.InetAddress.getLoopbackAddress());
        continuousUnlocatedRequest = new GraphRequest("GET", "/v1.0/me", "Bearer " + continuous);
        store.namedLocations().save(tenant, new dev.consentry.core.directory.NamedLocation("office", null, "Office", true,
                List.of(new dev.consentry.core.directory.NamedLocation.IpRange("#microsoft.graph.iPv4CidrRange", "127.0.0.0/8")),
                null));
        store.conditionalAccessPolicies().save(tenant, new dev.consentry.core.directory.ConditionalAccessPolicy("outside",
                "MFA outside the office", "enabled", java.util.Map.of("users", java.util.Map.of("includeUsers", List.of("All")),
                        "applications", java.util.Map.of("includeApplications", List.of("All")), "locations",
                        java.util.Map.of("includeLocations", List.of("All"), "excludeLocations", List.of("AllTrusted"))),
                java.util.Map.of("builtInControls", List.of("mfa"), "operator", "OR"), java.util.Map.of(), null));
        User adele = store.users().find(tenant, user).orElseThrow();
        java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>(adele.additionalProperties());
        extra.put("signInSessionsValidFromDateTime", now.minus(Duration.ofDays(1)).toString());
        store.users().save(tenant, new User(adele.id(), adele.userPrincipalName(), adele.displayName(), adele.mail(),
                adele.userType(), adele.accountEnabled(), adele.passwordProfile(), adele.lastPasswordChangeDateTime(),
                adele.assignedLicenses(), extra));
        refusedRequest = new GraphRequest("GET", "/v1.0/users", "Bearer " + compact);
        // What-if for a token of the real Entra ID: decoded, not verified (its key is not Consentry's), decided offline.
        offline = AuthorizationEngine.offline(catalogue);
        String real = TestTokens.signedWith(new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("entra").generate())
                .delegated().tenant("72f988bf-86f1-41af-91ab-2d7cd011db47")
                .issuer("https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/").aud("https://graph.microsoft.com")
                .appId(client).oid(user).scp("User.Read").version("1.0").at(now, Duration.ofHours(2)).sign();
        realEntraRequest = new GraphRequest("GET", "/v1.0/me", "Bearer " + real);
        String[] parts = compact.split("\\.");
        signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        signature = new Base64URL(parts[2]);
        RSAPublicKey publicKey = (RSAPublicKey) keys.primary().publicKey();
        verifier = new RSASSAVerifier(publicKey);
        nimbus = new DefaultJWTProcessor<>();
        nimbus.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(
                new JWKSet(new RSAKey.Builder(publicKey).keyID(keys.primary().kid()).build()))));
        // Warm the catalogue's path index and check the setup decides as intended.
        if (!(engine.decide(request, now) instanceof Decision.Allow)) {
            throw new IllegalStateException("the benchmark's call should be allowed: " + engine.decide(request, now));
        }
        if (!(offline.decide(realEntraRequest, now) instanceof Decision.Allow)) {
            throw new IllegalStateException("the offline what-if call should be allowed: " + offline.decide(realEntraRequest, now));
        }
        if (!(engine.decide(continuousRequest, now) instanceof Decision.Allow)) {
            throw new IllegalStateException("the continuous access call should be allowed: " + engine.decide(continuousRequest, now));
        }
        if (!(engine.decide(refusedRequest, now) instanceof Decision.Deny)) {
            throw new IllegalStateException("the benchmark's refused call should be refused");
        }
    }

    /** {@code d} with 100,000 more users and 10,000 more apps, each with a service principal and a Graph grant. */
    private static TenantDirectory enlarged(TenantDirectory d, ObjectId graphSp) {
        TenantBuilder b = TenantBuilder.from(d);
        for (int i = 0; i < 100_000; i++) {
            b.withUser(new User(ObjectId.random(), "user" + i + "@contoso.example", "User " + i, null, "Member", true, null, null,
                    List.of(), null));
        }
        for (int i = 0; i < 10_000; i++) {
            AppId appId = AppId.of(java.util.UUID.randomUUID().toString());
            ObjectId sp = ObjectId.random();
            b.withApplication(new Application(ObjectId.random(), appId, "App " + i, null, null, null, null, null, null, null, null, null,
                    null, null, null));
            b.withServicePrincipal(new ServicePrincipal(sp, appId, "App " + i, true, null, d.id(), false, List.of(), List.of(), List.of(), null));
            b.withGrant(new OAuth2PermissionGrant("g" + i, sp, "AllPrincipals", null, graphSp, "User.Read Mail.Read", null, null));
        }
        return b.build();
    }

    @Benchmark
    public boolean rawRs256Verify() throws JOSEException {
        return verifier.verify(header, signingInput, signature);
    }

    @Benchmark
    public JWTClaimsSet nimbusDefaultJwtProcessor() throws Exception {
        return nimbus.process(compact, null);
    }

    @Benchmark
    public Decision validateAndDecide() {
        return engine.decide(request, now);
    }

    /** As {@link #validateAndDecide}, with a cp1 token: the continuous access stage reads the user too. */
    @Benchmark
    public Decision validateAndDecideContinuous() {
        return engine.decide(continuousRequest, now);
    }

    /** As {@link #validateAndDecideContinuous}, from an address the server does not know: no location policy is read. */
    @Benchmark
    public Decision validateAndDecideContinuousUnlocated() {
        return engine.decide(continuousUnlocatedRequest, now);
    }

    /**
     * What-if by tenant, client and user: the token the STS would issue now is built and signed, then decided like a
     * real call (a new token each time, so the verified-token cache never answers).
     */
    @Benchmark
    public Decision whatIfByTenantClientUser() {
        var token = (dev.consentry.identity.grant.HypotheticalTokens.Hypothetical.Token) hypothetical.graphToken(
                WHAT_IF_URLS, whatIfTenant, whatIfClient, "adele@contoso.example", now);
        return engine.decide(new GraphRequest("GET", "/v1.0/me", "Bearer " + token.compact()), now);
    }

    /** What-if offline: a real Entra token's call decided from its claims (decoded, never verified). */
    @Benchmark
    public Decision offlineWhatIf() {
        return offline.decide(realEntraRequest, now);
    }

    @Benchmark
    public Decision validateAndRefuse() {
        return engine.decide(refusedRequest, now);
    }
}
