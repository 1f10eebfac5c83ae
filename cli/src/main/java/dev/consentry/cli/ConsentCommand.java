package dev.consentry.cli;

import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.Administration.ConsentLine;
import dev.consentry.server.admin.Administration.ConsentResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code consentry consent grant|revoke}: the portal's "Grant admin consent" and "Revoke admin consent" buttons of an
 * app's API permissions, for everything its registration requests ({@link Administration#consent}). Through the
 * running server when there is one, so the next token reflects it.
 */
@Command(name = "consent", mixinStandardHelpOptions = true,
        description = "Grant or revoke admin consent for everything an app's registration requests.",
        subcommands = {ConsentCommand.Grant.class, ConsentCommand.Revoke.class})
final class ConsentCommand {

    /** The options of both buttons. */
    static class Options {
        @Mixin
        StoreOptions storeOptions;

        @Mixin
        AppOptions target;

        @Option(names = "--delegated", description = "Only the delegated permissions.")
        boolean delegated;

        @Option(names = "--application", description = "Only the application permissions.")
        boolean application;

        @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        int run(CommandSpec spec, boolean revoke) throws Exception {
            boolean both = !delegated && !application;
            try (Administration admin = storeOptions.administration()) {
                ConsentResult r = admin.consent(new Administration.ConsentRequest(target.tenant, target.app, both || delegated,
                        both || application, revoke));
                spec.commandLine().getOut().println(output == OutputFormat.json
                        ? DirectoryJson.mapper().writeValueAsString(r) : text(r));
            }
            return 0;
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Grant admin consent for the permissions the app requests (the portal's \"Grant admin consent\").")
    static final class Grant implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Options options;

        @Override
        public Integer call() throws Exception {
            return options.run(spec, false);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke the admin consent for the permissions the app requests; users' own consents stay.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Options options;

        @Override
        public Integer call() throws Exception {
            return options.run(spec, true);
        }
    }

    static String text(ConsentResult r) {
        StringBuilder b = new StringBuilder();
        b.append(r.revoked() ? "Admin consent revoked" : "Admin consent granted").append(" for ").append(r.appName())
                .append(" (").append(r.appId()).append(") in tenant ").append(r.tenantId()).append(':');
        if (r.permissions().isEmpty()) {
            b.append(" it requests no permission of the kinds asked for; nothing changed.");
        }
        for (ConsentLine l : r.permissions()) {
            b.append("\n  ").append(l.permission()).append(" (").append(l.type()).append(", ").append(l.resourceName())
                    .append(")  ").append(l.changed() ? (r.revoked() ? "revoked" : "granted")
                            : (r.revoked() ? "was not granted" : "already granted"));
        }
        if (r.permissions().stream().anyMatch(ConsentLine::changed)) {
            b.append("\nTokens issued from now on reflect it; a token issued before does not, so get a new one.");
        }
        return b.toString();
    }
}
