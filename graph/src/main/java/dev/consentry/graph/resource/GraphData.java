package dev.consentry.graph.resource;

import dev.consentry.core.secret.SecretHasher;
import dev.consentry.store.Store;
import java.util.Optional;

/**
 * The Graph data Consentry serves, reached only after the authorization engine allowed the call. A route it
 * does not serve answers empty, and the transport answers {@code 501 notImplemented} naming the route
 * (authorization covers all of Graph; data only these routes).
 *
 * <p>Served: {@link UserResources} (users, {@code /me}, password reset), {@link AuthenticationMethodResources} (the
 * methods list and authenticator apps) and
 * {@link DirectoryResources} (organization, applications, service principals, subscribed SKUs, memberships,
 * licences, sign-in session revocation), {@link ApplicationResources} (creating, changing and deleting applications
 * and service principals, client secrets, certificates), {@link OwnerResources} (their owners), {@link GrantResources} (app role assignments and delegated permission
 * grants), {@link GroupResources}, {@link RoleResources} and {@link WorkloadResources} (messages and
 * sendMail, events, the drive's root and children), {@link ConditionalAccessResources} (conditional access policies),
 * {@link NamedLocationResources}, {@link AuthenticationContextResources}, {@link DeviceResources} and
 * {@link AuditLogResources} (the directory audit log and the sign-in log).
 */
public final class GraphData {
    private final UserResources users;
    private final DirectoryResources directory;
    private final GroupResources groups;
    private final RoleResources roles;
    private final WorkloadResources workload;
    private final ApplicationResources applications;
    private final OwnerResources owners;
    private final GrantResources grants;
    private final PolicyResources policies;
    private final ConsentRequestResources consentRequests;
    private final ClassificationResources classifications;
    private final ConditionalAccessResources conditionalAccess;
    private final AuthenticationMethodResources authenticationMethods;
    private final NamedLocationResources namedLocations;
    private final AuthenticationContextResources authenticationContexts;
    private final DeviceResources devices;
    private final AuditLogResources auditLogs;

    public GraphData(Store store) {
        this(store, SecretHasher.standard());
    }

    /** With {@code hasher} for passwords set through Graph (tests use a cheaper one). */
    public GraphData(Store store, SecretHasher hasher) {
        DirectoryRows rows = new DirectoryRows(store);
        this.users = new UserResources(store, rows, hasher);
        this.directory = new DirectoryResources(store, rows);
        this.groups = new GroupResources(store, rows);
        this.roles = new RoleResources(store, rows);
        this.workload = new WorkloadResources(store, rows);
        this.applications = new ApplicationResources(store, hasher);
        this.owners = new OwnerResources(store, rows);
        this.grants = new GrantResources(store);
        this.policies = new PolicyResources(store);
        this.consentRequests = new ConsentRequestResources(store);
        this.classifications = new ClassificationResources(store);
        this.conditionalAccess = new ConditionalAccessResources(store);
        this.authenticationMethods = new AuthenticationMethodResources(store, rows);
        this.namedLocations = new NamedLocationResources(store);
        this.authenticationContexts = new AuthenticationContextResources(store);
        this.devices = new DeviceResources(store, rows);
        this.auditLogs = new AuditLogResources(store);
    }

    /**
     * The answer of an allowed call, or empty when Consentry does not serve its route. A write's body is first checked
     * against Graph's metadata ({@link BodyShape}), before any resource reads it or the store changes; a refusal is
     * answered whether or not the route is served, as Graph refuses the body of any route.
     */
    public Optional<GraphAnswer> serve(GraphCall call) {
        return switch (BodyShape.check(call)) {
            case BodyShape.Outcome.Refused r -> Optional.of(r.answer());
            case BodyShape.Outcome.Accepted a -> route(call.withBody(a.body()));
            case BodyShape.Outcome.Unchecked u -> route(call);
        };
    }

    private Optional<GraphAnswer> route(GraphCall call) {
        return users.serve(call).or(() -> directory.serve(call)).or(() -> groups.serve(call)).or(() -> roles.serve(call))
                .or(() -> workload.serve(call)).or(() -> owners.serve(call)).or(() -> applications.serve(call))
                .or(() -> grants.serve(call)).or(() -> policies.serve(call))
                .or(() -> consentRequests.serve(call)).or(() -> classifications.serve(call))
                .or(() -> conditionalAccess.serve(call)).or(() -> authenticationMethods.serve(call))
                .or(() -> namedLocations.serve(call)).or(() -> authenticationContexts.serve(call)).or(() -> devices.serve(call))
                .or(() -> auditLogs.serve(call));
    }
}
