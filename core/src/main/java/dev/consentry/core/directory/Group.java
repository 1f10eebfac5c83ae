package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.consentry.core.id.ObjectId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A group, with Graph's {@code group} property names; {@code members} lists member object ids. */
public record Group(
        ObjectId id,
        String displayName,
        Boolean securityEnabled,
        Boolean mailEnabled,
        List<String> groupTypes,
        List<ObjectId> members,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public Group {
        Objects.requireNonNull(id, "id");
        groupTypes = Extra.list(groupTypes);
        members = Extra.list(members);
        additionalProperties = Extra.copy(additionalProperties);
    }

}
