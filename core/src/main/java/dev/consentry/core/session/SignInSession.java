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
 * @param auth what the user's last sign-in with credentials in this browser proved, and when it was
 * @param lastSeenAt when the session last signed the user in to an app
 */
public record SignInSession(String browserHash, TenantId tenant, ObjectId userId, AuthContext auth, Instant lastSeenAt) {
    public SignInSession {
        Objects.requireNonNull(browserHash, "browserHash");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    }
}
