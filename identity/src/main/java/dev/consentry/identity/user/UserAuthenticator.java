package dev.consentry.identity.user;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.TenantSettings;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.identity.secret.VerifiedSecrets;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.store.Store;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds users by name and checks their passwords, for the password grant and the sign-in page alike.
 *
 * <p>A user belongs to one home tenant. Through a tenant's own authority its users are found first, then
 * users of other tenants by the domain of their name (to be refused with AADSTS50020 once authenticated,
 * as Entra does); through {@code common} and {@code organizations} the domain of the user principal name names the
 * tenant; personal Microsoft accounts are users of the consumers tenant, found through {@code common} and
 * {@code consumers} (and, to be refused with the right cause, through {@code organizations}).
 *
 * <p>The password is checked before the account state, so a wrong password never tells whether an
 * account is disabled or its password expired.
 */
public final class UserAuthenticator {
    /**
     * Passwords that matched their stored hash in this process, as HMACs under a key of this process (never the
     * passwords): a repeated sign-in costs one HMAC instead of PBKDF2 at {@link SecretHasher#DEFAULT_ITERATIONS}. Keyed
     * by the stored hash too, so a changed password stops matching at once; shared by every authenticator of the process.
     */
    private static final VerifiedSecrets PASSWORDS = new VerifiedSecrets();
    private final Store store;

    public UserAuthenticator(Store store) {
        this.store = store;
    }

    /** A user with the tenant it belongs to. */
    public record AuthenticatedUser(Tenant tenant, User user) {}

    /** The user named {@code username} as seen through {@code path}; refuses with AADSTS50034 when there is none. */
    public AuthenticatedUser find(TenantPath path, String username) {
        // Through /consumers a work account is still found by its domain, so that SignInRules can say why it is
        // refused (a work account on a personal-accounts authority) instead of claiming it does not exist.
        Optional<Tenant> byDomain = switch (path) {
            case TenantPath.Specific s -> Optional.of(s.tenant());
            case TenantPath.Audience a -> domainOf(username).flatMap(d -> store.tenants().findByDomain(d));
        };
        Optional<AuthenticatedUser> found = byDomain.flatMap(t -> store.users().findByUserPrincipalName(t.id(), username)
                .map(u -> new AuthenticatedUser(t, u)));
        if (found.isEmpty() && path instanceof TenantPath.Specific) {
            // A user of another tenant authenticates at home; SignInRules then refuses the tenant (AADSTS50020).
            found = domainOf(username).flatMap(d -> store.tenants().findByDomain(d)).flatMap(t ->
                    store.users().findByUserPrincipalName(t.id(), username).map(u -> new AuthenticatedUser(t, u)));
        }
        if (found.isEmpty() && path instanceof TenantPath.Audience) {
            found = store.tenants().find(WellKnown.CONSUMERS_TENANT_ID).flatMap(t ->
                    store.users().findByUserPrincipalName(t.id(), username).map(u -> new AuthenticatedUser(t, u)));
        }
        String tenantName = byDomain.map(t -> t.id().toString()).orElse(path.pathValue());
        return found.orElseThrow(() ->
                Failure.of(Cause.USER_NOT_FOUND, "tenant", tenantName, "username", username).toException());
    }

    /**
     * Checks the password under smart lockout, then the account's state. Wrong passwords for one user from one client
     * address are counted; the tenant's threshold of them in a row locks that user out from that address for the
     * tenant's duration (longer for each lock that follows), during which every password is refused with AADSTS50053,
     * the right one too, as Entra refuses it. Other addresses are not locked, so one attacker cannot lock a user out
     * everywhere; a right password forgets the count.
     */
    public AuthenticatedUser authenticate(TenantPath path, String username, String password, InetAddress from, Instant now) {
        AuthenticatedUser found = find(path, username);
        User user = found.user();
        TenantSettings.SmartLockout policy = found.tenant().settings().smartLockout();
        String key = "password:" + found.tenant().id() + ":" + user.id() + ":" + (from == null ? "unknown" : from.getHostAddress());
        Optional<Instant> locked = store.lockouts().lockedUntil(key, now);
        if (locked.isPresent()) {
            throw locked(user, policy, from, locked.get());
        }
        String hash = user.passwordProfile() == null ? null : user.passwordProfile().passwordHash();
        if (!PASSWORDS.verify(password, hash)) {
            Optional<Instant> lock = store.lockouts().failed(key, policy.threshold(), policy.duration(), now);
            if (lock.isPresent()) {
                throw locked(user, policy, from, lock.get());
            }
            throw Failure.of(Cause.PASSWORD_INVALID, "username", username).toException();
        }
        store.lockouts().succeeded(key, now);
        checkState(user);
        return new AuthenticatedUser(found.tenant(), upgraded(found, password, hash));
    }

    /**
     * The user with their password hashed again at today's cost when the stored hash is cheaper, stored before the
     * sign-in goes on ({@link VerifiedSecrets#upgrade}: once at a time, only over the hash that was verified).
     */
    private User upgraded(AuthenticatedUser found, String password, String hash) {
        TenantId tenant = found.tenant().id();
        return PASSWORDS.upgrade("user:" + tenant + ":" + found.user().id(), hash, password, stronger ->
                store.users().find(tenant, found.user().id())
                        .filter(now -> now.passwordProfile() != null && hash.equals(now.passwordProfile().passwordHash()))
                        .map(now -> {
                            User user = now.withPasswordHash(stronger);
                            store.users().save(tenant, user);
                            return user;
                        })).orElse(found.user());
    }

    private static RuntimeException locked(User user, TenantSettings.SmartLockout policy, InetAddress from, Instant until) {
        return Failure.of(Cause.PASSWORD_LOCKOUT, "username", user.userPrincipalName(), "address",
                from == null ? "an unknown address" : from.getHostAddress(), "threshold", Integer.toString(policy.threshold()),
                "until", until.toString()).toException();
    }

    /** Refuses a disabled account or one that must change its password; also used for single sign-on. */
    public static void checkState(User user) {
        if (!user.enabled()) {
            throw Failure.of(Cause.USER_DISABLED, "username", user.userPrincipalName()).toException();
        }
        if (user.passwordProfile() != null && Boolean.TRUE.equals(user.passwordProfile().forceChangePasswordNextSignIn())) {
            throw Failure.of(Cause.PASSWORD_EXPIRED, "username", user.userPrincipalName()).toException();
        }
    }

    private static Optional<String> domainOf(String username) {
        int at = username.lastIndexOf('@');
        return at < 0 || at == username.length() - 1 ? Optional.empty()
                : Optional.of(username.substring(at + 1).toLowerCase(Locale.ROOT));
    }
}
