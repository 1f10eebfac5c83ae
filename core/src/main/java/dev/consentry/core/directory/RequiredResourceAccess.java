package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Permissions an application requests on one resource (its "API permissions" in the portal). */
public record RequiredResourceAccess(String resourceAppId, List<ResourceAccess> resourceAccess,
                                     @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public RequiredResourceAccess {
        Objects.requireNonNull(resourceAppId, "resourceAppId");
        resourceAccess = Extra.list(resourceAccess);
        additionalProperties = Extra.copy(additionalProperties);
    }

    public RequiredResourceAccess(String resourceAppId, List<ResourceAccess> resourceAccess) {
        this(resourceAppId, resourceAccess, null);
    }


    /** One requested permission: {@code type} "Scope" (delegated) or "Role" (application). */
    public record ResourceAccess(UUID id, String type, @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
        public ResourceAccess {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            additionalProperties = Extra.copy(additionalProperties);
        }

        public ResourceAccess(UUID id, String type) {
            this(id, type, null);
        }
    }
}
