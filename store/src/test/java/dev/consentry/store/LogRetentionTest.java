package dev.consentry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.VerifiedDomain;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.jdbc.JdbcStore;
import dev.consentry.store.memory.InMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign-in and audit logs keep what each tenant's settings say ({@code logRetentionEntries},
 * {@code logRetentionDays}), the defaults otherwise, and prune only the writing tenant's entries: in both
 * implementations.
 */
class LogRetentionTest {
    static final TenantId SMALL = TenantId.of("11111111-1111-4111-8111-111111111111");
    static final TenantId OTHER = TenantId.of("22222222-2222-4222-8222-222222222222");

    @Test
    void eachTenantKeepsTheEntriesAndDaysItsSettingsGive(@TempDir Path dir) {
        try (Store jdbc = JdbcStore.h2File(dir); Store memory = new InMemoryStore()) {
            for (Store store : new Store[] {jdbc, memory}) {
                store.tenants().replace(small(50));
                store.audit().record(OTHER, StoreContract.audit("other", StoreContract.T0, "Add application"));
                IntStream.rangeClosed(1, 52).forEach(i -> store.audit().record(SMALL,
                        StoreContract.audit(String.format("e%03d", i), StoreContract.T0.plusSeconds(i), "Update application")));
                var kept = store.audit().recent(SMALL, 100);
                assertThat(kept).as(store.description()).hasSize(50);
                assertThat(kept.get(0).id()).isEqualTo("e052");
                assertThat(kept.get(kept.size() - 1).id()).as("e001 and e002 went").isEqualTo("e003");

                // One day in this tenant: an entry a day and a second newer drops every one before it.
                store.signIns().record(SMALL, StoreContract.signIn("s1", StoreContract.T0, 0));
                store.signIns().record(SMALL, StoreContract.signIn("s2", StoreContract.T0.plus(Duration.ofDays(1)), 0));
                assertThat(store.signIns().recent(SMALL, 10)).hasSize(2);
                store.signIns().record(SMALL, StoreContract.signIn("s3", StoreContract.T0.plus(Duration.ofDays(1))
                        .plusSeconds(1), 0));
                assertThat(store.signIns().recent(SMALL, 10)).extracting(dev.consentry.core.audit.SignIn::id)
                        .containsExactly("s3", "s2");

                // A tenant the store does not hold keeps the defaults: 29 days back is kept.
                store.signIns().record(OTHER, StoreContract.signIn("o1", StoreContract.T0, 0));
                store.signIns().record(OTHER, StoreContract.signIn("o2", StoreContract.T0.plus(Duration.ofDays(29)), 0));
                assertThat(store.signIns().recent(OTHER, 10)).hasSize(2);
                assertThat(store.audit().recent(OTHER, 10)).hasSize(1);
                assertThat(TenantSettings.DEFAULT.logRetention())
                        .isEqualTo(new TenantSettings.LogRetention(30, 100_000));
            }
        }
    }

    /**
     * A log that keeps 1,000 entries is pruned by count at one write in ten on the embedded store; whatever the table
     * holds between prunes, a read gives the newest 1,000 and no more.
     */
    @Test
    void aReadNeverGivesMoreThanTheEntriesKeptEvenBetweenPrunes(@TempDir Path dir) {
        try (Store jdbc = JdbcStore.h2File(dir); Store memory = new InMemoryStore()) {
            for (Store store : new Store[] {jdbc, memory}) {
                store.tenants().replace(small(1_000));
                IntStream.rangeClosed(1, 1_005).forEach(i -> store.signIns().record(SMALL,
                        StoreContract.signIn(String.format("s%04d", i), StoreContract.T0.plusMillis(i), 0)));
                var kept = store.signIns().recent(SMALL, 5_000);
                assertThat(kept).as(store.description()).hasSize(1_000);
                assertThat(kept.get(0).id()).isEqualTo("s1005");
                assertThat(kept.get(kept.size() - 1).id()).isEqualTo("s0006");
            }
        }
    }

    /** The tenant SMALL, keeping one day and {@code entries} entries of each log. */
    private static TenantDirectory small(int entries) {
        return new TenantDirectory(SMALL, "Small", List.of(VerifiedDomain.named("small.example")), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), null, null, new TenantSettings(null, null, 1, entries, null, null, null), null);
    }
}
