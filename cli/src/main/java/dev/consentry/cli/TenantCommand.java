package dev.consentry.cli;

import dev.consentry.server.admin.Administration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code consentry tenant export|import}: the tenant file format in and out of a data dir, through the running server
 * when there is one ({@link StoreOptions#administration()}).
 */
@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Export or import tenants as a tenant file.",
        subcommands = {TenantCommand.Export.class, TenantCommand.Import.class})
final class TenantCommand {

    /** Writes tenants in the tenant file format: secrets as hint and hash, never in clear. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the stored tenants (or the ones named) as a tenant file; asks the running server if any.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--tenant", paramLabel = "ID", description = "Export only this tenant, by id or domain (repeatable).")
        List<String> tenants = new ArrayList<>();

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        Path out;

        @Override
        public Integer call() throws IOException {
            try (Administration admin = storeOptions.administration()) {
                byte[] file = admin.exportTenants(tenants);
                if (out == null) {
                    System.out.write(file);
                    System.out.flush();
                } else {
                    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
                    Files.write(tmp, file);
                    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
                    spec.commandLine().getErr().println("consentry: wrote the tenant file " + out + " from " + admin.where());
                }
            }
            return 0;
        }
    }

    /** Loads a tenant file; each tenant replaces the stored one with its id, all or nothing. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Load a tenant file into the data dir; a running server uses it at once.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions storeOptions;

        @Parameters(paramLabel = "FILE", description = "The tenant file.")
        Path file;

        @Override
        public Integer call() throws IOException {
            byte[] content = TenantFiles.bytes(file);
            try (Administration admin = storeOptions.administration()) {
                int n = admin.importTenants(content, file.toString());
                spec.commandLine().getErr().println("consentry: imported " + n + " tenant(s) into " + admin.where());
            }
            return 0;
        }
    }
}
