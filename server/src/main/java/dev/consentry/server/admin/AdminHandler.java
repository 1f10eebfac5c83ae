package dev.consentry.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.directory.DirectoryJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * {@code /consentry/admin/*}: the running server's side of {@link Administration}, which the {@code consentry} commands
 * call when a server runs on their data dir. Only callers on this machine with the server's admin credential
 * ({@code Authorization: Bearer} the token of {@link ServerFile}) are served; anyone else gets 401 (another machine 403).
 *
 * <pre>
 * POST /consentry/admin/tenants          a tenant file            {"imported":n}
 * GET  /consentry/admin/tenants?tenant=  -                        a tenant file
 * GET  /consentry/admin/keys             -                        [{"kid","status","createdAt"}]
 * POST /consentry/admin/keys/rotate      -                        {"primaryKeyId"}
 * POST /consentry/admin/grants           {"tenant","app",...}     a GrantResult
 * POST /consentry/admin/consents         {"tenant","app",...}     a ConsentResult
 * GET  /consentry/admin/permission-use?app=&amp;tenant=   -       a PermissionUse
 * </pre>
 *
 * Refusals: the {@link Administration.AdminRefusal}'s status with {@code {"error":{"code","message"}}}.
 */
public final class AdminHandler {
    private static final ObjectMapper JSON = DirectoryJson.mapper();
    private final Administration admin;
    private final byte[] token;

    public AdminHandler(Administration admin, String token) {
        this.admin = admin;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
    }

    public void importTenants(Context ctx) throws IOException {
        if (allowed(ctx)) {
            byte[] file = ctx.bodyInputStream().readAllBytes();
            answer(ctx, () -> Map.of("imported", admin.importTenants(file, "the tenant file"), "store", admin.where()));
        }
    }

    public void exportTenants(Context ctx) {
        if (allowed(ctx)) {
            try {
                byte[] file = admin.exportTenants(ctx.queryParams("tenant"));
                ctx.status(200).contentType("application/json").result(file);
            } catch (Administration.AdminRefusal r) {
                refuse(ctx, r);
            }
        }
    }

    public void keys(Context ctx) {
        if (allowed(ctx)) {
            answer(ctx, admin::keys);
        }
    }

    public void rotateKey(Context ctx) {
        if (allowed(ctx)) {
            answer(ctx, () -> Map.of("primaryKeyId", admin.rotateKey()));
        }
    }

    public void grant(Context ctx) {
        if (allowed(ctx)) {
            read(ctx, Administration.GrantRequest.class, "grant")
                    .filter(r -> r.app() != null && r.permission() != null || refused(ctx, "a grant names an app and a permission"))
                    .ifPresent(r -> answer(ctx, () -> admin.grant(r)));
        }
    }

    public void consent(Context ctx) {
        if (allowed(ctx)) {
            read(ctx, Administration.ConsentRequest.class, "consent")
                    .filter(r -> r.app() != null || refused(ctx, "a consent names an app"))
                    .ifPresent(r -> answer(ctx, () -> admin.consent(r)));
        }
    }

    public void permissionUse(Context ctx) {
        if (allowed(ctx)) {
            answer(ctx, () -> admin.permissionUse(ctx.queryParam("tenant"), ctx.queryParam("app")));
        }
    }

    /** The JSON body as {@code type}; empty (and a 400 answered) when it is not one. */
    private static <T> java.util.Optional<T> read(Context ctx, Class<T> type, String what) {
        try {
            T value = JSON.readValue(ctx.bodyInputStream(), type);
            if (value != null) {
                return java.util.Optional.of(value);
            }
            refused(ctx, "the " + what + " request is not the JSON object expected");
            return java.util.Optional.empty();
        } catch (IOException e) {
            refused(ctx, "the " + what + " request is not the JSON object expected");
            return java.util.Optional.empty();
        }
    }

    /** Answers 400 with {@code message}; false, so that it ends a filter. */
    private static boolean refused(Context ctx, String message) {
        refuse(ctx, new Administration.AdminRefusal(400, message));
        return false;
    }

    private void answer(Context ctx, java.util.function.Supplier<Object> work) {
        try {
            Object body = work.get();
            ctx.status(200).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (Administration.AdminRefusal r) {
            refuse(ctx, r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean allowed(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        if (!loopback(ctx.req().getRemoteAddr())) {
            refuse(ctx, new Administration.AdminRefusal(403, "the admin API answers only on this machine"));
            return false;
        }
        String header = ctx.header("Authorization");
        if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.US_ASCII), token)) {
            refuse(ctx, new Administration.AdminRefusal(401, "the admin credential is missing or not this server's "
                    + "(it is in server.json of the data dir, and changes at every start)"));
            return false;
        }
        return true;
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void refuse(Context ctx, Administration.AdminRefusal r) {
        try {
            ctx.status(r.status()).contentType("application/json").result(JSON.writeValueAsBytes(
                    Map.of("error", Map.of("code", r.status() == 404 ? "not_found" : r.status() == 401
                            ? "unauthorized" : r.status() == 403 ? "forbidden" : "refused", "message", r.getMessage()))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
