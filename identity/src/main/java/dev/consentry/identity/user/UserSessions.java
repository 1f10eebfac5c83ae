package dev.consentry.identity.user;

import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.Store;
import dev.consentry.store.StoreEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * The instant of {@code user}'s last revocation ({@link #VALID_FROM}), read at every continuous access call; empty
     * when there was none or the value is no instant. The text of each instant is read once (reading an ISO-8601
     * instant costs about a microsecond, more than the rest of the check).
     */
    public static Optional<Instant> validFrom(User user) {
        Object v = user.additionalProperties().get(VALID_FROM);
        if (v == null) {
            return Optional.empty();
        }
        String text = v.toString();
        Optional<Instant> known = READ.get(text);
        if (known != null) {
            return known;
        }
        Optional<Instant> read;
        try {
            read = Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            read = Optional.empty();
        }
        if (READ.size() > 10_000) {
            READ.clear();
        }
        READ.put(text, read);
        return read;
    }

    private static final Map<String, Optional<Instant>> READ = new ConcurrentHashMap<>();

    private static User validFrom(User u, Instant now) {
        Map<String, Object> extra = new LinkedHashMap<>(u.additionalProperties());
        extra.put(VALID_FROM, now.toString());
        return new User(u.id(), u.userPrincipalName(), u.displayName(), u.mail(), u.userType(), u.accountEnabled(),
                u.passwordProfile(), u.lastPasswordChangeDateTime(), u.assignedLicenses(), extra);
    }
}
