package dev.consentry.store;

import java.util.List;
import java.util.Objects;

/**
 * A {@link Store} assembled from one part per aggregate, the shape both implementations share: each builds its parts
 * once ({@link Parts}) and this class hands them out, so an implementation states only how its parts are made, how it
 * describes itself and what closing releases. The directory aggregates (tenants, users, groups, applications, service
 * principals, grants, assignments, SKUs, policies) are all served by one {@link KindBackedStore}.
 */
public abstract class AssembledStore implements Store {

    /** The parts of a store, each built once; none is null. */
    protected record Parts(KindBackedStore directory, SigningKeyStore signingKeys, LocalAuthorityStore localAuthority,
                           AssertionReplayStore assertionReplay, LockoutStore lockouts, AuthorizationCodeStore authorizationCodes,
                           DeviceCodeStore deviceCodes, RefreshTokenStore refreshTokens, SignInSessionStore signInSessions,
                           WorkloadStore workload, StoreEvents events, TraceStore traces, AuditStore audit,
                           SignInLogStore signIns) {
        public Parts {
            // List.of refuses a null element: a part left out fails here, not at its first use.
            List.of(directory, signingKeys, localAuthority, assertionReplay, lockouts, authorizationCodes, deviceCodes,
                    refreshTokens, signInSessions, workload, events, traces, audit, signIns);
        }
    }

    private final Parts parts;

    protected AssembledStore(Parts parts) {
        this.parts = Objects.requireNonNull(parts, "parts");
    }

    private KindBackedStore directory() {
        return parts.directory();
    }

    @Override
    public SigningKeyStore signingKeys() {
        return parts.signingKeys();
    }

    @Override
    public LocalAuthorityStore localAuthority() {
        return parts.localAuthority();
    }

    @Override
    public AssertionReplayStore assertionReplay() {
        return parts.assertionReplay();
    }

    @Override
    public LockoutStore lockouts() {
        return parts.lockouts();
    }

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return parts.authorizationCodes();
    }

    @Override
    public DeviceCodeStore deviceCodes() {
        return parts.deviceCodes();
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return parts.refreshTokens();
    }

    @Override
    public SignInSessionStore signInSessions() {
        return parts.signInSessions();
    }

    @Override
    public WorkloadStore workload() {
        return parts.workload();
    }

    @Override
    public StoreEvents events() {
        return parts.events();
    }

    @Override
    public TraceStore traces() {
        return parts.traces();
    }

    @Override
    public AuditStore audit() {
        return parts.audit();
    }

    @Override
    public SignInLogStore signIns() {
        return parts.signIns();
    }

    @Override
    public TenantStore tenants() {
        return directory().tenants();
    }

    @Override
    public UserStore users() {
        return directory().users();
    }

    @Override
    public GroupStore groups() {
        return directory().groups();
    }

    @Override
    public ApplicationStore applications() {
        return directory().applications();
    }

    @Override
    public ServicePrincipalStore servicePrincipals() {
        return directory().servicePrincipals();
    }

    @Override
    public AppRoleAssignmentStore appRoleAssignments() {
        return directory().appRoleAssignments();
    }

    @Override
    public PermissionGrantStore permissionGrants() {
        return directory().permissionGrants();
    }

    @Override
    public RoleAssignmentStore roleAssignments() {
        return directory().roleAssignments();
    }

    @Override
    public SubscribedSkuStore subscribedSkus() {
        return directory().subscribedSkus();
    }

    @Override
    public ConditionalAccessPolicyStore conditionalAccessPolicies() {
        return directory().conditionalAccessPolicies();
    }

    @Override
    public AppConsentRequestStore appConsentRequests() {
        return directory().appConsentRequests();
    }

    @Override
    public SoftwareOathMethodStore softwareOathMethods() {
        return directory().softwareOathMethods();
    }

    @Override
    public NamedLocationStore namedLocations() {
        return directory().namedLocations();
    }

    @Override
    public DeviceStore devices() {
        return directory().devices();
    }

    @Override
    public AuthenticationContextStore authenticationContexts() {
        return directory().authenticationContexts();
    }
}
