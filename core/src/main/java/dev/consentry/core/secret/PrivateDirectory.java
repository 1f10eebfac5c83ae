package dev.consentry.core.secret;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory as a private place: it holds the local CA's private key, the token-signing keys and the hashes of
 * every password and client secret, so only its owner may read it. A directory is created {@code 0700}; an existing one
 * is made {@code 0700}, and everything in it {@code 0700} (directories) or {@code 0600} (files), whatever made it
 * wider (a umask, H2 creating its database file, a copy); a directory owned by another user is refused, since that
 * user could read or replace the keys.
 *
 * <p>Guaranteed: {@link #secure} never widens a mode, never follows a symbolic link out of the directory, and reports
 * exactly the entries whose modes it narrowed, so a caller can say so once. On a file system without POSIX modes it
 * changes nothing and reports nothing.
 */
public final class PrivateDirectory {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateDirectory() {}

    /** What {@link #secure} did: whether it created the directory, and each entry it narrowed with its mode before. */
    public record Secured(Path directory, boolean created, List<Narrowed> narrowed) {
        public Secured {
            narrowed = List.copyOf(narrowed);
        }
    }

    /** An entry whose mode was wider than the owner's alone, and that mode (as {@code ls} shows it). */
    public record Narrowed(Path path, String before) {}

    /** A data directory that belongs to another user: refused, with the owners named. */
    public static final class NotOwnedException extends IOException {
        private static final long serialVersionUID = 1L;

        NotOwnedException(Path dir, String owner, String user) {
            super("the data dir " + dir + " belongs to user '" + owner + "', not to '" + user + "' who runs Consentry: its"
                    + " owner could read or replace the keys in it; use a data dir of your own (--data-dir)");
        }
    }

    /**
     * Creates {@code dir} ({@code 0700}, with any missing parents) or checks an existing one, then narrows it and
     * everything in it to the owner alone.
     *
     * @throws NotOwnedException when {@code dir} exists and another user owns it
     * @throws IOException when the directory cannot be created or its modes cannot be read or set
     */
    public static Secured secure(Path dir) throws IOException {
        boolean posix = Files.getFileAttributeView(dir.toAbsolutePath().getRoot(), PosixFileAttributeView.class) != null;
        boolean created = false;
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                if (posix) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                } else {
                    Files.createDirectory(dir);
                }
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // another process made it between the check and the create: checked below as an existing one
            }
        }
        if (!posix) {
            return new Secured(dir, created, List.of());
        }
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        String user = System.getProperty("user.name");
        if (!owner.getName().equals(user)) {
            throw new NotOwnedException(dir, owner.getName(), user);
        }
        List<Narrowed> narrowed = new ArrayList<>();
        narrow(dir, DIRECTORY, narrowed);
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) entries.skip(1)::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue; // its mode is the target's: never reach out of the directory
                }
                narrow(p, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY : FILE, narrowed);
            }
        }
        return new Secured(dir, created, narrowed);
    }

    /** Takes from {@code path} every permission outside {@code allowed}; records it when that changed anything. */
    private static void narrow(Path path, Set<PosixFilePermission> allowed, List<Narrowed> narrowed) throws IOException {
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        if (!allowed.containsAll(before)) {
            Set<PosixFilePermission> after = java.util.EnumSet.noneOf(PosixFilePermission.class);
            after.addAll(before);
            after.retainAll(allowed);
            Files.setPosixFilePermissions(path, after);
            narrowed.add(new Narrowed(path, PosixFilePermissions.toString(before)));
        }
    }
}
