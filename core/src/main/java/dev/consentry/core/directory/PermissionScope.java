package dev.consentry.core.directory;

import java.util.Objects;
import java.util.UUID;

/**
 * A delegated permission (OAuth2 permission scope) a resource exposes; {@code type} is "User" when
 * users may consent, "Admin" when only an administrator may. Follows Graph's {@code permissionScope}.
 */
public record PermissionScope(UUID id, String value, String type, String adminConsentDisplayName,
                              String userConsentDisplayName, Boolean isEnabled) {
    public PermissionScope {
        Objects.requireNonNull(id, "id");
        isEnabled = isEnabled == null ? Boolean.TRUE : isEnabled;
    }

    public boolean requiresAdminConsent() {
        return !"User".equals(type);
    }

    public boolean enabled() {
        return isEnabled;
    }
}
