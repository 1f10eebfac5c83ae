package dev.consentry.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A client's address is read only from literal text: a name, even one of hex digits, is never looked up. */
class OriginsTest {
    @Test
    void literalAddressesAreReadAndNamesAreNot() {
        assertThat(Origins.literal("203.0.113.7")).hasToString("/203.0.113.7");
        assertThat(Origins.literal("::1").isLoopbackAddress()).isTrue();
        assertThat(Origins.literal("[2001:db8::1]")).isNotNull();
        assertThat(Origins.literal("::ffff:192.0.2.1")).isNotNull();
        assertThat(Origins.literal("203.0.113.7")).as("read twice, the same").isEqualTo(Origins.literal("203.0.113.7"));

        // Each of these would be a host name to InetAddress.getByName, and so a lookup: refused as text instead.
        assertThat(Origins.literal("beef")).isNull();
        assertThat(Origins.literal("beef.cafe")).isNull();
        assertThat(Origins.literal("localhost")).isNull();
        assertThat(Origins.literal("1.2.3")).isNull();
        assertThat(Origins.literal("")).isNull();
        assertThat(Origins.literal(null)).isNull();
        assertThat(Origins.literal("1".repeat(46))).isNull();
    }
}
