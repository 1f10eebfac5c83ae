package dev.consentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Node helper ({@code clients/node/consentry.mjs}) as a user's tests use it, with msal-node and the Microsoft Graph
 * JavaScript client from {@code examples/clients/node}'s lock file, under {@code node --test}: client credentials, a
 * password sign-in, Graph calls, and a refused one with its diagnosis.
 */
class NodeHelperIT {
    static final Path EXAMPLES = Path.of("..", "examples", "clients", "node").toAbsolutePath().normalize();

    @Test
    void theHelpersTestsPass() throws Exception {
        ClientHelperRuns.need(ClientHelperRuns.works(EXAMPLES, "node", "--version")
                && Files.isDirectory(EXAMPLES.resolve("node_modules/@azure/msal-node")),
                "Node.js 20+ and the packages of examples/clients/node (npm ci there)");
        ClientHelperRuns.Run node = ClientHelperRuns.run(EXAMPLES, "node", "--test", "consentry_helper.test.mjs");
        assertThat(node.exit()).as(node.output()).isZero();
        assertThat(node.output()).contains("# pass 4").contains("# fail 0");
    }
}
