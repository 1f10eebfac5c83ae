package dev.consentry.store;

import dev.consentry.core.audit.SignIn;

/**
 * The sign-in log of each tenant: every token issued to a user or refused for one.
 *
 * <p>Guaranteed: a recorded entry is durable when {@link TenantLog#record} returns; each write prunes its tenant's log to
 * the tenant's {@link dev.consentry.core.directory.TenantSettings.LogRetention} (by default the newest 100,000 entries,
 * none older than 30 days before the written entry's {@code createdDateTime}, as Entra keeps sign-ins 30 days);
 * {@link TenantLog#recent} lists newest first (by time, then id).
 */
public interface SignInLogStore extends TenantLog<SignIn> {}
