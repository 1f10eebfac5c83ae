package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --host} beyond loopback (issue 15): it needs the origin other machines use, warns that it is reachable,
 * and keeps the demo credentials off the screen; names from a tenant file print without control characters.
 */
class BeyondLoopbackTest {

    @Test
    void aWildcardHostWithoutAPublicBaseUrlIsRefusedBeforeAnythingStarts(@TempDir Path dir) {
        CommandLineTest.Run r = CommandLineTest.run("serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("consentry: --host 0.0.0.0 makes Consentry reachable from other machines: give "
                + "--public-base-url, the https origin they reach it by");
        assertThat(dir.resolve("consentry.mv.db")).doesNotExist();
    }

    @Test
    void theBannerNamesThePublicOriginWarnsAndPrintsNoCredential(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path dir = tmp.resolve("data");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--data-dir", dir.toString(),
                "--host", "0.0.0.0", "--port", Integer.toString(port), "--public-base-url", "https://build-agent.example:" + port));
        Path err = tmp.resolve("serve.err");
        Process serve = new ProcessBuilder(command).redirectError(err.toFile()).start();
        List<String> banner = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null; ) {
                banner.add(line);
                if (line.startsWith("Consentry is ready at ")) {
                    break;
                }
            }
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String text = String.join("\n", banner);
        assertThat(banner).as(Files.readString(err)).last().asString().isEqualTo("Consentry is ready at https://build-agent.example:" + port);
        assertThat(text).contains("Base URL     https://build-agent.example:" + port).doesNotContain("https://localhost")
                .contains("Contoso Daemon").doesNotContain(" secret ").doesNotContain("password ").doesNotContain("Try it");
        assertThat(Files.readString(err)).contains("consentry: WARNING: listening on 0.0.0.0, reachable from other machines")
                .contains("demo-credentials.json");
        assertThat(Files.readString(dir.resolve("demo-credentials.json"))).as("the credentials are kept for their owner")
                .contains("secret");
    }

    @Test
    void controlCharactersOfANamePrintAsQuestionMarks() {
        assertThat(Terminal.printable("Contoso\u001b[2J\u001b]0;owned\u0007 Ltd\r\n")).isEqualTo("Contoso?[2J?]0;owned? Ltd??");
        assertThat(Terminal.printable("evil\u202egpj.exe")).isEqualTo("evil?gpj.exe");
        assertThat(Terminal.printable("Adele Vance")).isEqualTo("Adele Vance");
        assertThat(Terminal.printable(null)).isNull();
    }
}
