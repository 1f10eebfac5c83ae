package dev.consentry.store;

/**
 * Consentry's durable state, one store interface per aggregate.
 *
 * <p>Guaranteed by every implementation (checked by {@code StoreContract} in the tests):
 * <ul>
 *   <li>each method is atomic: a failure or a crash leaves the old or the new state, never a mix;</li>
 *   <li>a write returns only once it is durable (for the JDBC store: committed and synced to disk),
 *       so a process killed right after an answer loses nothing; the one exception is {@link #traces()},
 *       written behind the request;</li>
 *   <li>lookups by id, app id, domain and user principal name are case-insensitive where Entra's are;</li>
 *   <li>returned values are immutable snapshots; changing the store later does not change them.</li>
 * </ul>
 */
public interface Store extends AutoCloseable {

    TenantStore tenants();

    UserStore users();

    GroupStore groups();

    ApplicationStore applications();

    ServicePrincipalStore servicePrincipals();

    AppRoleAssignmentStore appRoleAssignments();

    PermissionGrantStore permissionGrants();

    RoleAssignmentStore roleAssignments();

    SubscribedSkuStore subscribedSkus();

    ConditionalAccessPolicyStore conditionalAccessPolicies();

    AppConsentRequestStore appConsentRequests();

    /** Users' registered authenticator apps, with their shared secrets. */
    SoftwareOathMethodStore softwareOathMethods();

    /** Conditional access's named locations. */
    NamedLocationStore namedLocations();

    /** Devices registered in the directory. */
    DeviceStore devices();

    /** The tenant's authentication contexts. */
    AuthenticationContextStore authenticationContexts();

    SigningKeyStore signingKeys();

    LocalAuthorityStore localAuthority();

    AssertionReplayStore assertionReplay();

    /** Failed attempts and the smart lockout they set. */
    LockoutStore lockouts();

    RefreshTokenStore refreshTokens();

    AuthorizationCodeStore authorizationCodes();

    SignInSessionStore signInSessions();

    DeviceCodeStore deviceCodes();

    /** Users' mail, calendar and files. */
    WorkloadStore workload();

    /** Announces committed changes to the directory and the signing keys, and what callers publish. */
    StoreEvents events();

    /** What was decided for each recent request; written behind, the one exception to durability (see there). */
    TraceStore traces();

    /** Each tenant's directory audit log: consents, grants, revocations and app changes. */
    AuditStore audit();

    /** Each tenant's sign-in log: every token issued to a user or refused for one. */
    SignInLogStore signIns();

    /** A short name for logs and {@code serve}'s banner, e.g. "in-memory" or "H2 file ./.consentry/consentry". */
    String description();

    @Override
    void close();
}
