package dev.consentry.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory kept to its owner: created 0700, narrowed when wider, refused when another user owns it. */
class PrivateDirectoryTest {
    @TempDir
    Path tmp;

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aNewDirectoryIsCreatedForItsOwnerAlone() throws IOException {
        Path dir = tmp.resolve("parent/data");
        PrivateDirectory.Secured s = PrivateDirectory.secure(dir);
        assertThat(s.created()).isTrue();
        assertThat(s.narrowed()).isEmpty();
        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    @Test
    void anOpenDirectoryAndWhatIsInItAreNarrowedAndReportedOnce() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path db = Files.writeString(dir.resolve("consentry.mv.db"), "x");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        Path key = Files.writeString(dir.resolve("ca-key.pem"), "k");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path sub = Files.createDirectory(dir.resolve("logs"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path readOnly = Files.writeString(sub.resolve("old"), "o");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--r--r--"));

        PrivateDirectory.Secured s = PrivateDirectory.secure(dir);
        assertThat(s.created()).isFalse();
        assertThat(s.narrowed()).extracting(PrivateDirectory.Narrowed::path).containsExactlyInAnyOrder(dir, db, sub, readOnly);
        assertThat(s.narrowed()).filteredOn(n -> n.path().equals(dir)).extracting(PrivateDirectory.Narrowed::before)
                .containsExactly("rwxr-xr-x");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(db)).isEqualTo("rw-------");
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(mode(sub)).isEqualTo("rwx------");
        assertThat(mode(readOnly)).as("never widened").isEqualTo("r--------");
        assertThat(Files.readString(db)).as("contents untouched").isEqualTo("x");

        assertThat(PrivateDirectory.secure(dir).narrowed()).as("nothing left to say the second time").isEmpty();
    }

    @Test
    void aSymbolicLinkIsNotFollowedOutOfTheDirectory() throws IOException {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "shared");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        Path dir = Files.createDirectory(tmp.resolve("data"));
        Files.createSymbolicLink(dir.resolve("link"), outside);
        PrivateDirectory.secure(dir);
        assertThat(mode(outside)).isEqualTo("rw-r--r--");
    }

    @Test
    void aDirectoryOwnedByAnotherUserIsRefused() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("theirs"));
        UserPrincipal nobody;
        try {
            nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(dir, nobody);
        } catch (IOException | UnsupportedOperationException e) {
            Assumptions.abort("giving a directory to another user needs root here: " + e.getMessage());
            return;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> PrivateDirectory.secure(dir)).isInstanceOf(PrivateDirectory.NotOwnedException.class)
                .hasMessageContaining("belongs to user 'nobody'").hasMessageContaining("--data-dir");
        assertThat(mode(dir)).as("left as it was").isEqualTo("rwxr-xr-x");
    }
}
