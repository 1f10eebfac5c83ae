package dev.consentry.store;

import dev.consentry.core.audit.SignIn;
import java.time.Duration;

/**
 * The sign-in log of each tenant: every token issued to a user or refused for one.
 *
 * <p>Guaranteed: a recorded entry is durable when {@link TenantLog#record} returns; each write prunes its tenant's log to the
 * newest {@link #CAPACITY} entries and drops those older than {@link #RETENTION} before the written entry's
 * {@code createdDateTime} (Entra keeps sign-ins 30 days); {@link TenantLog#recent} lists newest first (by time, then id).
 */
public interface SignInLogStore extends TenantLog<SignIn> {
    int CAPACITY = 100_000;
    Duration RETENTION = Duration.ofDays(30);
}
