package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The pytest fixture ({@code clients/python/consentry_pytest.py}) and its own tests, run by Debian's pytest with
 * Debian's MSAL Python against the runnable jar: client credentials, a password sign-in, a Graph call, a refused one
 * and its diagnosis, an AADSTS error and its diagnosis.
 */
class PytestFixtureIT {
    static final Path CLIENTS = Path.of("..", "clients", "python").toAbsolutePath().normalize();

    @Test
    void theFixturesOwnTestsPass() throws Exception {
        ClientHelperRuns.need(Files.isExecutable(Path.of("/usr/bin/python3"))
                && ClientHelperRuns.works(CLIENTS, "/usr/bin/python3", "-c", "import pytest, msal"),
                "Debian's python3-pytest and python3-msal for /usr/bin/python3");
        ClientHelperRuns.Run pytest = ClientHelperRuns.run(CLIENTS, "/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                CLIENTS.toString());
        assertThat(pytest.exit()).as(pytest.output()).isZero();
        assertThat(pytest.output()).contains("5 passed");
    }
}
