package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.consentry.core.id.ObjectId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An app role granted to a principal (user, group or service principal) on a resource service
 * principal. For a client service principal this is a granted application permission.
 */
public record AppRoleAssignment(
        String id,
        ObjectId principalId,
        String principalType,
        ObjectId resourceId,
        UUID appRoleId,
        Instant createdDateTime,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public AppRoleAssignment {
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(appRoleId, "appRoleId");
        id = id == null ? UUID.randomUUID().toString() : id;
        additionalProperties = Extra.copy(additionalProperties);
    }

}
