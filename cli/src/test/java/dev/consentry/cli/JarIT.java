package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.tls.TrustingClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar ({@code target/dist/consentry.jar}, made at package) run as users run it, {@code java -jar}: it
 * names its version, serves with every dependency inside it (the identity platform and Graph answer over TLS), and
 * on a Java older than 21 says in one line which Java it needs.
 */
class JarIT {
    static final Path JAR = Path.of("target", "dist", "consentry.jar");
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @Test
    void namesItsVersion() throws Exception {
        Run run = run(List.of(JAVA, "-jar", JAR.toString(), "--version"));
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("consentry 0.1.0-SNAPSHOT, commit ");
    }

    @Test
    void servesTheIdentityPlatformAndGraph(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Process serve = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "serve", "--data-dir", data.toString(), "--port", "0",
                "--output", "json").redirectError(tmp.resolve("serve.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the ready line (stderr: %s)", tmp.resolve("serve.err")).isNotNull();
            JsonNode banner = new ObjectMapper().readTree(line);
            assertThat(banner.path("ready").asBoolean()).isTrue();
            String base = banner.path("baseUrl").asText();
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(TrustingClients.sslContext(TrustingClients.readCa(data.resolve("ca.pem")))).build();
            HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(discovery.statusCode()).isEqualTo(200);
            assertThat(discovery.body()).contains("\"token_endpoint\":\"" + base);
            HttpResponse<String> graph = http.send(HttpRequest.newBuilder(URI.create(base + "/v1.0/me")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(graph.statusCode()).isEqualTo(401);
            assertThat(graph.body()).contains("InvalidAuthenticationToken");
        } finally {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void onAnOlderJavaSaysWhichJavaItNeeds() throws Exception {
        Optional<String> old = olderJava();
        Assumptions.assumeTrue(old.isPresent(), "no Java older than 21 on this machine (the java on PATH, the JDKs in the usual folder)");
        Run run = run(List.of(old.get(), "-jar", JAR.toString(), "serve"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).matches("consentry: needs Java 21 or newer, and this is Java \\d+(\\.\\d+)? \\(.*\\); run the jar "
                + "with the java command of a JDK or JRE 21\\+").doesNotContain("Exception");
    }

    /** A java command older than 21: the one on PATH, else one of the JDKs in the usual folder. */
    static Optional<String> olderJava() throws IOException, InterruptedException {
        List<String> candidates = new ArrayList<>(List.of("java"));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.map(h -> h.resolve("bin/java")).filter(Files::isExecutable).forEach(p -> candidates.add(p.toString()));
            }
        }
        for (String java : candidates) {
            try {
                Run version = run(List.of(java, "-XshowSettings:properties", "-version"));
                String spec = version.err().lines().filter(l -> l.strip().startsWith("java.specification.version ="))
                        .map(l -> l.substring(l.indexOf('=') + 1).strip()).findFirst().orElse("99");
                int feature = Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
                if (feature < 21) {
                    return Optional.of(java);
                }
            } catch (IOException | NumberFormatException e) {
                // not a usable java
            }
        }
        return Optional.empty();
    }

    record Run(int exit, String out, String err) {}

    static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }
}
