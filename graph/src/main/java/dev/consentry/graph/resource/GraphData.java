package dev.consentry.graph.resource;

import dev.consentry.core.secret.SecretHasher;
import dev.consentry.store.Store;
import java.util.Optional;

/**
 * The Graph data Consentry serves, reached only after the authorization engine allowed the call, through one
 * route table ({@link GraphRoutes}) that every resource class declares its routes in. A route it does not serve
 * answers empty, and the transport answers {@code 501 notImplemented} naming the route
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
    private final GraphRoutes routes = new GraphRoutes();

    public GraphData(Store store) {
        this(store, SecretHasher.standard());
    }

    /** With {@code hasher} for passwords set through Graph (tests use a cheaper one). */
    public GraphData(Store store, SecretHasher hasher) {
        DirectoryRows rows = new DirectoryRows(store);
        new UserResources(store, rows, hasher).declare(routes);
        new DirectoryResources(store, rows).declare(routes);
        new GroupResources(store, rows).declare(routes);
        new RoleResources(store, rows).declare(routes);
        new WorkloadResources(store, rows).declare(routes);
        new ApplicationResources(store, hasher).declare(routes);
        new OwnerResources(store, rows).declare(routes);
        new GrantResources(store).declare(routes);
        new PolicyResources(store).declare(routes);
        new ConsentRequestResources(store).declare(routes);
        new ClassificationResources(store).declare(routes);
        new ConditionalAccessResources(store).declare(routes);
        new AuthenticationMethodResources(store, rows).declare(routes);
        new NamedLocationResources(store).declare(routes);
        new AuthenticationContextResources(store).declare(routes);
        new DeviceResources(store, rows).declare(routes);
        new AuditLogResources(store).declare(routes);
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
        return routes.serve(call);
    }

    /** Every route served with data: the dispatch table itself, from which the parity matrix is generated. */
    public java.util.Set<GraphRoutes.Route> routes() {
        return routes.routes();
    }
}
