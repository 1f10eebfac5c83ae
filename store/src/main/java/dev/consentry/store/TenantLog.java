package dev.consentry.store;

import dev.consentry.core.id.TenantId;
import java.util.List;

/** A log kept per tenant and read newest first (by time, then id): the audit and sign-in logs. */
public interface TenantLog<T> {
    void record(TenantId tenant, T entry);

    /** The tenant's newest entries, at most {@code max}, newest first; empty for a tenant with none. */
    List<T> recent(TenantId tenant, int max);
}
