package dev.consentry.identity.user;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.directory.User;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.store.Store;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a user's name and password (the resource owner password credentials grant now, the sign-in
 * page later). A user belongs to one home tenant: on {@code common} and {@code organizations} the
 * user principal name's domain names it; on a specific tenant the user must be one of its users.
 *
 * <p>The password is checked before the account state, so a wrong password never tells whether an
 * account is disabled.
 */
public final class UserAuthenticator {
    private final Store store;

    public UserAuthenticator(Store store) {
        this.store = store;
    }

    /** A user with the tenant it belongs to. */
    public record AuthenticatedUser(Tenant tenant, User user) {}

    public AuthenticatedUser authenticate(TenantPath path, String username, String password) {
        Optional<Tenant> tenant = switch (path) {
            case TenantPath.Specific s -> Optional.of(s.tenant());
            case TenantPath.Audience a -> domainOf(username).flatMap(d -> store.tenants().findByDomain(d));
        };
        String tenantName = tenant.map(t -> t.id().toString()).orElse(path.pathValue());
        User user = tenant.flatMap(t -> store.users().findByUserPrincipalName(t.id(), username)).orElseThrow(() ->
                Failure.of(Cause.USER_NOT_FOUND, "tenant", tenantName, "username", username).toException());
        String hash = user.passwordProfile() == null ? null : user.passwordProfile().passwordHash();
        if (!SecretHasher.verify(password, hash)) {
            throw Failure.of(Cause.PASSWORD_INVALID, "username", username).toException();
        }
        if (!user.enabled()) {
            throw Failure.of(Cause.USER_DISABLED, "username", username).toException();
        }
        return new AuthenticatedUser(tenant.get(), user);
    }

    private static Optional<String> domainOf(String username) {
        int at = username.lastIndexOf('@');
        return at < 0 || at == username.length() - 1 ? Optional.empty()
                : Optional.of(username.substring(at + 1).toLowerCase(Locale.ROOT));
    }
}
