package dev.consentry.cli;

import dev.consentry.store.Store;
import dev.consentry.store.jdbc.JdbcStore;
import dev.consentry.store.memory.InMemoryStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Consentry keeps its state: the options shared by every command that opens the store. */
final class StoreOptions {
    @Option(names = "--data-dir", defaultValue = "./.consentry", paramLabel = "DIR",
            description = "Data directory: embedded database, ca.pem (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--in-memory", description = "Keep the directory in memory only (the CA in the data dir is reused).")
    boolean inMemory;

    @Option(names = "--store", paramLabel = "JDBC-URL",
            description = "A JDBC URL instead of the embedded H2 database (e.g. a PostgreSQL URL; user and password in the URL).")
    String jdbcUrl;

    /** Opens the store for a command that records no request traces. */
    Store open() {
        return open(dev.consentry.store.TraceStore.DEFAULT_CAPACITY);
    }

    /** Opens the store; {@code traceCapacity} bounds how many request traces it keeps for the diagnosis. */
    Store open(int traceCapacity) {
        if (inMemory && jdbcUrl != null) {
            throw new Main.UserError("--in-memory and --store exclude each other");
        }
        if (inMemory) {
            return new InMemoryStore(traceCapacity);
        }
        if (jdbcUrl != null) {
            return JdbcStore.open(jdbcUrl, null, null, traceCapacity);
        }
        return JdbcStore.h2File(dataDir, traceCapacity);
    }
}
