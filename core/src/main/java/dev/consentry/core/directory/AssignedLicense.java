package dev.consentry.core.directory;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** A licence assigned to a user: a subscribed SKU minus any disabled service plans. */
public record AssignedLicense(UUID skuId, List<UUID> disabledPlans) {
    public AssignedLicense {
        Objects.requireNonNull(skuId, "skuId");
        disabledPlans = Extra.list(disabledPlans);
    }
}
