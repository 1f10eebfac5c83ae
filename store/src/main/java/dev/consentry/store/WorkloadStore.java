package dev.consentry.store;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.workload.WorkloadItem;
import java.util.List;
import java.util.Optional;

/**
 * Users' mail, calendar and files ({@link WorkloadItem}): small per-user stores, seeded from the tenant file's
 * users when a tenant is replaced (a replace drops the items the tenant had and seeds the new ones, in the same
 * transaction), then changed through Graph (a sent mail lands in its recipients' mailboxes).
 */
public interface WorkloadStore {

    /** The owner's items of one kind, newest first (then by id). */
    List<WorkloadItem> list(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind);

    Optional<WorkloadItem> find(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind, String id);

    /** Adds or replaces the item with the same owner, kind and id; all of {@code items} or none. */
    void saveAll(TenantId tenant, List<WorkloadItem> items);

    boolean delete(TenantId tenant, ObjectId owner, WorkloadItem.Kind kind, String id);
}
