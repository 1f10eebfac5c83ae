package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An app role of a resource (application permission when {@code allowedMemberTypes} has "Application").
 * Follows Graph's {@code appRole}; its other properties ({@code origin}, ...) are kept as given.
 */
public record AppRole(UUID id, String value, String displayName, String description,
                      List<String> allowedMemberTypes, Boolean isEnabled,
                      @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public AppRole {
        Objects.requireNonNull(id, "id");
        allowedMemberTypes = Extra.list(allowedMemberTypes);
        isEnabled = isEnabled == null ? Boolean.TRUE : isEnabled;
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** A role with only the properties Consentry reads. */
    public AppRole(UUID id, String value, String displayName, String description, List<String> allowedMemberTypes,
                   Boolean isEnabled) {
        this(id, value, displayName, description, allowedMemberTypes, isEnabled, null);
    }

    /** True when applications (client credentials) may be assigned this role. */
    public boolean forApplications() {
        return allowedMemberTypes.contains("Application");
    }

    public boolean enabled() {
        return isEnabled;
    }

}
