package dev.consentry.store;

import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.TenantPolicy;
import dev.consentry.core.id.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * Tenants, and whole-tenant import and export.
 *
 * <p>{@link #replace} is the tenant file's import: in one transaction it deletes every object of the
 * tenant with that id (users, groups, applications, service principals, assignments, grants, role
 * assignments, SKUs, policies) and writes the given ones. Signing keys and the local authority are
 * not per tenant and are untouched.
 */
public interface TenantStore {

    /** Replaces the tenant {@code directory.id()} and everything in it, atomically. */
    void replace(TenantDirectory directory);

    /**
     * Imports tenants, each replaced as a whole, in order: the one import path of {@code serve --tenant-file},
     * {@code tenant import} and the embedding API. Each replacement is announced on the change feed, which is how
     * every cache built from the directory hears of it.
     */
    default void replaceAll(java.util.List<TenantDirectory> tenants) {
        tenants.forEach(this::replace);
    }

    /** The whole tenant, as {@link #replace} would take it back; empty when unknown. */
    Optional<TenantDirectory> export(TenantId id);

    Optional<Tenant> find(TenantId id);

    /** The tenant with that verified domain (case-insensitive); empty when none. */
    Optional<Tenant> findByDomain(String domain);

    /** The tenant a person names: by its id when {@code name} is one, else by one of its verified domains. */
    default Optional<Tenant> findByIdOrDomain(String name) {
        return dev.consentry.core.id.TenantId.tryParse(name).flatMap(this::find).or(() -> findByDomain(name));
    }

    /** Every tenant, ordered by id. */
    List<Tenant> list();

    /**
     * Replaces the tenant's policy of {@code policy}'s kind (Graph's {@code PATCH /policies/authorizationPolicy},
     * {@code PUT /policies/adminConsentRequestPolicy}), leaving its objects, domains, other policies and settings as
     * they are; announced on the change feed. False when the tenant does not exist.
     */
    boolean updatePolicy(TenantId id, TenantPolicy policy);

    /** Deletes the tenant and everything in it; false when it did not exist. */
    boolean delete(TenantId id);
}
