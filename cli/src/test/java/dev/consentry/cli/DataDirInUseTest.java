package dev.consentry.cli;

import static dev.consentry.cli.CommandLineTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.server.admin.ServerFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data dir that another process serves, or a store that cannot be opened: each command either asks the server or
 * fails at once (well within 2 s) with one line and exit code 1, never waiting on the database lock.
 */
class DataDirInUseTest {
    static final Duration AT_ONCE = Duration.ofSeconds(2);

    record Timed(CommandLineTest.Run run, Duration took) {}

    /**
     * Runs the command twice and times the second run: the first loads the classes its path needs into this test JVM
     * (a real command pays that as part of the JVM's start, which is not what "at once" is about: no wait on a lock or
     * a connection timeout).
     */
    static Timed timed(String... args) {
        run(args);
        long start = System.nanoTime();
        CommandLineTest.Run r = run(args);
        return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void aServeInAnotherProcessIsAskedOrNamedAndItsLockedStoreRefusedAtOnce(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--data-dir", dir.toString(), "--port", "0").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Consentry is ready at ")) {
                // the banner
            }
            assertThat(line).as("the other process's serve became ready").isNotNull();
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep its output flowing

            Timed second = timed("serve", "--data-dir", dir.toString(), "--port", "0");
            assertThat(second.run().exit()).isEqualTo(1);
            assertThat(second.run().err().strip()).startsWith("consentry: a Consentry (pid " + serve.pid() + ") already serves ")
                    .contains("stop it first, or give this one its own --data-dir").doesNotContain("\n");
            assertThat(second.took()).isLessThan(AT_ONCE);

            Timed listed = timed("keys", "list", "--data-dir", dir.toString());
            assertThat(listed.run().exit()).as(listed.run().err()).isZero();
            assertThat(listed.run().out()).contains("PRIMARY");

            // Without its server.json (a server of an older build, a file removed by hand) the store is opened, and its
            // lock refused at once.
            Path file = dir.resolve(ServerFile.NAME);
            Path aside = dir.resolve("server.json.aside");
            Files.move(file, aside);
            Timed locked = timed("tenant", "export", "--data-dir", dir.toString());
            Files.move(aside, file);
            assertThat(locked.run().exit()).isEqualTo(1);
            assertThat(locked.run().err().strip()).startsWith("consentry: H2 file ").contains("is in use by another process")
                    .doesNotContain("\n");
            assertThat(locked.took()).isLessThan(AT_ONCE);
        } finally {
            serve.destroy(); // SIGTERM: the shutdown hook stops the server and removes server.json
            assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(dir.resolve(ServerFile.NAME)).doesNotExist();
    }

    @Test
    void aStoreThatCannotBeOpenedIsOneLineAndExitOne(@TempDir Path dir) {
        for (List<String> args : List.of(
                List.of("keys", "list", "--store", "postgres://localhost/consentry"),
                List.of("keys", "list", "--store", "jdbc:postgresql://127.0.0.1:1/consentry?user=a&password=secret"),
                List.of("keys", "list", "--store", "jdbc:nosuchdb://x"),
                List.of("tenant", "export", "--data-dir", dir.resolve("typo").toString()))) {
            Timed t = timed(args.toArray(String[]::new));
            assertThat(t.run().exit()).as(args.toString()).isEqualTo(1);
            assertThat(t.run().err().strip()).as(args.toString()).startsWith("consentry: ").doesNotContain("\n")
                    .doesNotContain("secret");
            assertThat(t.took()).as(args.toString()).isLessThan(AT_ONCE);
        }
        assertThat(run("keys", "list", "--store", "postgres://localhost/consentry").err())
                .contains("is not a JDBC URL; give one such as jdbc:postgresql://");
        assertThat(run("keys", "list", "--store", "jdbc:postgresql://127.0.0.1:1/consentry?user=a&password=secret").err())
                .contains("cannot reach the database of jdbc:postgresql://127.0.0.1:1/consentry?user=a&password=***");
        assertThat(run("keys", "list", "--store", "jdbc:nosuchdb://x").err()).contains("no database driver accepts");
        assertThat(run("tenant", "export", "--data-dir", dir.resolve("typo").toString()).err())
                .contains("no Consentry data in " + dir.resolve("typo"));
        assertThat(dir.resolve("typo")).doesNotExist();
        CommandLineTest.Run debug = run("keys", "list", "--store", "jdbc:nosuchdb://x", "--debug");
        assertThat(debug.err()).contains("\tat ");
    }
}
