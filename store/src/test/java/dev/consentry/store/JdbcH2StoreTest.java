package dev.consentry.store;

import dev.consentry.store.jdbc.JdbcStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class JdbcH2StoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store newStore() {
        return JdbcStore.h2File(dir);
    }

    @Override
    protected Store newStore(int traceCapacity) {
        return JdbcStore.h2File(dir, traceCapacity);
    }
}
