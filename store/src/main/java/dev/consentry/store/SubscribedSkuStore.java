package dev.consentry.store;

import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Licence products (subscribed SKUs) of a tenant, keyed by skuId. */
public interface SubscribedSkuStore {

    /** The object with that id in the tenant; empty when none. */
    Optional<SubscribedSku> find(TenantId tenant, UUID skuId);

    /** Every such object of the tenant, ordered by id. */
    List<SubscribedSku> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, SubscribedSku value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, UUID skuId);
}
