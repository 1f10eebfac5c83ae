package dev.consentry.store;

import dev.consentry.core.audit.DirectoryAudit;

/**
 * The directory audit log of each tenant: consents, grants, revocations and app changes, with who, when and what.
 *
 * <p>Guaranteed: a recorded entry is durable when {@link TenantLog#record} returns (like the directory itself); each tenant keeps
 * its newest {@link #CAPACITY} entries, the oldest dropped first; {@link TenantLog#recent} lists newest first (by time, then id).
 */
public interface AuditStore extends TenantLog<DirectoryAudit> {
    int CAPACITY = 10_000;
}
