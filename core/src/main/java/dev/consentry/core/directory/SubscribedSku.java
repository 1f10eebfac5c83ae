package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** A licence product the tenant has bought; its service plans decide what an assigned user may use. */
public record SubscribedSku(
        String id,
        UUID skuId,
        String skuPartNumber,
        List<ServicePlan> servicePlans,
            @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
    public SubscribedSku {
        Objects.requireNonNull(skuId, "skuId");
        servicePlans = Extra.list(servicePlans);
        additionalProperties = Extra.copy(additionalProperties);
    }

    /** A service plan of the SKU (Graph's {@code servicePlanInfo}). */
    public record ServicePlan(UUID servicePlanId, String servicePlanName, String provisioningStatus, String appliesTo,
                              @JsonAnySetter Map<String, Object> additionalProperties) implements KeepsUnknownProperties {
        public ServicePlan {
            Objects.requireNonNull(servicePlanId, "servicePlanId");
            additionalProperties = Extra.copy(additionalProperties);
        }

        public ServicePlan(UUID servicePlanId, String servicePlanName, String provisioningStatus, String appliesTo) {
            this(servicePlanId, servicePlanName, provisioningStatus, appliesTo, null);
        }
    }
}
