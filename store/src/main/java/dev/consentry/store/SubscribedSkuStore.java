package dev.consentry.store;

import dev.consentry.core.directory.SubscribedSku;
import java.util.UUID;

/** Licence products (subscribed SKUs) of a tenant, keyed by skuId. */
public interface SubscribedSkuStore extends TenantObjectStore<SubscribedSku, UUID> {
}
