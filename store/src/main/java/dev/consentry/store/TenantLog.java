package dev.consentry.store;

import dev.consentry.core.directory.TenantSettings;

import dev.consentry.core.id.TenantId;
import java.util.List;

/** A log kept per tenant and read newest first (by time, then id): the audit and sign-in logs. */
public interface TenantLog<T> {
    void record(TenantId tenant, T entry);

    /** The tenant's newest entries, at most {@code max}, newest first; empty for a tenant with none. */
    List<T> recent(TenantId tenant, int max);

    /** Each tenant's retention as its settings give it; the default for a tenant the store does not hold. */
    static java.util.function.Function<TenantId, TenantSettings.LogRetention> retentionOf(TenantStore tenants) {
        return id -> tenants.find(id).map(t -> t.settings().logRetention()).orElse(TenantSettings.LogRetention.DEFAULT);
    }
}
