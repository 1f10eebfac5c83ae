package dev.consentry.identity.access;

import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import java.util.List;

/**
 * One token issuance as conditional access sees it: who signs in where, to which app for which resource, from which
 * kind of client, with what the sign-in proved.
 *
 * @param client the app that asks (its client id)
 * @param resource the app whose token is asked for (Graph, an API; the client itself for a sign-in only)
 * @param clientAppType Graph's {@code conditionalAccessClientApp} of the request: {@code browser} for the authorize
 *     endpoint and its codes, {@code mobileAppsAndDesktopClients} for the other modern grants
 * @param auth what the sign-in proved ({@code amr} holds {@code mfa} after a second factor)
 * @param deviceCompliant whether the device is known and marked compliant
 * @param deviceDomainJoined whether the device is known and joined (hybrid)
 * @param acrs the authentication context ids the request asks for (the {@code claims} parameter's {@code acrs})
 * @param at when the request is made, against which a policy's sign-in frequency measures {@code auth.authTime()}
 */
public record AccessRequest(TenantId tenant, User user, AppId client, AppId resource, String clientAppType,
                            AuthContext auth, boolean deviceCompliant, boolean deviceDomainJoined, List<String> acrs,
                            java.time.Instant at) {
    public AccessRequest {
        acrs = List.copyOf(acrs);
        java.util.Objects.requireNonNull(at, "at");
    }

    /** A request that asks for no authentication context, made the moment its sign-in was. */
    public AccessRequest(TenantId tenant, User user, AppId client, AppId resource, String clientAppType, AuthContext auth,
                         boolean deviceCompliant, boolean deviceDomainJoined) {
        this(tenant, user, client, resource, clientAppType, auth, deviceCompliant, deviceDomainJoined, List.of(),
                auth.authTime());
    }

    /** This request with {@code auth} in place of what the sign-in proved. */
    public AccessRequest withAuth(AuthContext auth) {
        return new AccessRequest(tenant, user, client, resource, clientAppType, auth, deviceCompliant, deviceDomainJoined, acrs,
                at);
    }

    public static final String BROWSER = "browser";
    public static final String MODERN_CLIENT = "mobileAppsAndDesktopClients";
}
