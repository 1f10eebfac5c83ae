package dev.consentry.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.permission.GraphPermission;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.Scheme;
import dev.consentry.core.tenantfile.DemoTenant;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.server.Consentry;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.store.jdbc.JdbcStore;
import dev.consentry.testkit.TenantBuilder;
import dev.consentry.testkit.TestTenants;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The cost of a grant change on the next token, with few and with many grants in the tenant (issue 10's measure):
 * for each size, a demo tenant with that many other apps holding an app role assignment each, served by an in-process
 * Consentry on the embedded store; then, repeatedly, one application permission granted to the demo daemon (the
 * admin operation on the server's store, so its change feed runs) and at once a client-credentials token over HTTPS,
 * checked to carry the new role. Prints the medians and 95th percentiles of the change and of the next token.
 *
 * <p>Usage: {@code java -cp <benchmarks jar and lib> dev.consentry.benchmarks.GrantChangeLoad [rounds] [sizes...]}
 */
public final class GrantChangeLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10, 10_000);
        }
        for (int size : sizes) {
            run(size, rounds);
        }
    }

    static void run(int otherAssignments, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("consentry-grant-load");
        Clock clock = Clock.systemUTC();
        DemoTenant demo = DemoTenant.create(clock.instant(), new SecureRandom(), TestTenants.FAST_HASHER);
        UUID userReadAll = GraphPermissionCatalogue.builtin().permission("User.Read.All").flatMap(p -> p.in(Scheme.APPLICATION))
                .orElseThrow().id();
        TenantBuilder b = TenantBuilder.from(demo.directory());
        for (int i = 0; i < otherAssignments; i++) {
            AppId appId = AppId.of(String.format("0000%04x-%04x-4000-8000-000000000000", i >> 16, i & 0xffff));
            b.withApplication(TestTenants.app(appId, "Load app " + i));
            b.withAppRoleAssignment(new AppRoleAssignment(null, new ObjectId(appId.value()), "ServicePrincipal",
                    new ObjectId(WellKnown.GRAPH_APP_ID.value()), userReadAll, clock.instant(), null));
        }
        TenantDirectory tenant = TenantFile.normalise(b.build(), TestTenants.FAST_HASHER);
        List<String> permissions = GraphPermissionCatalogue.builtin().permissions().stream()
                .filter(p -> p.in(Scheme.APPLICATION).isPresent()).map(GraphPermission::name)
                .filter(n -> !n.equals("User.Read.All")).limit(rounds).toList();
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            store.tenants().replace(tenant);
            try (Consentry consentry = Consentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(), Optional.of(dir),
                    clock), store); Administration admin = StoreAdministration.onStore(store, clock)) {
                HttpClient http = trusting(consentry.caCertificate());
                String daemon = DemoTenant.DAEMON.toString();
                String secret = demo.credentials().stream().filter(c -> c.id().equals(daemon)).findFirst().orElseThrow().secret();
                for (int i = 0; i < 20; i++) {
                    token(http, consentry.baseUrl(), daemon, secret); // warm-up: JIT, connections, caches
                }
                List<Long> changes = new ArrayList<>();
                List<Long> tokens = new ArrayList<>();
                for (String permission : permissions) {
                    long t0 = System.nanoTime();
                    admin.grant(new Administration.GrantRequest(DemoTenant.TENANT.toString(), daemon, null, permission,
                            "application"));
                    long t1 = System.nanoTime();
                    String token = token(http, consentry.baseUrl(), daemon, secret);
                    long t2 = System.nanoTime();
                    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
                    if (!claims.path("roles").toString().toLowerCase(java.util.Locale.ROOT)
                            .contains("\"" + permission.toLowerCase(java.util.Locale.ROOT) + "\"")) {
                        throw new IllegalStateException("the token after granting " + permission + " lacks it");
                    }
                    changes.add(t1 - t0);
                    tokens.add(t2 - t1);
                }
                System.out.printf("other assignments %,d: %d changes; change median %.2f ms p95 %.2f ms; next token median "
                        + "%.2f ms p95 %.2f ms%n", otherAssignments, changes.size(), ms(changes, 50), ms(changes, 95),
                        ms(tokens, 50), ms(tokens, 95));
            }
        }
    }

    private static double ms(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int at = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, at)) / 1e6;
    }

    private static String token(HttpClient http, String base, String client, String secret) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + client + "&client_secret="
                + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&scope="
                + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/" + DemoTenant.TENANT
                        + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token request refused: " + r.body());
        }
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private static HttpClient trusting(java.security.cert.X509Certificate ca) throws Exception {
        return HttpClient.newBuilder().sslContext(dev.consentry.server.tls.TrustingClients.sslContext(ca)).build();
    }
}
