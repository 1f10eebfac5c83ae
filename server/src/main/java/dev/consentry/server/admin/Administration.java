package dev.consentry.server.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What {@code consentry} commands ask of a data dir: import and export tenants, rotate and list signing keys, grant a
 * permission. Two implementations answer alike: {@link StoreAdministration} works on a store (the running server's
 * own, or one a command opened because no server runs on it), and the CLI's remote one asks the running server over
 * HTTPS ({@link AdminHandler}), so a change is live at once: the store's change feed refreshes every cache and the next
 * token reflects it.
 *
 * <p>Every method either does all it says or nothing, and refuses bad input with an {@link AdminRefusal} whose message
 * is one line that names what to change.
 */
public interface Administration extends AutoCloseable {

    /** Where the change goes, for the one line a command prints ("H2 file .consentry/consentry.mv.db", a server URL). */
    String where();

    /**
     * Validates a tenant file ({@code docs/tenant-file.md}) and replaces each of its tenants, as a whole; a refused file
     * changes nothing. Returns how many tenants were imported.
     */
    int importTenants(byte[] tenantFile, String source);

    /** The tenants named (all but the consumers tenant when none is named) as a tenant file: secrets as hint and hash. */
    byte[] exportTenants(List<String> tenants);

    /** Makes a new primary signing key; the previous ones stay published and accepted. Returns the new key id. */
    String rotateKey();

    /** The signing keys, primary first. */
    List<KeyInfo> keys();

    /**
     * Grants {@code request}'s permission to an application as an administrator does in the portal ("Add a permission"
     * then "Grant admin consent"): the permission joins the registration's {@code requiredResourceAccess}, and an
     * application permission becomes an app role assignment to the client's service principal, a delegated one a part
     * of the client's {@code AllPrincipals} grant for the resource. Nothing changes for what is already there.
     */
    GrantResult grant(GrantRequest request);

    /**
     * The portal's "Grant admin consent" (or, with {@code revoke}, "Revoke admin consent") for everything the
     * registration's {@code requiredResourceAccess} requests: each application permission as an app role assignment,
     * each delegated one in the client's {@code AllPrincipals} grant for its resource. Revoking removes exactly those
     * (a grant left without scopes is deleted); grants users gave for themselves ({@code Principal}) are kept.
     * A requested permission whose resource has no service principal in the tenant, or which the resource does not
     * define, is refused before anything changes.
     */
    ConsentResult consent(ConsentRequest request);

    /**
     * The recorded decision whose request, trace or correlation id (newest first) is {@code id}, as the diagnostics
     * API's JSON; empty when none is kept. A running Consentry also holds its allowed requests; the store alone holds
     * the refusals.
     */
    java.util.Optional<String> diagnosis(String id);

    /**
     * What an app does with its Microsoft Graph permissions: the Graph calls it made that this data dir still records
     * (grouped by method, path and the scheme of the token), and the Graph permissions its registration requests and
     * its service principal holds in the tenant, by type. A running Consentry adds the allowed calls it keeps in memory
     * ({@code serve --recent-decisions}); the store alone keeps only the refusals ({@link PermissionUse#includesAllowed}).
     *
     * @param tenant the tenant's id or domain; null for the only one
     * @param app the application's client id or display name
     */
    PermissionUse permissionUse(String tenant, String app);

    @Override
    void close();

    /**
     * Admin consent for an app's requested permissions.
     *
     * @param delegated include the delegated permissions
     * @param application include the application permissions
     * @param revoke remove instead of grant
     */
    record ConsentRequest(String tenant, String app, Boolean delegated, Boolean application, Boolean revoke) {
        /** Left out: both kinds, granted. */
        public ConsentRequest {
            delegated = delegated == null || delegated;
            application = application == null || application;
            revoke = revoke != null && revoke;
        }
    }

    /** What a consent did: one line per requested permission. */
    record ConsentResult(String tenantId, String appId, String appName, boolean revoked, List<ConsentLine> permissions) {}

    /**
     * One requested permission.
     *
     * @param changed false when it was already granted (or, revoking, not granted)
     */
    record ConsentLine(String resourceName, String permission, String type, UUID permissionId, boolean changed) {}

    /** One signing key. */
    record KeyInfo(String kid, String status, Instant createdAt) {}

    /**
     * A permission to grant.
     *
     * @param tenant the tenant's id or one of its domains
     * @param app the client's application (client) id or display name
     * @param resource the resource's app id, identifier URI or display name; null for Microsoft Graph
     * @param permission the permission's name ({@code User.Read.All}) or id
     * @param type {@code application} or {@code delegated}; null when the permission has only one of the two
     */
    record GrantRequest(String tenant, String app, String resource, String permission, String type) {}

    /**
     * What a grant did.
     *
     * @param addedToRegistration false when the registration already requested the permission
     * @param newlyGranted false when the permission was already granted (then nothing changed)
     */
    record GrantResult(String tenantId, String appId, String appName, String resourceAppId, String resourceName,
                       String permission, String type, UUID permissionId, boolean addedToRegistration, boolean newlyGranted) {}

    /**
     * An app's use of Microsoft Graph permissions ({@link #permissionUse}).
     *
     * @param includesAllowed whether {@code calls} include allowed calls (a running server's memory) or only refusals
     * @param calls the recorded Graph calls, most made first
     * @param requested the permission names the registration requests, under {@code delegated} and {@code application}
     * @param held the permission names granted in the tenant (consent grants, app role assignments), the same way
     */
    record PermissionUse(String tenantId, String appId, String appName, boolean includesAllowed, List<RecordedCall> calls,
                         Map<String, List<String>> requested, Map<String, List<String>> held) {}

    /**
     * Calls of one kind.
     *
     * @param path the request path ({@code /v1.0/users/…})
     * @param scheme the token's scheme as the decision read it ({@code DelegatedWork}, {@code DelegatedPersonal},
     *     {@code Application}); null when the refusal came before the token was read that far
     */
    record RecordedCall(String method, String path, String scheme, int allowed, int refused) {}

    /** A request the administration refuses: one line for the person who made it. */
    final class AdminRefusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public AdminRefusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        /** The HTTP status that carries it: 400 for bad input, 404 for something that does not exist. */
        public int status() {
            return status;
        }
    }
}
