package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

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
            return parse().map(c -> c.contains(address.getAddress())).orElse(false);
        }

        private record Cidr(byte[] network, int prefix) {
            /** True when the first {@code prefix} bits of {@code address} are the network's. */
            boolean contains(byte[] address) {
                if (address.length != network.length) {
                    return false;
                }
                int whole = prefix / 8;
                for (int i = 0; i < whole; i++) {
                    if (address[i] != network[i]) {
                        return false;
                    }
                }
                int rest = prefix % 8;
                if (rest == 0) {
                    return true;
                }
                int mask = (0xFF << (8 - rest)) & 0xFF;
                return (address[whole] & mask) == (network[whole] & mask);
            }
        }

        /**
         * Ranges already read, by their text: a range is matched at every sign-in and every continuous access call, and
         * reading one is far dearer than matching it. Bounded: emptied when it grows past what any tenant holds.
         */
        private static final Map<String, Optional<Cidr>> PARSED = new ConcurrentHashMap<>();
        private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");
        private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

        private Optional<Cidr> parse() {
            if (cidrAddress == null) {
                return Optional.empty();
            }
            Optional<Cidr> known = PARSED.get(cidrAddress);
            if (known != null) {
                return known;
            }
            if (PARSED.size() > 10_000) {
                PARSED.clear();
            }
            Optional<Cidr> read = read(cidrAddress);
            PARSED.put(cidrAddress, read);
            return read;
        }

        private static Optional<Cidr> read(String cidrAddress) {
            int slash = cidrAddress.indexOf('/');
            if (slash < 1) {
                return Optional.empty();
            }
            String host = cidrAddress.substring(0, slash);
            // Literal addresses only: a name must never be looked up here.
            if (!IPV4_LITERAL.matcher(host).matches() && !IPV6_LITERAL.matcher(host).matches()) {
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
