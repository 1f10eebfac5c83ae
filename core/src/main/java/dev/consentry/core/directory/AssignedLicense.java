package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** A licence assigned to a user: a subscribed SKU minus any disabled service plans. */
public record AssignedLicense(UUID skuId, List<UUID> disabledPlans,
                              @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public AssignedLicense {
        Objects.requireNonNull(skuId, "skuId");
        disabledPlans = Extra.list(disabledPlans);
        additionalProperties = Extra.copy(additionalProperties);
    }

    public AssignedLicense(UUID skuId, List<UUID> disabledPlans) {
        this(skuId, disabledPlans, null);
    }

}
