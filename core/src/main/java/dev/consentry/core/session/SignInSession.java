package dev.consentry.core.session;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One account signed in to one browser: the STS's single sign-on session. A browser is named by the
 * SHA-256 {@code browserHash} of its session cookie (the cookie value itself is never stored); one
 * browser may hold several accounts, which the account picker lists.
 *
 * @param authTime when the user last entered their credentials in this browser
 * @param lastSeenAt when the session last signed the user in to an app
 */
public record SignInSession(String browserHash, TenantId tenant, ObjectId userId, Instant authTime, Instant lastSeenAt) {
    public SignInSession {
        Objects.requireNonNull(browserHash, "browserHash");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(authTime, "authTime");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    }
}
