package dev.consentry.cli;

import dev.consentry.server.admin.Administration;
import dev.consentry.store.StoreException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code consentry} command. Every subcommand has {@code --help}; exit codes: 0 success, 1 a refused input or a
 * failure (a bad tenant file, an unknown tenant, a store that cannot be opened), printed as one line without a stack
 * trace ({@code --debug} adds it), 2 a usage error.
 */
@Command(name = "consentry", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Offline Microsoft Entra ID and Microsoft Graph emulator that explains every refusal.",
        footer = {"", "Commands of the ./consentry launcher (in a source checkout):",
            "  test       Run the whole test suite (Maven verify with the JDK it finds).",
            "  build      Rebuild the application and its startup cache.",
            "  java-home  Print the JDK the launcher uses."})
public final class Main {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On a failure, print the stack trace after the one-line message.")
    boolean debug;

    public static void main(String[] args) {
        StartupTrace.fromEnvironment().mark("jvm ready");
        boolean serve = args.length > 0 && args[0].equals("serve");
        if (serve) {
            Warmup.start(); // the server's classes load on a second core while picocli reads the command line
        }
        // Any thread can be the one that runs out of heap (the trace writer beside an import, say): whichever it is, the
        // person reads the one line, once, and the process ends with 1 instead of running on half-broken.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof OutOfMemoryError) {
                sayOutOfMemory();
                Runtime.getRuntime().halt(1);
            }
            System.err.print("Exception in thread \"" + thread.getName() + "\" "); // the JVM's own report of the rest
            e.printStackTrace(System.err);
        });
        int status;
        try {
            status = (serve ? commandLine(new ServeCommand()) : commandLine()).execute(args);
        } catch (OutOfMemoryError e) {
            sayOutOfMemory();
            status = 1;
        }
        System.exit(status);
    }

    private static final java.util.concurrent.atomic.AtomicBoolean OUT_OF_MEMORY_SAID = new java.util.concurrent.atomic.AtomicBoolean();

    /** {@link #outOfMemory} on standard error, once however many threads run out. */
    private static void sayOutOfMemory() {
        if (OUT_OF_MEMORY_SAID.compareAndSet(false, true)) {
            System.err.println(outOfMemory(heapCap()));
        }
    }

    /** The heap's cap as -Xmx set it (the usable maximum the runtime reports is one survivor space less). */
    private static long heapCap() {
        try {
            return Long.parseLong(java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("MaxHeapSize").getValue());
        } catch (RuntimeException e) {
            return Runtime.getRuntime().maxMemory();
        }
    }

    /**
     * The one line for a heap too small for the work (a tenant file or directory of hundreds of thousands of objects):
     * the cap and how to raise it. The launcher's cap is small on purpose (docs/performance.md).
     */
    static String outOfMemory(long maxHeapBytes) {
        return "consentry: out of memory: the Java heap is capped at " + maxHeapBytes / (1024 * 1024)
                + " MB; for a directory or tenant file this large, raise it, e.g. CONSENTRY_JAVA_OPTS='-XX:+UseSerialGC -Xmx1g' ./consentry ...";
    }

    /** The configured command line with every subcommand (also used by tests). */
    public static CommandLine commandLine() {
        return commandLine(new ServeCommand(), new TenantCommand(), new KeysCommand(), new CaCommand(), new GrantCommand(), new ConsentCommand(),
                new PermissionsCommand(), new ExplainCommand(), new TokenCommand(), new CommandLine.HelpCommand());
    }

    /**
     * The command line with only these subcommands. {@code serve} starts with its own alone: picocli reads every
     * subcommand's annotations when it builds the tree, and its classes cannot be in the startup cache (they are
     * compiled for Java 5, older than the cache accepts), so a smaller tree is a faster start (docs/performance.md).
     */
    private static CommandLine commandLine(Object... subcommands) {
        CommandLine cl = new CommandLine(new Main());
        for (Object subcommand : subcommands) {
            cl.addSubcommand(subcommand);
        }
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("consentry: " + Terminal.printable(oneLine(e)));
            if (debugAsked(parseResult)) {
                e.printStackTrace(err);
            }
            err.flush();
            return e instanceof UserError u ? u.exitCode : 1;
        });
        return cl;
    }

    /** What went wrong, in one line: the user's own mistakes as they are, anything else with its kind. */
    private static String oneLine(Exception e) {
        if (e instanceof UserError || e instanceof StoreException || e instanceof Administration.AdminRefusal) {
            return e.getMessage();
        }
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return "unexpected failure (" + e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)
                + "); run again with --debug for the details";
    }

    private static boolean debugAsked(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** A refusal that is the user's to fix: printed as one line, no stack trace; exit code 1, or 2 for {@link #usage}. */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        UserError(String message) {
            this(message, 1);
        }

        private UserError(String message, int exitCode) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }

        /** An input the command cannot read at all (not what it expects), exit code 2 as picocli's own usage errors. */
        static UserError usage(String message) {
            return new UserError(message, CommandLine.ExitCode.USAGE);
        }
    }

    /** The version of the jar's manifest and the commit the launcher built it from ({@code build-commit} beside it). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"consentry " + (v == null ? "(development build)" : v) + ", commit " + commit()};
        }

        /**
         * The {@code build-commit} file beside the jar: the jar this class came from, or the jar {@code java -jar} was
         * given (classes from a startup cache name the jar where the cache was made).
         */
        static String commit() {
            java.util.List<java.nio.file.Path> jars = new java.util.ArrayList<>();
            try {
                jars.add(java.nio.file.Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (java.net.URISyntaxException | RuntimeException e) {
                // no readable location: try the class path
            }
            String classPath = System.getProperty("java.class.path", "");
            if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
                jars.add(java.nio.file.Path.of(classPath));
            }
            for (java.nio.file.Path jar : jars) {
                try {
                    java.nio.file.Path file = jar.toAbsolutePath().resolveSibling("build-commit");
                    if (java.nio.file.Files.isRegularFile(file)) {
                        return java.nio.file.Files.readString(file).strip();
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // the next one
                }
            }
            return "unknown";
        }
    }
}
