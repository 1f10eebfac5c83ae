package dev.consentry.cli;

import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.core.tenantfile.TenantFileException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/** The tenant file, as the commands use it: a refused file becomes a one-line user error. */
final class TenantFiles {
    private TenantFiles() {}

    static List<TenantDirectory> read(Path file) {
        try {
            return TenantFile.read(file);
        } catch (TenantFileException e) {
            throw new Main.UserError("the tenant file was refused, nothing was imported: " + e.getMessage());
        }
    }

    static void write(List<TenantDirectory> tenants, OutputStream out) throws IOException {
        TenantFile.write(tenants, out);
    }
}
