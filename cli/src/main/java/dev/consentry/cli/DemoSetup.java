package dev.consentry.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.DemoTenant;
import dev.consentry.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * Gives a fresh store the demo tenant and keeps its clear credentials where {@code serve} can print
 * them again: {@code demo-credentials.json} in the data dir, readable by its owner only. The store itself
 * holds only hashes.
 */
final class DemoSetup {
    static final String CREDENTIALS_FILE = "demo-credentials.json";
    /** The demo's secrets are long and random, so a low PBKDF2 cost keeps the first start fast without weakening them. */
    static final int DEMO_HASH_ITERATIONS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoSetup() {}

    /** Creates the demo tenant when the store has no tenant of its own; returns the credentials to print. */
    static List<Banner.DemoCredentials> ensure(Store store, Path dataDir, boolean inMemory, Clock clock) throws IOException {
        boolean empty = store.tenants().list().stream().allMatch(t -> t.id().equals(WellKnown.CONSUMERS_TENANT_ID));
        Path file = dataDir.resolve(CREDENTIALS_FILE);
        if (!empty) {
            if (!inMemory && Files.isRegularFile(file) && store.tenants().find(DemoTenant.TENANT).isPresent()) {
                return JSON.readValue(file.toFile(), new TypeReference<List<Banner.DemoCredentials>>() {});
            }
            return List.of();
        }
        DemoTenant demo = DemoTenant.create(clock.instant(), new SecureRandom(), new SecretHasher(DEMO_HASH_ITERATIONS));
        store.tenants().replace(demo.directory());
        List<Banner.DemoCredentials> credentials = demo.credentials().stream()
                .map(c -> new Banner.DemoCredentials(c.kind(), c.name(), c.id(), c.secret())).toList();
        if (!inMemory) {
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve(CREDENTIALS_FILE + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(credentials));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data dir's permissions apply
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return credentials;
    }
}
