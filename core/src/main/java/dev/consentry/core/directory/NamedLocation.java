package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named location of conditional access, in Graph's shape ({@code /identity/conditionalAccess/namedLocations}):
 * an {@code ipNamedLocation} with its {@code ipRanges} ({@code iPv4CidrRange} and {@code iPv6CidrRange}, each a
 * {@code cidrAddress}) and {@code isTrusted}, or another kind (a {@code countryNamedLocation}), kept as given but never
 * matched, since Consentry cannot tell a country offline.
 *
 * @param odataType Graph's {@code @odata.type}, {@code #microsoft.graph.ipNamedLocation} when null
 */
public record NamedLocation(String id, @JsonProperty("@odata.type") String odataType, String displayName, Boolean isTrusted,
                            List<IpRange> ipRanges, @JsonAnySetter Map<String, Object> additionalProperties)
        implements KeepsUnknownProperties {
    public static final String IP = "#microsoft.graph.ipNamedLocation";

    public NamedLocation {
        Objects.requireNonNull(id, "id");
        odataType = odataType == null ? IP : odataType;
        ipRanges = Extra.list(ipRanges);
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** True for an IP location ({@code ipNamedLocation}), the kind Consentry matches. */
    public boolean byAddress() {
        return IP.equals(odataType);
    }

    public boolean trusted() {
        return Boolean.TRUE.equals(isTrusted);
    }

    /** True when {@code address} lies in one of the ranges of this IP location. */
    public boolean contains(InetAddress address) {
        return byAddress() && ipRanges.stream().anyMatch(r -> r.contains(address));
    }

    /** Graph's {@code ipRange}: an {@code iPv4CidrRange} or {@code iPv6CidrRange} ({@code cidrAddress}, RFC 4632). */
    public record IpRange(@JsonProperty("@odata.type") String odataType, String cidrAddress) {
        /** What is wrong with {@code cidrAddress}, for an error message; empty when it is an address and prefix length. */
        public Optional<String> problem() {
            return parse().isPresent() ? Optional.empty() : Optional.of("'" + cidrAddress + "' is not an address/prefix "
                    + "range such as 203.0.113.0/24 or 2001:db8::/48");
        }

        public boolean contains(InetAddress address) {
            return parse().map(c -> {
                byte[] a = address.getAddress();
                if (a.length != c.network().length) {
                    return false;
                }
                BigInteger mask = BigInteger.ONE.shiftLeft(a.length * 8).subtract(BigInteger.ONE)
                        .shiftRight(c.prefix()).not();
                return new BigInteger(1, a).and(mask).equals(new BigInteger(1, c.network()).and(mask));
            }).orElse(false);
        }

        private record Cidr(byte[] network, int prefix) {}

        private Optional<Cidr> parse() {
            if (cidrAddress == null) {
                return Optional.empty();
            }
            int slash = cidrAddress.indexOf('/');
            if (slash < 1) {
                return Optional.empty();
            }
            String host = cidrAddress.substring(0, slash);
            // Literal addresses only: a name must never be looked up here.
            if (!host.matches("[0-9.]+") && !host.matches("[0-9A-Fa-f:.]+")) {
                return Optional.empty();
            }
            try {
                byte[] network = InetAddress.getByName(host).getAddress();
                int prefix = Integer.parseInt(cidrAddress.substring(slash + 1));
                if (prefix < 0 || prefix > network.length * 8 || (host.contains(":") != (network.length == 16))) {
                    return Optional.empty();
                }
                return Optional.of(new Cidr(network, prefix));
            } catch (UnknownHostException | NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
