package dev.consentry.graph.authz;

import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.permission.GraphPath;
import dev.consentry.store.Store;
import java.util.Optional;

/**
 * The users a Graph request path is about, read with the one Graph path parser ({@link GraphPath}): whether it is
 * the signed-in user's ({@code /me}), which user it names ({@code /users/{id or user principal name}/...}), and that
 * user in the store.
 */
public final class GraphPaths {

    private GraphPaths() {}

    /** {@code /me} and everything under it, in either version. */
    public static boolean isMe(String path) {
        return GraphPath.parse(path).isMe();
    }

    /** The user a {@code /users/{user}/...} path names, percent-decoded; empty for any other path. */
    public static Optional<String> namedUser(String path) {
        return GraphPath.parse(path).namedUser();
    }

    /**
     * The user a call is about: the signed-in user ({@code caller}) for {@code /me/...}, else the user a
     * {@code /users/{id or user principal name}/...} path names; empty for an app-only {@code /me}, another path, or a
     * user the tenant does not have.
     */
    public static Optional<User> subject(Store store, TenantId tenant, Optional<ObjectId> caller, String path) {
        if (isMe(path)) {
            return caller.flatMap(id -> store.users().find(tenant, id));
        }
        return namedUser(path).flatMap(name -> findUser(store, tenant, name));
    }

    /** The user of {@code tenant} with that object id or user principal name, as Graph accepts either in a path. */
    public static Optional<User> findUser(Store store, TenantId tenant, String idOrName) {
        return ObjectId.tryParse(idOrName).flatMap(id -> store.users().find(tenant, id))
                .or(() -> store.users().findByUserPrincipalName(tenant, idOrName));
    }
}
