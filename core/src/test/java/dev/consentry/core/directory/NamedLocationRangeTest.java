package dev.consentry.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An IP named location's ranges (RFC 4632 prefixes): which addresses each holds, and which texts are no range. */
class NamedLocationRangeTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.0/24, 203.0.113.255, true",
            "203.0.113.0/24, 203.0.114.0, false",
            "10.16.0.0/12, 10.31.255.255, true",
            "10.16.0.0/12, 10.32.0.0, false",
            "10.16.0.0/12, 10.15.255.255, false",
            "192.0.2.7/32, 192.0.2.7, true",
            "192.0.2.7/32, 192.0.2.6, false",
            "0.0.0.0/0, 198.51.100.9, true",
            "127.0.0.0/8, 127.1.2.3, true",
            "2001:db8::/48, 2001:db8:0:ffff::1, true",
            "2001:db8::/48, 2001:db8:1::1, false",
            "2001:db8::/127, 2001:db8::1, true",
            "2001:db8::/127, 2001:db8::2, false",
            "203.0.113.0/24, ::ffff:cb00:7101, true", // Java reads an IPv4-mapped literal as the IPv4 address
            "2001:db8::/32, 203.0.113.1, false"})
    void aRangeHoldsTheAddressesThatShareItsPrefix(String cidr, String address, boolean inside) throws Exception {
        NamedLocation.IpRange range = new NamedLocation.IpRange(cidr.contains(":") ? "#microsoft.graph.iPv6CidrRange"
                : "#microsoft.graph.iPv4CidrRange", cidr);
        assertThat(range.problem()).isEmpty();
        assertThat(range.contains(InetAddress.getByName(address))).isEqualTo(inside);
        assertThat(range.contains(InetAddress.getByName(address))).as("the same once read").isEqualTo(inside);
    }

    @ParameterizedTest
    @CsvSource({"203.0.113.0", "203.0.113.0/33", "2001:db8::/129", "example.com/24", "/24", "203.0.113.0/x", "1.2.3.4/-1"})
    void aTextThatIsNoAddressAndPrefixIsNoRangeAndHoldsNothing(String cidr) throws Exception {
        NamedLocation.IpRange range = new NamedLocation.IpRange("#microsoft.graph.iPv4CidrRange", cidr);
        assertThat(range.problem()).isPresent();
        assertThat(range.contains(InetAddress.getByName("203.0.113.1"))).isFalse();
    }

    @Test
    void noRangeTextIsAnError() {
        assertThat(new NamedLocation.IpRange("#microsoft.graph.iPv4CidrRange", null).problem()).isPresent();
    }
}
