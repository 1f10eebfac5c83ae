package dev.consentry.store;

import dev.consentry.core.audit.SignIn;
import dev.consentry.core.id.TenantId;
import java.time.Duration;
import java.util.List;

/**
 * The sign-in log of each tenant: every token issued to a user or refused for one.
 *
 * <p>Guaranteed: a recorded entry is durable when {@link #record} returns; each write prunes its tenant's log to the
 * newest {@link #CAPACITY} entries and drops those older than {@link #RETENTION} before the written entry's
 * {@code createdDateTime} (Entra keeps sign-ins 30 days); {@link #recent} lists newest first (by time, then id).
 */
public interface SignInLogStore {
    int CAPACITY = 100_000;
    Duration RETENTION = Duration.ofDays(30);

    void record(TenantId tenant, SignIn entry);

    /** The tenant's newest entries, at most {@code max}, newest first. */
    List<SignIn> recent(TenantId tenant, int max);
}
