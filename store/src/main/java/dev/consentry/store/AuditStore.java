package dev.consentry.store;

import dev.consentry.core.audit.DirectoryAudit;

/**
 * The directory audit log of each tenant: consents, grants, revocations and app changes, with who, when and what.
 *
 * <p>Guaranteed: a recorded entry is durable when {@link TenantLog#record} returns (like the directory itself); each write
 * prunes its tenant's log to the tenant's {@link dev.consentry.core.directory.TenantSettings.LogRetention} (by default
 * the newest 100,000 entries, none older than 30 days before the written one); {@link TenantLog#recent} lists newest
 * first (by time, then id).
 */
public interface AuditStore extends TenantLog<DirectoryAudit> {}
