package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.consentry.core.id.ObjectId;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A directory role assigned to a principal (Graph's {@code unifiedRoleAssignment});
 * {@code roleDefinitionId} is the role template id, {@code directoryScopeId} "/" for the tenant.
 */
public record RoleAssignment(
        String id,
        ObjectId principalId,
        String roleDefinitionId,
        String directoryScopeId,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public RoleAssignment {
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(roleDefinitionId, "roleDefinitionId");
        id = id == null ? UUID.randomUUID().toString() : id;
        directoryScopeId = directoryScopeId == null ? "/" : directoryScopeId;
        additionalProperties = Extra.copy(additionalProperties);
    }

}
