package dev.consentry.core.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuidTest {
    @Test
    void aCanonicalGuidInEitherCaseIsTheSameUuidAsTheJdkReadsIt() {
        String text = "c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b";
        assertThat(Guid.parse(text)).contains(UUID.fromString(text));
        assertThat(Guid.parse(text.toUpperCase())).contains(UUID.fromString(text));
        assertThat(Guid.parse("ffffffff-ffff-ffff-ffff-ffffffffffff")).contains(new UUID(-1L, -1L));
        assertThat(Guid.parse("00000000-0000-0000-0000-000000000000")).contains(new UUID(0L, 0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4", "c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4bc",
        "c0a1b2c3d4e5-4f60-8a7b-9c0d1e2f3a4b-", "c0a1b2c3-d4e5-4f60-8a7b_9c0d1e2f3a4b", "g0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b",
        "{0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4}", "c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4\uFF10", "1-2-3-4-5678901234567890123456789012",
        "c0a1b2c3 d4e5 4f60 8a7b 9c0d1e2f3a4b"})
    void anythingElseIsNotAGuid(String text) {
        assertThat(Guid.parse(text)).isEmpty();
        assertThat(Guid.isGuid(text)).isFalse();
    }

    @Test
    void nullIsNotAGuid() {
        assertThat(Guid.parse(null)).isEmpty();
    }
}
