package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A delegated permission (OAuth2 permission scope) a resource exposes; {@code type} is "User" when
 * users may consent, "Admin" when only an administrator may. Follows Graph's {@code permissionScope};
 * its other properties (descriptions, {@code origin}, ...) are kept as given.
 */
public record PermissionScope(UUID id, String value, String type, String adminConsentDisplayName,
                              String userConsentDisplayName, Boolean isEnabled,
                              @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public PermissionScope {
        Objects.requireNonNull(id, "id");
        isEnabled = isEnabled == null ? Boolean.TRUE : isEnabled;
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** A scope with only the properties Consentry reads. */
    public PermissionScope(UUID id, String value, String type, String adminConsentDisplayName,
                           String userConsentDisplayName, Boolean isEnabled) {
        this(id, value, type, adminConsentDisplayName, userConsentDisplayName, isEnabled, null);
    }

    public boolean requiresAdminConsent() {
        return !"User".equals(type);
    }

    public boolean enabled() {
        return isEnabled;
    }

}
