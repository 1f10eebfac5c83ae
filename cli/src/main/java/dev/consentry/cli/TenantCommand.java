package dev.consentry.cli;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code consentry tenant export|import}: the tenant file format in and out of the store. */
@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Export or import tenants as a tenant file.",
        subcommands = {TenantCommand.Export.class, TenantCommand.Import.class})
final class TenantCommand {

    /** Writes tenants in the tenant file format: secrets as hint and hash, never in clear. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the stored tenants (or the ones named) as a tenant file.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--tenant", paramLabel = "ID", description = "Export only this tenant (repeatable).")
        List<String> tenantIds = new ArrayList<>();

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        Path out;

        @Override
        public Integer call() throws IOException {
            try (Store store = storeOptions.open()) {
                List<TenantDirectory> tenants = new ArrayList<>();
                if (tenantIds.isEmpty()) {
                    store.tenants().list().stream()
                            .filter(t -> !t.id().equals(WellKnown.CONSUMERS_TENANT_ID))
                            .forEach(t -> store.tenants().export(t.id()).ifPresent(tenants::add));
                } else {
                    for (String id : tenantIds) {
                        TenantId tid = TenantId.tryParse(id).orElseThrow(() -> new Main.UserError("not a tenant id: " + id));
                        tenants.add(store.tenants().export(tid)
                                .orElseThrow(() -> new Main.UserError("no tenant " + id + " in " + store.description())));
                    }
                }
                if (out == null) {
                    TenantFiles.write(tenants, System.out);
                    System.out.flush();
                } else {
                    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
                    try (OutputStream o = Files.newOutputStream(tmp)) {
                        TenantFiles.write(tenants, o);
                    }
                    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    spec.commandLine().getErr().println("consentry: wrote " + tenants.size() + " tenant(s) to " + out);
                }
            }
            return 0;
        }
    }

    /** Loads a tenant file into the store; each tenant replaces the stored one with its id, all or nothing per tenant. */
    @Command(name = "import", mixinStandardHelpOptions = true, description = "Load a tenant file into the store.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions storeOptions;

        @Parameters(paramLabel = "FILE", description = "The tenant file.")
        Path file;

        @Override
        public Integer call() {
            List<TenantDirectory> tenants = TenantFiles.read(file);
            try (Store store = storeOptions.open()) {
                store.tenants().replaceAll(tenants);
                PrintWriter err = spec.commandLine().getErr();
                err.println("consentry: imported " + tenants.size() + " tenant(s) into " + store.description());
            }
            return 0;
        }
    }
}
