package dev.consentry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A tenant file as the commands read it: its bytes, or one line that says why they cannot be read. */
final class TenantFiles {
    private TenantFiles() {}

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Main.UserError("the tenant file " + file + " does not exist");
        } catch (IOException e) {
            throw new Main.UserError("the tenant file " + file + " cannot be read: " + e.getMessage());
        }
    }
}
