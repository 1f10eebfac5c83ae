package dev.consentry.identity.user;

import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.Store;
import dev.consentry.store.StoreEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ending a user's sessions, the one operation behind Graph's {@code revokeSignInSessions}, a password reset, an
 * account disabled and a user deleted: every refresh token of the user in the tenant is revoked, every browser
 * session of theirs ends, and (unless the user is gone) the instant is recorded on the user as Graph's
 * {@code signInSessionsValidFromDateTime}, which continuous access evaluation compares with a token's issue time;
 * then the revocation is announced on the store's change feed.
 */
public final class UserSessions {
    /** Graph's {@code user} property that records the last revocation. */
    public static final String VALID_FROM = "signInSessionsValidFromDateTime";
    private final Store store;

    /** Why the sessions end; decides nothing today, and is recorded in the change feed later. */
    public enum Reason { SESSIONS_REVOKED, PASSWORD_RESET, ACCOUNT_DISABLED, USER_DELETED }

    public UserSessions(Store store) {
        this.store = store;
    }

    /** Ends every session of {@code user} at {@code now}; for a deleted user, only the tokens and sessions go. */
    public void revoke(TenantId tenant, ObjectId user, Instant now, Reason reason) {
        store.refreshTokens().revokeUser(tenant, user, now);
        store.signInSessions().removeUser(tenant, user);
        if (reason != Reason.USER_DELETED) {
            store.users().find(tenant, user).ifPresent(u -> store.users().save(tenant, validFrom(u, now)));
        }
        store.events().publish(new StoreEvent.UserSessionsRevoked(tenant, user, now));
    }

    private static User validFrom(User u, Instant now) {
        Map<String, Object> extra = new LinkedHashMap<>(u.additionalProperties());
        extra.put(VALID_FROM, now.toString());
        return new User(u.id(), u.userPrincipalName(), u.displayName(), u.mail(), u.userType(), u.accountEnabled(),
                u.passwordProfile(), u.lastPasswordChangeDateTime(), u.assignedLicenses(), extra);
    }
}
