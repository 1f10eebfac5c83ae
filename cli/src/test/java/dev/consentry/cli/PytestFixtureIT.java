package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The pytest fixture ({@code clients/python/consentry_pytest.py}) and its own tests, run by Debian's pytest with
 * Debian's MSAL Python against the runnable jar this build made: client credentials, a password sign-in, a Graph call,
 * a refused one and its diagnosis, an AADSTS error and its diagnosis. Without pytest or MSAL Python it is skipped with
 * what to install, unless {@code CONSENTRY_CLIENT_CHECKS=required} (set by {@code .ci/run}) makes that a failure.
 */
class PytestFixtureIT {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path CLIENTS = Path.of("..", "clients", "python").toAbsolutePath().normalize();

    @Test
    void theFixturesOwnTestsPass() throws Exception {
        if (!Files.isExecutable(PYTHON) || run(PYTHON.toString(), "-c", "import pytest, msal").exit() != 0) {
            String what = "Debian's python3-pytest and python3-msal for /usr/bin/python3";
            if ("required".equals(System.getenv("CONSENTRY_CLIENT_CHECKS"))) {
                fail("CONSENTRY_CLIENT_CHECKS=required but this needs " + what);
            }
            Assumptions.abort("skipped: needs " + what + " (CONSENTRY_CLIENT_CHECKS=required makes this a failure)");
        }
        Run pytest = run(PYTHON.toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider", CLIENTS.toString());
        assertThat(pytest.exit()).as(pytest.output()).isZero();
        assertThat(pytest.output()).contains("4 passed");
    }

    record Run(int exit, String output) {}

    static Run run(String... command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).directory(CLIENTS.toFile()).redirectErrorStream(true);
        b.environment().put("CONSENTRY_JAR", JarIT.JAR.toAbsolutePath().toString());
        b.environment().put("CONSENTRY_JAVA", JarIT.JAVA);
        b.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the checkout
        Process p = b.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }
}
