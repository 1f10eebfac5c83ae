package dev.consentry.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.ServerConfig;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.store.memory.InMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's client set-up for the stacks other than Java, proven by running the programs of
 * {@code examples/clients} as subprocesses against Consentry on a real loopback socket: MSAL Python, Python's
 * standard library, curl, msal-node with the Microsoft Graph JavaScript client. Each gets a token through the
 * real library and makes a Graph call; the checks read the one JSON line the program prints.
 *
 * <p>A missing tool (Debian's {@code python3-msal}, {@code node_modules} from {@code npm ci}) skips its tests with
 * what to install, unless {@code CONSENTRY_CLIENT_CHECKS=required} (set by {@code .ci/run}) makes it a failure.
 */
class OtherStacksTest {
    static final Path DATA_DIR = temporaryDirectory();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new InMemoryStore(), Clock.systemUTC(), DATA_DIR);

    static final Path CLIENTS = examplesDirectory();
    static final Path CA_FILE = DATA_DIR.resolve("ca.pem");
    static final ObjectMapper JSON = new ObjectMapper();
    static final boolean REQUIRED = "required".equals(System.getenv("CONSENTRY_CLIENT_CHECKS"));

    @AfterAll
    static void deleteDataDir() throws IOException {
        try (Stream<Path> files = Files.walk(DATA_DIR)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The daemon (User.Read.All as an application permission) through every stack that has a client secret. */
    static Map<String, String> daemon() {
        return Map.of("CONSENTRY_URL", server.baseUrl(), "CONSENTRY_TENANT", TestTenant.DOMAIN,
                "CONSENTRY_CLIENT_ID", TestTenant.DAEMON.toString(), "CONSENTRY_CLIENT_SECRET", TestTenant.DAEMON_SECRET);
    }

    /** Adele through the desktop app (User.Read consented for all users), signing in through organizations. */
    static Map<String, String> adele(String baseUrl) {
        return Map.of("CONSENTRY_URL", baseUrl, "CONSENTRY_TENANT", "organizations",
                "CONSENTRY_CLIENT_ID", TestTenant.PUBLIC_APP.toString(), "CONSENTRY_USERNAME", TestTenant.ADELE_UPN,
                "CONSENTRY_PASSWORD", TestTenant.ADELE_PASSWORD);
    }

    static void assertListsTheTenantsUsers(JsonNode out) {
        assertThat(out.path("token").asBoolean()).as(out.toString()).isTrue();
        assertThat(out.path("status").asInt()).as(out.toString()).isEqualTo(200);
        assertThat(out.path("userPrincipalNames")).extracting(JsonNode::asText)
                .contains(TestTenant.ADELE_UPN, TestTenant.MEGAN_UPN);
    }

    static void assertIsAdele(JsonNode out) {
        assertThat(out.path("token").asBoolean()).as(out.toString()).isTrue();
        assertThat(out.path("status").asInt()).as(out.toString()).isEqualTo(200);
        assertThat(out.path("userPrincipalName").asText()).isEqualTo(TestTenant.ADELE_UPN);
        assertThat(out.path("id").asText()).isEqualTo(TestTenant.ADELE.toString());
    }

    @Nested
    class PythonStandardLibrary {
        @Test
        void trustsTheCaThroughSslCertFileAndListsUsers() {
            JsonNode out = run(python(false), List.of("stdlib_client_credentials.py"), "python", withCa("SSL_CERT_FILE", daemon()), 0);
            assertListsTheTenantsUsers(out);
        }

        @Test
        void aRefusalReachesTheCallerWithGraphsCode() {
            JsonNode out = run(python(false), List.of("stdlib_client_credentials.py", "--path", "/v1.0/groups"), "python",
                    withCa("SSL_CERT_FILE", daemon()), 1);
            assertThat(out.path("status").asInt()).isEqualTo(403);
            assertThat(out.path("code").asText()).isEqualTo("Authorization_RequestDenied");
        }

        @Test
        void withoutSslCertFileTheTlsHandshakeFails() {
            // The control for the test above: the CA is trusted because of the variable, not by accident.
            Result r = start(python(false), List.of("stdlib_client_credentials.py"), "python", daemon());
            assertThat(r.exit()).isNotZero();
            assertThat(r.stderr()).contains("CERTIFICATE_VERIFY_FAILED");
        }
    }

    @Nested
    class MsalPython {
        @Test
        void clientCredentialsWithInstanceDiscoveryOff() {
            JsonNode out = run(python(true), List.of("msal_client_credentials.py"), "python",
                    withCa("REQUESTS_CA_BUNDLE", daemon()), 0);
            assertListsTheTenantsUsers(out);
        }

        @Test
        void usernamePasswordWithThePortPutBackIntoTheUserRealmLookup() {
            JsonNode out = run(python(true), List.of("msal_username_password.py"), "python",
                    withCa("REQUESTS_CA_BUNDLE", adele(server.baseUrl())), 0);
            assertIsAdele(out);
        }

        @Test
        void aWrongPasswordSurfacesAsInvalidGrantWithAadsts50126() {
            JsonNode out = run(python(true), List.of("msal_username_password.py", "--password", "wrong"), "python",
                    withCa("REQUESTS_CA_BUNDLE", adele(server.baseUrl())), 1);
            assertThat(out.path("token").asBoolean()).isFalse();
            assertThat(out.path("error").asText()).isEqualTo("invalid_grant");
            assertThat(out.path("error_codes")).extracting(JsonNode::asInt).containsExactly(50126);
        }

        @Test
        void unpatchedMsalSendsTheUserRealmLookupToPort443() {
            // MSAL Python builds https://<host name>/common/userrealm/<user>: the authority's port is lost.
            Assumptions.assumeFalse(listening(443), "something listens on port 443 here, so the lookup cannot be seen failing");
            JsonNode out = run(python(true), List.of("msal_username_password.py", "--no-port-fix"), "python",
                    withCa("REQUESTS_CA_BUNDLE", adele(server.baseUrl())), 1);
            assertThat(out.path("token").asBoolean()).isFalse();
            assertThat(out.path("unreachable").asText())
                    .isEqualTo("https://localhost/common/userrealm/" + TestTenant.ADELE_UPN + "?api-version=1.0");
        }

        @Test
        void onPort443UnpatchedMsalSignsIn() {
            Path python = python(true);
            RunningConsentry on443;
            try {
                on443 = RunningConsentry.start(new ServerConfig("127.0.0.1", 443, Optional.empty(), Optional.of(DATA_DIR),
                        Clock.systemUTC()));
            } catch (RuntimeException e) {
                Assumptions.abort("cannot listen on port 443 here (it needs privileges or is taken): " + rootCause(e));
                return;
            }
            try (on443) {
                JsonNode out = run(python, List.of("msal_username_password.py", "--no-port-fix"), "python",
                        withCa("REQUESTS_CA_BUNDLE", adele("https://localhost")), 0);
                assertIsAdele(out);
            }
        }
    }

    @Nested
    class Curl {
        /** The POSIX shell that runs the script, once curl is known to be there. */
        static Path shell() {
            tool("curl", "curl (Debian package curl)");
            return tool("sh", "a POSIX shell");
        }

        @Test
        void clientCredentialsAndUsers() {
            JsonNode out = run(shell(), List.of("client_credentials.sh"), "curl",
                    withCa("CONSENTRY_CA_FILE", daemon()), 0);
            assertThat(out.path("status").asInt()).as(out.toString()).isEqualTo(200);
            assertThat(out.path("body").path("value").findValuesAsText("userPrincipalName")).contains(TestTenant.ADELE_UPN);
        }

        @Test
        void aRefusalIsGraphsErrorBody() {
            JsonNode out = run(shell(), List.of("client_credentials.sh", "/v1.0/groups"), "curl", withCa("CONSENTRY_CA_FILE", daemon()), 1);
            assertThat(out.path("status").asInt()).isEqualTo(403);
            assertThat(out.path("body").path("error").path("code").asText()).isEqualTo("Authorization_RequestDenied");
            assertThat(out.path("body").path("error").path("innerError").path("request-id").asText()).isNotEmpty();
        }
    }

    @Nested
    class MsalNodeAndGraphJavaScriptClient {
        @Test
        void knownAuthoritiesAndCustomHostsListUsers() {
            JsonNode out = run(node(), List.of("graph_client_credentials.mjs"), "node", withCa("NODE_EXTRA_CA_CERTS", daemon()), 0);
            assertListsTheTenantsUsers(out);
        }

        @Test
        void aRefusalSurfacesAsGraphErrorWithGraphsCode() {
            JsonNode out = run(node(), List.of("graph_client_credentials.mjs", "/groups"), "node",
                    withCa("NODE_EXTRA_CA_CERTS", daemon()), 1);
            assertThat(out.path("token").asBoolean()).isTrue();
            assertThat(out.path("status").asInt()).isEqualTo(403);
            assertThat(out.path("code").asText()).isEqualTo("Authorization_RequestDenied");
        }

        @Test
        void withoutCustomHostsTheClientSendsNoToken() {
            JsonNode out = run(node(), List.of("graph_client_credentials.mjs", "--without-custom-hosts"), "node",
                    withCa("NODE_EXTRA_CA_CERTS", daemon()), 1);
            assertThat(out.path("status").asInt()).isEqualTo(401);
            assertThat(out.path("code").asText()).isEqualTo("InvalidAuthenticationToken");
        }

        @Test
        void aWrongSecretSurfacesAsInvalidClient() {
            Map<String, String> env = new java.util.HashMap<>(withCa("NODE_EXTRA_CA_CERTS", daemon()));
            env.put("CONSENTRY_CLIENT_SECRET", "not-the-secret");
            JsonNode out = run(node(), List.of("graph_client_credentials.mjs"), "node", env, 1);
            assertThat(out.path("token").asBoolean()).isFalse();
            assertThat(out.path("error").asText()).isEqualTo("invalid_client");
            assertThat(out.path("message").asText()).contains("AADSTS7000215");
        }
    }

    // ---- running the programs ----

    record Result(int exit, String stdout, String stderr) {}

    static Map<String, String> withCa(String variable, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put(variable, CA_FILE.toString());
        return all;
    }

    /** Runs {@code program} (in {@code examples/clients/<dir>}), expects {@code exit}, and returns its last stdout line as JSON. */
    static JsonNode run(Path tool, List<String> args, String dir, Map<String, String> env, int exit) {
        Result r = start(tool, args, dir, env);
        String[] lines = r.stdout().strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(r.exit()).as("exit status; stdout: %s; stderr: %s", r.stdout(), r.stderr()).isEqualTo(exit);
        try {
            return JSON.readTree(last);
        } catch (IOException e) {
            throw new AssertionError("not one JSON line: " + r.stdout() + "\nstderr: " + r.stderr(), e);
        }
    }

    static Result start(Path tool, List<String> args, String dir, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(CLIENTS.resolve(dir).toFile());
        // Only the trust this test gives: no CA variable of the developer's shell leaks in.
        Stream.of("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS",
                "CONSENTRY_URL", "CONSENTRY_TENANT", "CONSENTRY_CLIENT_ID", "CONSENTRY_CLIENT_SECRET", "CONSENTRY_USERNAME",
                "CONSENTRY_PASSWORD", "CONSENTRY_CA_FILE").forEach(pb.environment()::remove);
        pb.environment().put("NO_PROXY", "localhost,127.0.0.1");
        pb.environment().put("no_proxy", "localhost,127.0.0.1");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            var stdout = p.getInputStream();
            var stderr = p.getErrorStream();
            StringBuilder errText = new StringBuilder();
            // stderr is read beside stdout so that neither pipe can fill up and stall the program
            Thread err = Thread.startVirtualThread(() -> errText.append(read(stderr)));
            String out = read(stdout);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " did not finish within 60 s; stdout: " + out);
            }
            err.join();
            return new Result(p.exitValue(), out, errText.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- finding the tools ----

    /** A Python 3; with {@code msal} true, one that can import MSAL Python (Debian's python3-msal). */
    static Path python(boolean msal) {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("CONSENTRY_PYTHON")).map(Path::of).ifPresent(candidates::add);
        onPath("python3").ifPresent(candidates::add);
        candidates.add(Path.of("/usr/bin/python3")); // where apt-get puts the interpreter python3-msal is built for
        for (Path c : candidates) {
            if (Files.isExecutable(c) && (!msal || succeeds(c.toString(), "-c", "import msal"))) {
                return c;
            }
        }
        return missing(msal ? "a python3 that imports msal: apt-get install python3-msal (or set CONSENTRY_PYTHON)"
                : "python3");
    }

    static Path node() {
        Path node = tool("node", "Node.js 20 or newer");
        if (!Files.isDirectory(CLIENTS.resolve("node/node_modules/@azure/msal-node"))
                || !Files.isDirectory(CLIENTS.resolve("node/node_modules/@microsoft/microsoft-graph-client"))) {
            return missing("the Node examples' packages: run npm ci in examples/clients/node");
        }
        return node;
    }

    static Path tool(String name, String install) {
        return onPath(name).orElseGet(() -> missing(install));
    }

    private static Path missing(String what) {
        if (REQUIRED) {
            fail("CONSENTRY_CLIENT_CHECKS=required but this needs " + what);
        }
        Assumptions.abort("skipped: needs " + what + " (CONSENTRY_CLIENT_CHECKS=required makes this a failure)");
        return null; // not reached
    }

    private static Optional<Path> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    private static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean listening(int port) {
        for (String host : List.of("127.0.0.1", "::1")) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1_000);
                return true;
            } catch (IOException e) {
                // nothing there on this address
            }
        }
        return false;
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null && !(t instanceof BindException)) {
            t = t.getCause();
        }
        return t.toString();
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("consentry-clients-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code examples/clients}, found by walking up from the working directory (Maven runs tests in the module). */
    private static Path examplesDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path clients = dir.resolve("examples/clients");
            if (Files.isDirectory(clients)) {
                return clients;
            }
        }
        throw new IllegalStateException("examples/clients is not in the working directory or above it");
    }
}
