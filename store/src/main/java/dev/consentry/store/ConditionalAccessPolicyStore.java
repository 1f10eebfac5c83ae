package dev.consentry.store;

import dev.consentry.core.directory.ConditionalAccessPolicy;
import dev.consentry.core.id.TenantId;

import java.util.List;
import java.util.Optional;

/** Conditional access policies of a tenant (stored now, enforced in a later slice). */
public interface ConditionalAccessPolicyStore {

    /** The object with that id in the tenant; empty when none. */
    Optional<ConditionalAccessPolicy> find(TenantId tenant, String id);

    /** Every such object of the tenant, ordered by id. */
    List<ConditionalAccessPolicy> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, ConditionalAccessPolicy value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, String id);
}
