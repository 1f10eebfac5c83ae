package dev.consentry.store;

import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * The four operations every per-tenant directory aggregate has: objects of type {@code T} keyed by {@code K} within
 * one tenant. Ids compare case-insensitively; each write that changed something is announced as
 * {@link StoreEvent.DirectoryChanged} once committed.
 *
 * @param <T> the stored object
 * @param <K> its id: an {@link dev.consentry.core.id.ObjectId}, a SKU's {@link java.util.UUID} or a Graph string id
 */
public interface TenantObjectStore<T, K> {

    /** The object with that id in the tenant; empty when none. */
    Optional<T> find(TenantId tenant, K id);

    /** Every such object of the tenant, ordered by id. */
    List<T> list(TenantId tenant);

    /** Creates or replaces the object with the same id in the tenant. The tenant must exist. */
    void save(TenantId tenant, T value);

    /** Deletes it; false when it did not exist. */
    boolean delete(TenantId tenant, K id);
}
