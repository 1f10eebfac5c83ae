package dev.consentry.core.directory;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Permissions an application requests on one resource (its "API permissions" in the portal). */
public record RequiredResourceAccess(String resourceAppId, List<ResourceAccess> resourceAccess) {
    public RequiredResourceAccess {
        Objects.requireNonNull(resourceAppId, "resourceAppId");
        resourceAccess = Extra.list(resourceAccess);
    }

    /** One requested permission: {@code type} "Scope" (delegated) or "Role" (application). */
    public record ResourceAccess(UUID id, String type) {
        public ResourceAccess {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
        }
    }
}
