package dev.consentry.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast start (skip Flyway when the schema is current) must know the newest migration. */
class MigrationVersionTest {

    @Test
    void latestSchemaVersionIsTheNewestMigrationFile() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            int newest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            assertThat(JdbcDatabase.LATEST_SCHEMA_VERSION).isEqualTo(String.valueOf(newest));
        }
    }

    @Test
    void aFreshDatabaseIsNotCurrentAndAMigratedOneIs(@TempDir Path dir) {
        try (JdbcStore store = JdbcStore.h2File(dir)) {
            assertThat(store.tenants().list()).isEmpty();
        }
        var ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.toAbsolutePath().resolve("consentry"));
        ds.setUser("sa");
        assertThat(JdbcDatabase.schemaIsCurrent(ds)).isTrue();
        var empty = new org.h2.jdbcx.JdbcDataSource();
        empty.setURL("jdbc:h2:mem:empty");
        assertThat(JdbcDatabase.schemaIsCurrent(empty)).isFalse();
    }
}
