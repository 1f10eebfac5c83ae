package dev.consentry.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.tenantfile.DemoTenant;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.user.UserSessions;
import dev.consentry.server.Consentry;
import dev.consentry.server.ServerConfig;
import dev.consentry.store.jdbc.JdbcStore;
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
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The delay from a revocation to Graph's continuous access challenge (issue 11's measure): the demo tenant on the
 * embedded store, served in process; each round Adele gets a Graph token declaring {@code cp1} (the web app's password
 * grant with {@code claims={"access_token":{"xms_cc":{"values":["cp1"]}}}}), the round waits for the next whole second
 * (tokens state their issue time in seconds), her sessions are revoked (the operation behind Graph's
 * {@code revokeSignInSessions}), and {@code GET /v1.0/me} is called with the token until it is challenged. Prints the
 * median and 95th percentile of that delay and how many calls it took.
 *
 * <p>Usage: {@code java -cp <benchmarks jar and lib> dev.consentry.benchmarks.ContinuousAccessLoad [rounds]}
 */
public final class ContinuousAccessLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dir = Files.createTempDirectory("consentry-cae-load");
        Clock clock = Clock.systemUTC();
        DemoTenant demo = DemoTenant.create(clock.instant(), new SecureRandom(), TestTenants.FAST_HASHER);
        String web = DemoTenant.WEB_APP.toString();
        String webSecret = demo.credentials().stream().filter(c -> c.id().equals(web)).findFirst().orElseThrow().secret();
        DemoTenant.Credential adele = demo.credentials().stream().filter(c -> c.name().equals("Adele Vance")).findFirst()
                .orElseThrow();
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            store.tenants().replace(TenantFile.normalise(demo.directory(), TestTenants.FAST_HASHER));
            var user = store.users().findByUserPrincipalName(DemoTenant.TENANT, adele.id()).orElseThrow();
            try (Consentry consentry = Consentry.start(new ServerConfig("127.0.0.1", 0, Optional.empty(), Optional.of(dir),
                    clock), store)) {
                HttpClient http = HttpClient.newBuilder().sslContext(dev.consentry.server.tls.TrustingClients.sslContext(
                        consentry.caCertificate())).build();
                UserSessions sessions = new UserSessions(store);
                for (int i = 0; i < 10; i++) { // warm-up: JIT, connections
                    me(http, consentry.baseUrl(), token(http, consentry.baseUrl(), web, webSecret, adele));
                }
                List<Long> delays = new ArrayList<>();
                List<Integer> calls = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    String token = token(http, consentry.baseUrl(), web, webSecret, adele);
                    if (me(http, consentry.baseUrl(), token) != 200) {
                        throw new IllegalStateException("a fresh token was refused");
                    }
                    long millis = System.currentTimeMillis();
                    Thread.sleep(1_000 - millis % 1_000 + 5);
                    long t0 = System.nanoTime();
                    sessions.revoke(DemoTenant.TENANT, user.id(), clock.instant(), UserSessions.Reason.SESSIONS_REVOKED);
                    int n = 0;
                    int status;
                    do {
                        status = me(http, consentry.baseUrl(), token);
                        n++;
                    } while (status == 200 && n < 10_000);
                    long t1 = System.nanoTime();
                    if (status != 403) {
                        throw new IllegalStateException("expected the challenge, got " + status);
                    }
                    delays.add(t1 - t0);
                    calls.add(n);
                }
                Collections.sort(calls);
                System.out.printf("%d rounds: revocation to challenge median %.2f ms, p95 %.2f ms, max %.2f ms; calls until "
                        + "challenged: max %d%n", rounds, ms(delays, 50), ms(delays, 95), ms(delays, 100), calls.getLast());
            }
        }
    }

    private static double ms(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int at = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, at)) / 1e6;
    }

    private static String token(HttpClient http, String base, String client, String secret, DemoTenant.Credential user)
            throws Exception {
        String form = "grant_type=password&client_id=" + client + "&client_secret=" + URLEncoder.encode(secret,
                StandardCharsets.UTF_8) + "&username=" + URLEncoder.encode(user.id(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(user.secret(), StandardCharsets.UTF_8) + "&scope=User.Read&claims="
                + URLEncoder.encode("{\"access_token\":{\"xms_cc\":{\"values\":[\"cp1\"]}}}", StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/" + DemoTenant.TENANT
                        + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token request refused: " + r.body());
        }
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private static int me(HttpClient http, String base, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1.0/me")).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
