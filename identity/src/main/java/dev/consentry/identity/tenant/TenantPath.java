package dev.consentry.identity.tenant;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.TenantStore;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tenant segment of an STS path ({@code /{tenant}/...}), resolved (wire spec, section 1.1): a
 * specific tenant by GUID or verified domain, or one of the audiences {@code common},
 * {@code organizations}, {@code consumers}.
 */
public sealed interface TenantPath {

    /** The path value as the client wrote it. */
    String pathValue();

    /** A specific directory, named by its GUID or one of its verified domains. */
    record Specific(String pathValue, Tenant tenant) implements TenantPath {
        public TenantId id() {
            return tenant.id();
        }
    }

    /** An audience alias: {@code common}, {@code organizations} or {@code consumers}. */
    record Audience(String pathValue, Kind kind) implements TenantPath {}

    /** The audience aliases of the v2.0 endpoint. */
    enum Kind { COMMON, ORGANIZATIONS, CONSUMERS }

    /**
     * Resolves a path value, or refuses it with AADSTS90002 naming up to ten known tenants (id and default
     * domain), for the developer who mistyped the authority.
     */
    static TenantPath require(String value, TenantStore tenants) {
        return resolve(value, tenants).orElseThrow(() -> Failure.of(Cause.TENANT_NOT_FOUND, "tenant", value, "knownTenants",
                tenants.list().stream().limit(10).map(t -> t.id() + t.defaultDomain().map(d -> " (" + d + ")").orElse(""))
                        .collect(Collectors.joining(", "))).toException());
    }

    /**
     * Resolves a path value; empty when it names no known tenant. GUIDs and domains are compared
     * case-insensitively, as Entra does; the aliases are lower-case words, also accepted in any case.
     */
    static Optional<TenantPath> resolve(String value, TenantStore tenants) {
        if (value == null || value.isEmpty() || value.length() > 256) {
            return Optional.empty();
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "common" -> {
                return Optional.of(new Audience(value, Kind.COMMON));
            }
            case "organizations" -> {
                return Optional.of(new Audience(value, Kind.ORGANIZATIONS));
            }
            case "consumers" -> {
                return Optional.of(new Audience(value, Kind.CONSUMERS));
            }
            default -> {
                Optional<TenantId> id = TenantId.tryParse(value);
                Optional<Tenant> tenant = id.isPresent() ? tenants.find(id.get()) : tenants.findByDomain(value);
                return tenant.map(t -> new Specific(value, t));
            }
        }
    }
}
