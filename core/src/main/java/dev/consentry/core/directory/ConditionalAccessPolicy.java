package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;
import java.util.Objects;

/**
 * A conditional access policy, stored as Graph's {@code conditionalAccessPolicy} shape. Enforcement
 * comes in a later slice; until then conditions and controls are kept as given.
 */
public record ConditionalAccessPolicy(
        String id,
        String displayName,
        String state,
        Map<String, Object> conditions,
        Map<String, Object> grantControls,
        Map<String, Object> sessionControls,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public ConditionalAccessPolicy {
        Objects.requireNonNull(id, "id");
        conditions = Extra.copy(conditions);
        grantControls = Extra.copy(grantControls);
        sessionControls = Extra.copy(sessionControls);
        additionalProperties = Extra.copy(additionalProperties);
    }

}
