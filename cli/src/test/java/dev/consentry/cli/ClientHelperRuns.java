package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs another ecosystem's test suite (pytest, node --test) against the runnable jar this build made: the jar and the
 * java that runs these tests are handed over as {@code CONSENTRY_JAR} and {@code CONSENTRY_JAVA}. A missing tool skips
 * the test with what to install, unless {@code CONSENTRY_CLIENT_CHECKS=required} (set by {@code .ci/run}) makes it a
 * failure.
 */
final class ClientHelperRuns {
    private ClientHelperRuns() {}

    record Run(int exit, String output) {}

    /** Skips (or, when required, fails) unless {@code available}. */
    static void need(boolean available, String what) {
        if (available) {
            return;
        }
        if ("required".equals(System.getenv("CONSENTRY_CLIENT_CHECKS"))) {
            fail("CONSENTRY_CLIENT_CHECKS=required but this needs " + what);
        }
        Assumptions.abort("skipped: needs " + what + " (CONSENTRY_CLIENT_CHECKS=required makes this a failure)");
    }

    /** Runs {@code command} in {@code dir}, its output and errors together, within five minutes. */
    static Run run(Path dir, String... command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        b.environment().put("CONSENTRY_JAR", JarIT.JAR.toAbsolutePath().toString());
        b.environment().put("CONSENTRY_JAVA", JarIT.JAVA);
        b.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the checkout
        Process p = b.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    /** True when {@code command} runs and exits 0 in {@code dir}. */
    static boolean works(Path dir, String... command) {
        try {
            return run(dir, command).exit() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
