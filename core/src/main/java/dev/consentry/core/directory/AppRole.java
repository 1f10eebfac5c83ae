package dev.consentry.core.directory;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An app role of a resource (application permission when {@code allowedMemberTypes} has "Application").
 * Follows Graph's {@code appRole}.
 */
public record AppRole(UUID id, String value, String displayName, String description,
                      List<String> allowedMemberTypes, Boolean isEnabled) {
    public AppRole {
        Objects.requireNonNull(id, "id");
        allowedMemberTypes = Extra.list(allowedMemberTypes);
        isEnabled = isEnabled == null ? Boolean.TRUE : isEnabled;
    }

    /** True when applications (client credentials) may be assigned this role. */
    public boolean forApplications() {
        return allowedMemberTypes.contains("Application");
    }

    public boolean enabled() {
        return isEnabled;
    }
}
