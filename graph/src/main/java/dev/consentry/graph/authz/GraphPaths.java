package dev.consentry.graph.authz;

import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.store.Store;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reading a Graph request path: without its version prefix, whether it is the signed-in user's
 * ({@code /me}), and which user it names ({@code /users/{id or user principal name}/...}).
 */
public final class GraphPaths {
    private static final Pattern VERSION = Pattern.compile("^/(v1\\.0|beta)(?=/|$)", Pattern.CASE_INSENSITIVE);

    private GraphPaths() {}

    /** {@code /v1.0/me/messages} as {@code /me/messages}; a path without a version prefix is returned as it is. */
    public static String withoutVersion(String path) {
        return VERSION.matcher(path).replaceFirst("");
    }

    /** {@code /me} and everything under it, in either version. */
    public static boolean isMe(String path) {
        String p = withoutVersion(path).toLowerCase(Locale.ROOT);
        return p.equals("/me") || p.startsWith("/me/") || p.startsWith("/me?");
    }

    /** The user a {@code /users/{user}/...} path names, percent-decoded; empty for any other path. */
    public static Optional<String> namedUser(String path) {
        String[] segments = withoutVersion(path).split("/");
        return segments.length > 2 && segments[1].equalsIgnoreCase("users")
                ? Optional.of(URLDecoder.decode(segments[2], StandardCharsets.UTF_8)) : Optional.empty();
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
