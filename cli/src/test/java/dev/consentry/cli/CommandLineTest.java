package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.store.jdbc.JdbcStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The consentry command, run in-process through {@link Main#commandLine()}. */
class CommandLineTest {
    static final Path EXAMPLE = Path.of("../examples/contoso.tenant.json");

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        return run(Main.commandLine(), args);
    }

    /** Runs {@code args} on {@code cl}, a command line whose commands a test has set up (a clock, an input). */
    static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void caRenewReplacesTheCaWithOneLimitedToTheLoopbackNamesAndTheGivenHosts(@TempDir Path dir) throws Exception {
        JdbcStore.h2File(dir).close(); // a data dir as serve makes it
        Run renewed = run("ca", "renew", "--data-dir", dir.toString(), "--public-base-url", "https://login.build.example:8443");
        assertThat(renewed.exit()).as(renewed.err()).isZero();
        assertThat(renewed.out()).startsWith("New local CA, which may vouch only for localhost, login.build.example, 127.0.0.0/8,")
                .contains("Trust " + dir.resolve("ca.pem").toAbsolutePath().normalize() + " again");
        java.security.cert.X509Certificate ca = dev.consentry.identity.key.Certificates.certificateFromPem(
                Files.readString(dir.resolve("ca.pem")));
        assertThat(dev.consentry.identity.key.CertificateIssuer.permits(ca, "login.build.example")).isTrue();
        assertThat(dev.consentry.identity.key.CertificateIssuer.permits(ca, "bank.example")).isFalse();

        Run again = run("ca", "renew", "--data-dir", dir.toString());
        assertThat(again.exit()).isZero();
        assertThat(Files.readString(dir.resolve("ca.pem"))).as("a second renewal, a second CA")
                .isNotEqualTo(dev.consentry.identity.key.Certificates.toPem(ca));

        Run noHost = run("ca", "renew", "--data-dir", dir.toString(), "--public-base-url", "file:///tmp");
        assertThat(noHost.exit()).isEqualTo(1);
        assertThat(noHost.err().strip()).isEqualTo("consentry: --public-base-url needs a host, as https://login.build.example:8443 has");
    }

    @Test
    void importThenExportRoundTripsThroughTheEmbeddedStore(@TempDir Path dir) throws Exception {
        JdbcStore.h2File(dir).close(); // a data dir as serve makes it
        Run imported = run("tenant", "import", "--data-dir", dir.toString(), EXAMPLE.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.err()).contains("imported 1 tenant");

        Path out = dir.resolve("export.json");
        Run exported = run("tenant", "export", "--data-dir", dir.toString(), "--out", out.toString());
        assertThat(exported.exit()).as(exported.err()).isZero();
        String json = Files.readString(out);
        assertThat(json).doesNotContain("reporting~secret~value~1").doesNotContain("Adele-Passw0rd!").contains("secretHash");

        List<TenantDirectory> reread = TenantFile.read(new ByteArrayInputStream(json.getBytes()), "export", new SecretHasher(1_000));
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            assertThat(reread).containsExactly(store.tenants().export(reread.get(0).id()).orElseThrow());
        }
    }

    @Test
    void aBadTenantFileIsOneClearLineAndImportsNothing(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        JdbcStore.h2File(dir).close();
        Files.writeString(bad, "{\"tenants\":[{\"id\":\"7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01\",\"users\":[{\"id\":\"nope\"}]}]}");
        Run r = run("tenant", "import", "--data-dir", dir.toString(), bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("consentry: the tenant file was refused, nothing was imported:")
                .contains("$.tenants[0].users[0].id").doesNotContain("\tat ");
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            assertThat(store.tenants().list()).isEmpty();
        }
    }

    @Test
    void keysRotateMakesANewPrimaryKey(@TempDir Path dir) {
        JdbcStore.h2File(dir).close();
        Run first = run("keys", "rotate", "--data-dir", dir.toString(), "--output", "json");
        Run second = run("keys", "rotate", "--data-dir", dir.toString(), "--output", "json");
        assertThat(first.exit()).isZero();
        assertThat(first.out()).startsWith("{\"primaryKeyId\":\"");
        assertThat(second.out()).isNotEqualTo(first.out());
        Run list = run("keys", "list", "--data-dir", dir.toString());
        assertThat(list.out()).contains("PRIMARY").contains("PREVIOUS");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"serve", "--help"},
                new String[] {"tenant", "export", "--help"}, new String[] {"keys", "rotate", "--help"},
                new String[] {"permissions", "show", "--help"})) {
            Run r = run(args);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("Usage: consentry");
        }
    }

    @Test
    void conflictingStoreOptionsAreRefused(@TempDir Path dir) {
        Run r = run("serve", "--data-dir", dir.toString(), "--in-memory", "--store", "jdbc:h2:mem:x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("exclude each other");
    }

    @Test
    void serveRefusesAnUnreadablePermissionsFileAndABadDecisionLogSizeInOneLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("permissions.json");
        java.nio.file.Files.writeString(bad, "{\"permissions\": 42");
        Run unreadable = run("serve", "--data-dir", dir.resolve("data").toString(), "--port", "0", "--exit-when-ready",
                "--permissions-file", bad.toString());
        assertThat(unreadable.exit()).isEqualTo(1);
        assertThat(unreadable.err()).startsWith("consentry: the permissions file ").contains("permissions.json")
                .doesNotContain("\tat ");
        Run descriptions = run("serve", "--data-dir", dir.resolve("data").toString(), "--port", "0", "--exit-when-ready",
                "--permission-descriptions", bad.toString());
        assertThat(descriptions.exit()).isEqualTo(1);
        assertThat(descriptions.err()).startsWith("consentry: the permission descriptions file ").doesNotContain("\tat ");
        Run zero = run("serve", "--data-dir", dir.resolve("data").toString(), "--port", "0", "--exit-when-ready",
                "--decision-log-size", "0");
        assertThat(zero.exit()).isEqualTo(1);
        assertThat(zero.err()).contains("between 1 and 1000000");
    }

    @Test
    void servingOnAPortInUseIsOneClearLine(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run r = run("serve", "--data-dir", dir.toString(), "--port", String.valueOf(taken.getLocalPort()), "--in-memory");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("consentry: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("--port").doesNotContain("\tat ");
        }
    }

    @Test
    void serveWithJsonOutputPrintsOneDocumentAndNothingElse(@TempDir Path dir) throws Exception {
        Run r = run("serve", "--data-dir", dir.toString(), "--port", "0", "--exit-when-ready", "--output", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(doc.path("ready").asBoolean()).isTrue();
        assertThat(doc.path("graphUrl").asText()).isEqualTo(doc.path("baseUrl").asText() + "/v1.0");
        assertThat(doc.path("tenants").get(0).path("authority").asText())
                .isEqualTo(doc.path("baseUrl").asText() + "/c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b");
        assertThat(doc.path("demoApps").findValuesAsText("type"))
                .containsExactly("daemon", "web app", "single-page app", "API", "public client");
        assertThat(doc.path("demoApps").get(0).path("mayDo").asText())
                .isEqualTo("User.Read.All (application), Orders.Read.All (application, Contoso API)");
        assertThat(doc.path("demoUsers").get(0).path("roles").asText()).isEqualTo("Global Administrator");
        assertThat(doc.path("tryIt").asText()).startsWith("TOKEN=$(curl -s --cacert ").endsWith("/v1.0/users");
    }

    @Test
    void versionNamesTheCommitAndHelpListsEveryCommand() {
        assertThat(run("--version").out()).startsWith("consentry ").contains(", commit ");
        String help = run("--help").out();
        for (String command : List.of("serve", "tenant", "keys", "grant", "permissions", "test", "build")) {
            assertThat(help).as(command).containsPattern("(?m)^  " + command + " ");
        }
        assertThat(run("serve", "--help").out()).contains("Microsoft Graph (/v1.0, /beta)").contains("/consentry/diagnostics");
    }

    @Test
    void grantWithoutARunningServerChangesTheStoreItself(@TempDir Path dir) {
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            store.tenants().replace(dev.consentry.core.tenantfile.DemoTenant.create(java.time.Instant.now(),
                    new java.security.SecureRandom(), new SecretHasher(1_000)).directory());
        }
        Run r = run("grant", "--data-dir", dir.toString(), "--app", "Contoso Daemon", "--permission", "Group.Read.All",
                "--type", "application", "--output", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"newlyGranted\":true").contains("\"where\":\"H2 file ");
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            var tenant = dev.consentry.core.tenantfile.DemoTenant.TENANT;
            var daemon = store.servicePrincipals().findByAppId(tenant, dev.consentry.core.tenantfile.DemoTenant.DAEMON)
                    .orElseThrow();
            assertThat(store.appRoleAssignments().listByPrincipal(tenant, daemon.id()).stream()
                    .map(a -> a.appRoleId().toString()))
                    .contains("5b567255-7703-4780-807c-7be8301ae99b"); // Group.Read.All, application
        }
    }

    @Test
    void consentForAnAppThatRequestsAnApiThisTenantLacksIsRefusedAndChangesNothing(@TempDir Path dir) throws Exception {
        JdbcStore.h2File(dir).close();
        Path file = dir.resolve("t.json");
        Files.writeString(file, """
                {"tenants": [{"id": "7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01", "displayName": "Fabrikam",
                  "verifiedDomains": [{"name": "fabrikam.onmicrosoft.com", "isDefault": true, "isInitial": true}],
                  "applications": [{"appId": "a1111111-0000-4000-8000-000000000001", "displayName": "Reporting",
                    "requiredResourceAccess": [
                      {"resourceAppId": "00000003-0000-0000-c000-000000000000",
                       "resourceAccess": [{"id": "User.Read.All", "type": "Role"}]},
                      {"resourceAppId": "b2222222-0000-4000-8000-000000000002",
                       "resourceAccess": [{"id": "c3333333-0000-4000-8000-000000000003", "type": "Role"}]}]}]}]}
                """);
        Run imported = run("tenant", "import", "--data-dir", dir.toString(), file.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        Run r = run("consent", "grant", "--data-dir", dir.toString(), "--app", "Reporting");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("consentry: Reporting requests permissions of b2222222-0000-4000-8000-000000000002, "
                + "which has no service principal in tenant 7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01; nothing was granted");
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            assertThat(store.tenants().export(dev.consentry.core.id.TenantId.of("7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01"))
                    .orElseThrow().appRoleAssignments()).as("User.Read.All was not granted either").isEmpty();
        }
    }

    /**
     * A tenant file too large for the heap (the launcher caps it small, docs/performance.md): one line that names the cap
     * and how to raise it, exit code 1, no stack trace, and the data dir as it was.
     */
    @Test
    void aTenantFileTooLargeForTheHeapIsOneLineNamingTheCap(@TempDir Path dir) throws Exception {
        JdbcStore.h2File(dir).close();
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            users.append(i == 0 ? "" : ",").append("{\"id\": \"").append(new java.util.UUID(0x1000_0000_0000_4000L, 0x8000_0000_0000_0000L + i))
                    .append("\", \"userPrincipalName\": \"user").append(i).append("@big.onmicrosoft.com\", \"displayName\": \"User ")
                    .append(i).append("\", \"jobTitle\": \"Tester\"}");
        }
        Path file = dir.resolve("big.tenant.json");
        Files.writeString(file, "{\"tenants\": [{\"id\": \"7d3f1a52-9c4e-4b8a-a1f0-2e6b5c8d9a01\", \"displayName\": \"Big\","
                + " \"verifiedDomains\": [{\"name\": \"big.onmicrosoft.com\", \"isDefault\": true, \"isInitial\": true}],"
                + " \"users\": [" + users + "]}]}");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx24m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "tenant", "import", "--data-dir",
                dir.toString(), file.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isEqualTo(1);
        assertThat(err.strip()).isEqualTo(Main.outOfMemory(24L * 1024 * 1024));
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            assertThat(store.tenants().list()).as("nothing half-imported").isEmpty();
        }
    }
}
