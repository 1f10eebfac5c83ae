package dev.consentry.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The embedded store's read cache never keeps a value that a write overtook while it was being read. */
class ObjectCacheTest {
    @Test
    void aValueReadWhileAWriteEndedIsAnsweredButNotKept() {
        ObjectCache cache = new ObjectCache();
        Optional<String> during = cache.find("u1", () -> {
            cache.written("u1"); // the write commits and invalidates while this read is under way
            return Optional.of("old");
        });
        assertThat(during).contains("old");
        assertThat(cache.find("u1", () -> Optional.of("new"))).as("read again, not the overtaken value").contains("new");
        assertThat(cache.find("u1", () -> Optional.of("newer"))).as("now kept").contains("new");
    }

    @Test
    void aWriteOfOneObjectForgetsItAndATenantWriteForgetsAll() {
        ObjectCache cache = new ObjectCache();
        cache.find("a", () -> Optional.of("a1"));
        cache.find("b", () -> Optional.of("b1"));
        cache.written("a");
        assertThat(cache.find("a", () -> Optional.of("a2"))).contains("a2");
        assertThat(cache.find("b", () -> Optional.of("b2"))).contains("b1");
        cache.writtenAll();
        assertThat(cache.find("b", () -> Optional.of("b3"))).contains("b3");
        assertThat(cache.find("missing", Optional::empty)).isEmpty();
        assertThat(cache.find("missing", () -> Optional.of("late"))).as("an absence is kept too, until a write").isEmpty();
        cache.written("missing");
        assertThat(cache.find("missing", () -> Optional.of("late"))).contains("late");
    }
}
