package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Permissions an application requests on one resource (its "API permissions" in the portal). */
public record RequiredResourceAccess(String resourceAppId, List<ResourceAccess> resourceAccess,
                                     @JsonAnySetter Map<String, Object> additionalProperties) {
    public RequiredResourceAccess {
        Objects.requireNonNull(resourceAppId, "resourceAppId");
        resourceAccess = Extra.list(resourceAccess);
        additionalProperties = Extra.copy(additionalProperties);
    }

    public RequiredResourceAccess(String resourceAppId, List<ResourceAccess> resourceAccess) {
        this(resourceAppId, resourceAccess, null);
    }

    /** Properties Consentry does not model, kept so that export writes them back. */
    @JsonAnyGetter
    @Override
    public Map<String, Object> additionalProperties() {
        return additionalProperties;
    }

    /** One requested permission: {@code type} "Scope" (delegated) or "Role" (application). */
    public record ResourceAccess(UUID id, String type, @JsonAnySetter Map<String, Object> additionalProperties) {
        public ResourceAccess {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            additionalProperties = Extra.copy(additionalProperties);
        }

        public ResourceAccess(UUID id, String type) {
            this(id, type, null);
        }

        /** Properties Consentry does not model, kept so that export writes them back. */
        @JsonAnyGetter
        @Override
        public Map<String, Object> additionalProperties() {
            return additionalProperties;
        }
    }
}
