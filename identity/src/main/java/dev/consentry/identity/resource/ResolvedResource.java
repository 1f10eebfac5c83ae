package dev.consentry.identity.resource;

import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.id.AppId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The resource (API) a token is asked for, as seen from one tenant: its service principal there, the
 * permissions it exposes (for a built-in resource, those the tenant lists plus the built-in catalogue),
 * the access-token version it accepts and the audience the token will carry.
 *
 * @param requestedAs the resource identifier as the client wrote it (before {@code /.default})
 * @param v1Audience the {@code aud} of a v1.0 token: the identifier as requested, without a trailing slash
 */
public record ResolvedResource(ServicePrincipal servicePrincipal, AppId appId, String displayName, String requestedAs,
                               String v1Audience, int accessTokenVersion, List<AppRole> appRoles,
                               List<PermissionScope> scopes, boolean builtin) {

    /** The {@code aud} claim for this resource's token version (wire spec, section 4.3). */
    public String audience() {
        return accessTokenVersion == 2 ? appId.toString() : v1Audience;
    }

    /** The enabled app role with that id. */
    public Optional<AppRole> appRole(UUID id) {
        for (AppRole r : appRoles) {
            if (r.id().equals(id) && r.enabled()) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
