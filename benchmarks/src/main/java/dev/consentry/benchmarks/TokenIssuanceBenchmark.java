package dev.consentry.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.identity.resource.ResolvedResource;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.store.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Consentry's app-only token issuance (claims, JSON, RS256 signature) next to a raw RS256 signature of
 * the same kind of payload with the same key: the signature is the floor any RS256 token endpoint pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenIssuanceBenchmark {
    private AccessTokenFactory factory;
    private RSASSASigner rawSigner;
    private JWSHeader header;
    private byte[] signingInput;
    private StsUrls urls;
    private TenantId tenant;
    private AuthenticatedClient client;
    private ResolvedResource resource;
    private Instant now;

    @Setup
    public void setUp() {
        SigningKeys keys = SigningKeys.load(new InMemoryStore().signingKeys(), Clock.systemUTC());
        factory = new AccessTokenFactory(keys);
        rawSigner = ((SigningKeys.QueuedSigner) keys.primary().signer()).rsa();
        header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(keys.primary().kid()).build();
        String payload = "{\"aud\":\"https://graph.microsoft.com\",\"iss\":\"https://sts.windows.net/7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01/\","
                + "\"iat\":1764000000,\"nbf\":1764000000,\"exp\":1764003899,\"aio\":\"k2BgYDi7cPl3mHn1ZyXqlw2u0aKJ\","
                + "\"app_displayname\":\"Contoso Daemon\",\"appid\":\"5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41\",\"appidacr\":\"1\","
                + "\"idp\":\"https://sts.windows.net/7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01/\",\"idtyp\":\"app\","
                + "\"oid\":\"8b3c5e76-0d9a-4f2b-8487-1a5c6d3e9f71\",\"rh\":\"0.AAAAA\",\"roles\":[\"User.Read.All\"],"
                + "\"sub\":\"8b3c5e76-0d9a-4f2b-8487-1a5c6d3e9f71\",\"tid\":\"7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01\","
                + "\"uti\":\"Qz1lKd3fFkK1v5nS2Gq1AA\",\"ver\":\"1.0\"}";
        signingInput = (header.toBase64URL() + "." + Base64URL.encode(payload)).getBytes(StandardCharsets.US_ASCII);
        urls = new StsUrls("https://localhost:8443");
        tenant = TenantId.of("7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01");
        AppId appId = AppId.of("5e0f2b43-7a6d-4c9e-b154-8d2f3a0b6c41");
        Application app = new Application(ObjectId.random(), appId, "Contoso Daemon", null, null, null, null, null, null, null,
                null, null, null, null, null);
        ServicePrincipal sp = new ServicePrincipal(ObjectId.random(), appId, "Contoso Daemon", true, null, tenant, false,
                List.of(), List.of(), List.of(), null);
        client = new AuthenticatedClient(app, tenant, sp, AuthenticatedClient.Method.CLIENT_SECRET_POST);
        ServicePrincipal graph = new ServicePrincipal(ObjectId.random(), AppId.of("00000003-0000-0000-c000-000000000000"),
                "Microsoft Graph", true, null, null, false, List.of(), List.of(), List.of(), null);
        resource = new ResolvedResource(graph, graph.appId(), "Microsoft Graph", "https://graph.microsoft.com",
                "https://graph.microsoft.com", 1, List.of(), List.of(), true);
        now = Clock.systemUTC().instant();
    }

    @Benchmark
    public Base64URL rawRs256Sign() throws JOSEException {
        return rawSigner.sign(header, signingInput);
    }

    @Benchmark
    public String issueAppOnlyToken() {
        return factory.appOnly(urls, tenant, client, resource, List.of("User.Read.All"), now).compact();
    }
}
