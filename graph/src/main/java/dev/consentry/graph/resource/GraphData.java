package dev.consentry.graph.resource;

import dev.consentry.core.secret.SecretHasher;
import dev.consentry.store.Store;
import java.util.Optional;

/**
 * The Graph data Consentry serves, reached only after the authorization engine allowed the call. A route it
 * does not serve answers empty, and the transport answers {@code 501 notImplemented} naming the route
 * (authorization covers all of Graph; data only these routes).
 *
 * <p>Served: {@link UserResources} (users, {@code /me}, authentication methods, password reset) and
 * {@link DirectoryResources} (organization, applications, service principals, subscribed SKUs, groups,
 * memberships, directory roles, licences, sign-in session revocation) and {@link WorkloadResources} (messages and
 * sendMail, events, the drive's root and children).
 */
public final class GraphData {
    private final UserResources users;
    private final DirectoryResources directory;
    private final WorkloadResources workload;

    public GraphData(Store store) {
        this(store, SecretHasher.standard());
    }

    /** With {@code hasher} for passwords set through Graph (tests use a cheaper one). */
    public GraphData(Store store, SecretHasher hasher) {
        this.users = new UserResources(store, hasher);
        this.directory = new DirectoryResources(store);
        this.workload = new WorkloadResources(store);
    }

    /** The answer of an allowed call, or empty when Consentry does not serve its route. */
    public Optional<GraphAnswer> serve(GraphCall call) {
        return users.serve(call).or(() -> directory.serve(call)).or(() -> workload.serve(call));
    }
}
