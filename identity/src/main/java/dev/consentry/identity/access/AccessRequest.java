package dev.consentry.identity.access;

import dev.consentry.core.directory.Device;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/**
 * One token issuance as conditional access sees it: who signs in where, to which app for which resource, from which
 * kind of client, with what the sign-in proved, from which device and address.
 *
 * @param client the app that asks (its client id)
 * @param resource the app whose token is asked for (Graph, an API; the client itself for a sign-in only)
 * @param clientAppType Graph's {@code conditionalAccessClientApp} of the request: {@code browser} for the authorize
 *     endpoint and its codes, {@code mobileAppsAndDesktopClients} for the other modern grants
 * @param auth what the sign-in proved ({@code amr} holds {@code mfa} after a second factor)
 * @param device the registered device the sign-in came from; null when none is known
 * @param acrs the authentication context ids the request asks for (the {@code claims} parameter's {@code acrs})
 * @param at when the request is made, against which a policy's sign-in frequency measures {@code auth.authTime()}
 * @param clientAddress the client's address as the server sees it (or as a trusted proxy forwarded it); null when
 *     unknown
 */
public record AccessRequest(TenantId tenant, User user, AppId client, AppId resource, String clientAppType,
                            AuthContext auth, Device device, List<String> acrs, Instant at, InetAddress clientAddress) {
    public static final String BROWSER = "browser";
    public static final String MODERN_CLIENT = "mobileAppsAndDesktopClients";

    public AccessRequest {
        acrs = List.copyOf(acrs);
        java.util.Objects.requireNonNull(at, "at");
    }

    /** A request from no known device or address that asks for no authentication context, made when its sign-in was. */
    public AccessRequest(TenantId tenant, User user, AppId client, AppId resource, String clientAppType, AuthContext auth) {
        this(tenant, user, client, resource, clientAppType, auth, null, List.of(), auth.authTime(), null);
    }

    /** This request with {@code auth} in place of what the sign-in proved. */
    public AccessRequest withAuth(AuthContext auth) {
        return new AccessRequest(tenant, user, client, resource, clientAppType, auth, device, acrs, at, clientAddress);
    }

    /** This request from {@code device}. */
    public AccessRequest withDevice(Device device) {
        return new AccessRequest(tenant, user, client, resource, clientAppType, auth, device, acrs, at, clientAddress);
    }
}
