package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, step by step, on a fresh data dir, as a newcomer runs it: {@code consentry serve} (its own
 * process), the "Try it" command it prints (real curl in a real shell) for a Graph 200, the README's 403 call, its
 * diagnosis, the {@code consentry grant} command the diagnosis names (its own process, while the server runs), and
 * the same call's 200 with a new token. Only the launcher is left out: the test runs the built classes it would run.
 */
class QuickStartTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fromServeToARefusalItsDiagnosisTheFixAndTheSameCallAllowed(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("data");
        List<String> consentry = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName());
        List<String> serveCommand = new ArrayList<>(consentry);
        serveCommand.addAll(List.of("serve", "--data-dir", dir.toString(), "--port", "0"));
        Process serve = new ProcessBuilder(serveCommand).redirectError(tmp.resolve("serve.err").toFile()).start();
        try {
            List<String> banner = new ArrayList<>();
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                banner.add(line);
                if (line.startsWith("Consentry is ready at ")) {
                    break;
                }
            }
            assertThat(banner).as("the banner").last().asString().startsWith("Consentry is ready at ");
            String text = String.join("\n", banner);
            assertThat(text).contains("Contoso Daemon").contains("daemon").contains("User.Read.All (application)")
                    .contains("Global Administrator").contains("/consentry/diagnostics/{request-id}")
                    .contains("/c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b");
            int tryAt = banner.indexOf(banner.stream().filter(l -> l.startsWith("  Try it")).findFirst().orElseThrow());
            String tryIt = banner.get(tryAt + 1).strip();

            // 1. The command serve printed: a token for the daemon, then the users.
            JsonNode users = JSON.readTree(shell(tmp, tryIt));
            assertThat(users.path("value").size()).isGreaterThan(0);

            // 2. The README's next call, with the same token: the groups, which the daemon may not read.
            String tokenPart = tryIt.substring(0, tryIt.indexOf(" && "));
            String groups = tokenPart + " && curl -s -D - --cacert " + dir.resolve("ca.pem").toAbsolutePath().normalize()
                    + " -H \"Authorization: Bearer $TOKEN\" " + baseUrl(text) + "/v1.0/groups";
            String refused = shell(tmp, groups);
            assertThat(refused).startsWith("HTTP/1.1 403");
            Matcher id = Pattern.compile("(?im)^request-id: *([0-9a-f-]+)").matcher(refused);
            assertThat(id.find()).as(refused).isTrue();

            // 3. Its diagnosis names the fix as a command.
            JsonNode diagnosis = JSON.readTree(shell(tmp, "curl -s --cacert " + dir.resolve("ca.pem").toAbsolutePath()
                    .normalize() + " " + baseUrl(text) + "/consentry/diagnostics/" + id.group(1)));
            String fix = diagnosis.path("fix").asText();
            Matcher grant = Pattern.compile("consentry (grant .*? --type (application|delegated))").matcher(fix);
            assertThat(grant.find()).as(fix).isTrue();

            // 4. That command, in its own process, while serve runs.
            List<String> grantCommand = new ArrayList<>(consentry);
            grantCommand.addAll(List.of(grant.group(1).split(" ")));
            grantCommand.addAll(List.of("--data-dir", dir.toString()));
            Process granting = new ProcessBuilder(grantCommand).redirectErrorStream(true).start();
            String granted = new String(granting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(granting.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(granting.exitValue()).as(granted).isZero();
            assertThat(granted).startsWith("Granted ");

            // 5. The same call with a new token: allowed.
            String allowed = shell(tmp, groups);
            assertThat(allowed).startsWith("HTTP/1.1 200");
        } finally {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static String baseUrl(String banner) {
        Matcher m = Pattern.compile("Consentry is ready at (\\S+)").matcher(banner);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String shell(Path tmp, String command) throws Exception {
        Path script = Files.writeString(Files.createTempFile(tmp, "step", ".sh"), command + "\n");
        Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command + "\n" + out).isZero();
        return out;
    }
}
