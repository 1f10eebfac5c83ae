package dev.consentry.benchmarks;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.directory.User;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.tenantfile.DemoTenant;
import dev.consentry.identity.access.AccessDecision;
import dev.consentry.identity.access.AccessRequest;
import dev.consentry.identity.access.ConditionalAccess;
import dev.consentry.store.Store;
import dev.consentry.store.jdbc.JdbcStore;
import dev.consentry.store.memory.InMemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What conditional access adds to one token issuance: the evaluation of the demo tenant's policies for its user and
 * Microsoft Graph, with none and with ten enabled policies that apply to everyone and everything and are met (a
 * session control only), so each is evaluated to the end; on the in-memory store and on the embedded H2 file the
 * server uses by default. Compare with {@code TokenIssuanceBenchmark.issueAppOnlyToken}, the signing alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConditionalAccessBenchmark {
    @Param({"0", "10"})
    public int policies;

    @Param({"memory", "h2"})
    public String store;

    private Store opened;
    private Path dir;
    private ConditionalAccess access;
    private AccessRequest request;

    @Setup
    public void setUp() throws Exception {
        DemoTenant demo = DemoTenant.create(Instant.parse("2026-12-01T00:00:00Z"), new Random(1), new SecretHasher(1_000));
        if ("h2".equals(store)) {
            dir = Files.createTempDirectory("consentry-ca-bench");
            opened = JdbcStore.h2File(dir);
        } else {
            opened = new InMemoryStore();
        }
        opened.tenants().replace(demo.directory());
        for (int i = 0; i < policies; i++) {
            opened.conditionalAccessPolicies().save(DemoTenant.TENANT, new ConditionalAccessPolicy("policy-" + i, "Policy " + i,
                    "enabled", Map.of("users", Map.of("includeUsers", List.of("All")), "applications",
                            Map.of("includeApplications", List.of("All")), "clientAppTypes", List.of("all")),
                    Map.of(), Map.of("signInFrequency", Map.of("value", 12, "type", "hours", "isEnabled", true)), null));
        }
        User user = demo.directory().users().get(0);
        access = new ConditionalAccess(opened);
        request = new AccessRequest(DemoTenant.TENANT, user, DemoTenant.WEB_APP, WellKnown.GRAPH_APP_ID,
                AccessRequest.MODERN_CLIENT, AuthContext.password(Instant.now()));
        if (!access.evaluate(request).allowed()) {
            throw new IllegalStateException("the benchmark's policies must let the request through");
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        opened.close();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public AccessDecision evaluate() {
        return access.evaluate(request);
    }
}
