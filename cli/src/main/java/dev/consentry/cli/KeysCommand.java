package dev.consentry.cli;

import dev.consentry.server.admin.Administration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code consentry keys rotate|list}: the token-signing key lifecycle, through the running server when there is one. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage token-signing keys.",
        subcommands = {KeysCommand.Rotate.class, KeysCommand.ListKeys.class})
final class KeysCommand {

    /** Makes a new primary key; the old one stays published (and accepted) as previous. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Make a new primary signing key; earlier tokens stay valid. A running server signs with it at once.")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--output", defaultValue = "text", description = "text or json.")
        OutputFormat output;

        @Override
        public Integer call() {
            try (Administration admin = storeOptions.administration()) {
                String kid = admin.rotateKey();
                spec.commandLine().getOut().println(output == OutputFormat.json
                        ? "{\"primaryKeyId\":\"" + kid + "\"}" : "New primary signing key: " + kid);
            }
            return 0;
        }
    }

    /** Lists keys with their status. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List signing keys and their status.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions storeOptions;

        @Override
        public Integer call() {
            try (Administration admin = storeOptions.administration()) {
                admin.keys().forEach(k -> spec.commandLine().getOut().println(k.kid() + "  " + k.status() + "  " + k.createdAt()));
            }
            return 0;
        }
    }
}
