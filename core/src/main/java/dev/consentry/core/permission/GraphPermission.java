package dev.consentry.core.permission;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One Microsoft Graph permission ({@code User.Read.All}) and the schemes it exists in, each with its id
 * (the scope or app role GUID on the Graph service principal), whether it needs admin consent and its
 * privilege level. Facts derived from Microsoft's published permission data.
 */
public record GraphPermission(String name, Map<Scheme, SchemeFacts> schemes) {
    public GraphPermission {
        Objects.requireNonNull(name, "name");
        schemes = Collections.unmodifiableMap(new EnumMap<>(schemes));
    }

    public Optional<SchemeFacts> in(Scheme scheme) {
        return Optional.ofNullable(schemes.get(scheme));
    }

    /**
     * The facts of one scheme.
     *
     * @param id the GUID; {@code synthetic} when Microsoft's data gives none and Consentry minted a stable one
     * @param requiresAdminConsent whether a user may not consent to it alone (always true for Application)
     * @param privilegeLevel 1 (low) and up, as Microsoft rates it; 0 when not given
     */
    public record SchemeFacts(UUID id, boolean requiresAdminConsent, int privilegeLevel, boolean synthetic) {
        public SchemeFacts {
            Objects.requireNonNull(id, "id");
        }
    }
}
