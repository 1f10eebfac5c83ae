package dev.consentry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.id.TenantId;
import dev.consentry.store.jdbc.JdbcStore;
import dev.consentry.store.memory.InMemoryStore;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each tenant keeps its newest {@link AuditStore#CAPACITY} audit entries, in both implementations. */
class AuditCapacityTest {
    static final TenantId TENANT = TenantId.of("11111111-1111-4111-8111-111111111111");
    static final TenantId OTHER = TenantId.of("22222222-2222-4222-8222-222222222222");

    @Test
    void theOldestEntriesGoBeyondTheCapacityAndOnlyThoseOfTheirTenant(@TempDir Path dir) {
        try (Store jdbc = JdbcStore.h2File(dir); Store memory = new InMemoryStore()) {
            for (Store store : new Store[] {jdbc, memory}) {
                store.audit().record(OTHER, StoreContract.audit("other", StoreContract.T0, "Add application"));
                IntStream.rangeClosed(1, AuditStore.CAPACITY + 2).forEach(i -> store.audit().record(TENANT,
                        StoreContract.audit(String.format("e%06d", i), StoreContract.T0.plusSeconds(i), "Update application")));
                var kept = store.audit().recent(TENANT, AuditStore.CAPACITY + 10);
                assertThat(kept).as(store.description()).hasSize(AuditStore.CAPACITY);
                assertThat(kept.get(0).id()).isEqualTo(String.format("e%06d", AuditStore.CAPACITY + 2));
                assertThat(kept.get(kept.size() - 1).id()).as("e1 and e2 went").isEqualTo("e000003");
                assertThat(store.audit().recent(OTHER, 10)).hasSize(1);
            }
        }
    }
}
