package dev.consentry.core.directory;

import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A directory (tenant): its id, name, verified domains, authorization policy (Graph's shape) and Consentry settings.
 *
 * <p>Guaranteed: {@code verifiedDomains} is never null; at most one domain is the default.
 */
public record Tenant(TenantId id, String displayName, List<VerifiedDomain> verifiedDomains,
                     AuthorizationPolicy authorizationPolicy, AdminConsentRequestPolicy adminConsentRequestPolicy,
                     TenantSettings settings) {
    public Tenant {
        Objects.requireNonNull(id, "id");
        verifiedDomains = Extra.list(verifiedDomains);
        authorizationPolicy = authorizationPolicy == null ? AuthorizationPolicy.DEFAULT : authorizationPolicy;
        adminConsentRequestPolicy = adminConsentRequestPolicy == null ? AdminConsentRequestPolicy.DEFAULT
                : adminConsentRequestPolicy;
        settings = settings == null ? TenantSettings.DEFAULT : settings;
    }

    /** The default verified domain, else the first one, else empty. */
    public Optional<String> defaultDomain() {
        return verifiedDomains.stream().filter(VerifiedDomain::isDefaultDomain).findFirst()
                .or(() -> verifiedDomains.stream().findFirst())
                .map(VerifiedDomain::name);
    }

    /** True when {@code domain} is one of this tenant's verified domains (case-insensitive). */
    public boolean hasDomain(String domain) {
        String wanted = domain.toLowerCase(Locale.ROOT);
        return verifiedDomains.stream().anyMatch(d -> d.name().toLowerCase(Locale.ROOT).equals(wanted));
    }
}
