package dev.consentry.store;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.id.TenantId;
import java.util.List;

/**
 * The directory audit log of each tenant: consents, grants, revocations and app changes, with who, when and what.
 *
 * <p>Guaranteed: a recorded entry is durable when {@link #record} returns (like the directory itself); each tenant keeps
 * its newest {@link #CAPACITY} entries, the oldest dropped first; {@link #recent} lists newest first (by time, then id).
 */
public interface AuditStore {
    int CAPACITY = 10_000;

    void record(TenantId tenant, DirectoryAudit entry);

    /** The tenant's newest entries, at most {@code max}, newest first. */
    List<DirectoryAudit> recent(TenantId tenant, int max);
}
