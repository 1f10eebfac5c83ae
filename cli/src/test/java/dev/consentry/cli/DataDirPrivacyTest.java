package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code consentry serve} keeps its data dir to its owner (issue 15): after a first start the directory is 0700 and
 * every file in it (the H2 database, the CA and its key, the TLS files, the server file) 0600; a data dir made open to
 * others is narrowed at the next start, which says so in one line.
 */
class DataDirPrivacyTest {

    @Test
    void aFirstStartLeavesEveryFilePrivateAndAReopenedDirIsNarrowedAndSaidOnce(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("data");
        String firstErr = serveUntilReady(tmp, dir, "first");
        assertThat(firstErr).doesNotContain("private to its owner");
        Map<String, String> modes = modes(dir);
        assertThat(modes).containsKeys("consentry.mv.db", "ca.pem", "ca-key.pem");
        assertThat(modes).allSatisfy((name, mode) -> assertThat(mode).as(name).isEqualTo("rw-------"));
        assertThat(mode(dir)).isEqualTo("rwx------");

        // As a copy, a restored backup or a umask of 022 leaves it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : List.of("consentry.mv.db", "ca-key.pem")) {
            Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
        }
        String secondErr = serveUntilReady(tmp, dir, "second");
        assertThat(secondErr.lines().filter(l -> l.contains("private to its owner")))
                .containsExactly("consentry: made the data dir " + dir + " private to its owner, as it holds private keys and "
                        + "password hashes: it was rwxr-xr-x, now rwx------, and 2 files in it are now rw-------");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(modes(dir)).allSatisfy((name, mode) -> assertThat(mode).as(name).isEqualTo("rw-------"));

        assertThat(serveUntilReady(tmp, dir, "third")).as("nothing to say once it is private").doesNotContain("private to its owner");
    }

    /** Runs {@code consentry serve} on {@code dir} until its ready line, stops it, and answers what it wrote on stderr. */
    static String serveUntilReady(Path tmp, Path dir, String name) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--data-dir", dir.toString(), "--port", "0"));
        Path err = tmp.resolve(name + ".err");
        Process serve = new ProcessBuilder(command).redirectError(err.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Consentry is ready at ")) {
                // the banner
            }
            assertThat(line).as("ready; stderr: " + Files.readString(err)).isNotNull();
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        return Files.readString(err);
    }

    static Map<String, String> modes(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(f.getFileName().toString(), mode(f));
            }
        }
        return out;
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
