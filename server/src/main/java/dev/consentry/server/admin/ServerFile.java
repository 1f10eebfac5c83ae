package dev.consentry.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.secret.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * {@code server.json} in a data dir: how a command finds the Consentry that serves it. Written when the server is ready,
 * readable by its owner only (it holds the admin credential), removed when it stops; a file left by a killed server
 * names a process that no longer runs, and is then ignored and replaced.
 *
 * @param baseUrl where the server answers on this machine ({@code https://localhost:<port>})
 * @param pid the serving process
 * @param adminToken the bearer credential of {@code /consentry/admin/*}, random per start
 * @param store the store it serves ({@code Store.description()})
 */
public record ServerFile(String baseUrl, long pid, String adminToken, String store) {
    public static final String NAME = "server.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new admin credential: 32 random bytes, base64url. */
    public static String newAdminToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Digests.base64Url(bytes);
    }

    /** True while the process that wrote the file runs. */
    public boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The file in {@code dataDir}, if there is a readable one. */
    public static Optional<ServerFile> read(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ServerFile.class));
        } catch (IOException e) {
            return Optional.empty(); // half-written or foreign: as if there were none
        }
    }

    /** Writes the file atomically, created with owner-only permissions before the credential goes in. */
    public void write(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(NAME + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not a POSIX file system: the data dir's own protection applies
        }
        Files.write(tmp, JSON.writeValueAsBytes(this), StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, dataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the file if it is still this one (a later server on the data dir may have replaced it). */
    public void deleteIfOurs(Path dataDir) {
        if (read(dataDir).filter(this::equals).isPresent()) {
            try {
                Files.deleteIfExists(dataDir.resolve(NAME));
            } catch (IOException e) {
                // the next start replaces a file whose process is gone
            }
        }
    }
}
