package dev.consentry.benchmarks;

import dev.consentry.junit.ConsentryTenant;
import dev.consentry.junit.LocalConsentry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The JUnit extension's in-process start on a warm JVM (issue 14's target: 300 ms): from {@link LocalConsentry#start}
 * with a small tenant (two users, two apps) to the answer of the first request, the tenant's OpenID configuration
 * over a new TLS connection, then the close. Warm-up starts first, which a test suite's second class would have
 * behind it; prints the median, the 90th percentile and the first (cold) start.
 *
 * <p>Arguments: warm-up starts, measured starts (default 5 and 20).
 */
public final class ExtensionStart {
    private ExtensionStart() {}

    public static void main(String[] args) throws Exception {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        ConsentryTenant tenant = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
                .user("adele", u -> u.password("Adele-Pass-1").directoryRole("User Administrator"))
                .user("alex", u -> u.password("Alex-Pass-1"))
                .app("Daemon", a -> a.secret("daemon-secret").applicationPermissions("User.Read.All"))
                .app("Desktop", a -> a.publicClient("http://localhost").delegatedPermissions("User.Read"));
        long first = 0;
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < warmUp + measured; i++) {
            long t0 = System.nanoTime();
            try (LocalConsentry server = LocalConsentry.start(tenant)) {
                HttpResponse<String> r = server.httpClient().send(HttpRequest.newBuilder(URI.create(server.issuer(tenant)
                        + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("discovery answered " + r.statusCode());
                }
                if (i == 0) {
                    first = ms;
                } else if (i >= warmUp) {
                    times.add(ms);
                }
            }
        }
        times.sort(null);
        System.out.printf("extension start to first response: first (cold JVM) %d ms; warm, %d starts: median %d ms, p90 %d ms, "
                + "min %d ms%n", first, times.size(), times.get(times.size() / 2), times.get((int) Math.ceil(times.size() * 0.9) - 1),
                times.get(0));
    }
}
