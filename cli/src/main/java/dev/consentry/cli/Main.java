package dev.consentry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code consentry} command. Every subcommand has {@code --help}; exit codes: 0 success,
 * 1 a refused input (bad tenant file, unknown tenant), 2 a usage error.
 */
@Command(name = "consentry", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Offline Microsoft Entra ID and Microsoft Graph emulator that explains every refusal.",
        subcommands = {ServeCommand.class, TenantCommand.class, KeysCommand.class, PermissionsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError u) {
                commandLine.getErr().println("consentry: " + u.getMessage());
                return 1;
            }
            throw e;
        });
        return cl;
    }

    /** A refusal that is the user's to fix: printed as one line, no stack trace. */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message, null, false, false);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"consentry " + (v == null ? "(development build)" : v)};
        }
    }
}
