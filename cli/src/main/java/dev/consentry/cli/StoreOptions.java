package dev.consentry.cli;

import dev.consentry.core.secret.PrivateDirectory;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.ServerFile;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.store.Store;
import dev.consentry.store.TraceStore;
import dev.consentry.store.jdbc.JdbcStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where Consentry keeps its state: the options shared by every command that reads or changes a data dir. */
final class StoreOptions {
    /** The embedded database's file in a data dir. */
    static final String H2_FILE = "consentry.mv.db";

    @Option(names = "--data-dir", defaultValue = "./.consentry", paramLabel = "DIR",
            description = "Data directory: embedded database, ca.pem (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--store", paramLabel = "JDBC-URL",
            description = "A JDBC URL instead of the embedded H2 database (e.g. a PostgreSQL URL; user and password in the URL).")
    String jdbcUrl;

    /**
     * Opens the existing store of a command that records no request traces. A data dir without an embedded
     * database is refused ("no Consentry data in DIR") rather than given a new, empty one: it is almost always a
     * mistyped {@code --data-dir}.
     */
    Store openExisting() {
        if (jdbcUrl == null && !Files.isRegularFile(dataDir.resolve(H2_FILE))) {
            throw new Main.UserError("no Consentry data in " + dataDir + " (no " + H2_FILE + "); give the --data-dir that "
                    + "'consentry serve' uses, or run 'consentry serve --data-dir " + dataDir + "' once to create it");
        }
        return open(TraceStore.DEFAULT_CAPACITY);
    }

    /**
     * Who answers for this data dir: the Consentry serving it, asked over HTTPS so that a change is live at once, or,
     * when none runs (or it serves another store than {@code --store} names), the store itself.
     */
    Administration administration() {
        Optional<ServerFile> running = ServerFile.read(dataDir).filter(ServerFile::processAlive)
                .filter(server -> jdbcUrl == null || server.store().equals(JdbcStore.describe(jdbcUrl)));
        if (running.isPresent()) {
            return RemoteAdministration.connect(running.get(), dataDir);
        }
        return StoreAdministration.ownStore(openExisting(), Clock.systemUTC());
    }

    /**
     * Creates the data dir, or makes an existing one private to its owner ({@link PrivateDirectory}), and says on
     * {@code err}, in one line, when the directory was open to others: then anyone on the machine could have read the
     * CA's and the token-signing private keys and every password hash. Refuses a data dir another user owns.
     */
    void securePrivately(PrintWriter err) {
        PrivateDirectory.Secured secured;
        try {
            secured = PrivateDirectory.secure(dataDir);
        } catch (PrivateDirectory.NotOwnedException e) {
            throw new Main.UserError(e.getMessage());
        } catch (IOException e) {
            throw new Main.UserError("cannot make the data dir " + dataDir + " private: " + e.getMessage());
        }
        // Said only when the directory itself let others in: files inside a 0700 directory were out of their reach
        // whatever their modes (H2 and the TLS files are created with the umask, and narrowed silently).
        String dirBefore = secured.narrowed().stream().filter(n -> n.path().equals(dataDir))
                .map(PrivateDirectory.Narrowed::before).findFirst().orElse(null);
        if (dirBefore != null) {
            long files = secured.narrowed().stream().filter(n -> !Files.isDirectory(n.path())).count();
            err.println("consentry: made the data dir " + dataDir + " private to its owner, as it holds private keys and "
                    + "password hashes: it was " + dirBefore + ", now rwx------, and " + files
                    + (files == 1 ? " file in it is" : " files in it are") + " now rw-------");
            err.flush();
        }
    }

    /** Opens (or creates) the store; {@code traceCapacity} bounds how many request traces it keeps for the diagnosis. */
    Store open(int traceCapacity) {
        if (jdbcUrl != null) {
            return JdbcStore.open(jdbcUrl, null, null, traceCapacity);
        }
        return JdbcStore.h2File(dataDir, traceCapacity);
    }
}
