package dev.consentry.server.explain;

import dev.consentry.identity.token.TokenView;
import java.util.List;
import java.util.Set;

/**
 * Who may read {@code /consentry/diagnostics} and its pages. A decision shows directory facts (users, apps, grants) and
 * its id is the request id the caller was answered with, so by default only callers on this machine read them, or a
 * caller that shows a Microsoft Graph token of this instance with the right to read sign-in logs: a user with one of
 * {@link #SIGN_IN_LOG_READER_ROLES} (in {@code wids}), or an app with {@code AuditLog.Read.All} (in {@code roles}).
 * A server reachable from other machines asks every caller for such a token, since a local proxy makes remote callers
 * look local.
 */
public enum DiagnosticsAccess {
    /** {@code serve --diagnostics-from-anywhere}: every caller. */
    ANYONE,
    /** The default on a loopback-only server: callers on this machine, and callers with a reader's token. */
    THIS_MACHINE_OR_TOKEN,
    /** A server bound beyond loopback: only callers with a reader's token. */
    TOKEN;

    /**
     * The built-in roles whose holders Entra lets read the sign-in logs (role template ids): Reports Reader, Security
     * Reader, Security Operator, Security Administrator, Global Reader and Global Administrator.
     */
    public static final Set<String> SIGN_IN_LOG_READER_ROLES = Set.of("4a5d8f65-41da-4de4-8968-e035b65339cf",
            "5d6b6bb7-de71-4623-b4af-96380a352509", "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f",
            "194ae4cb-b126-40b2-bd5b-6091b380977d", "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
            "62e90394-69f5-4237-9190-012177145e10");
    /** The application permission that reads the sign-in logs. */
    public static final String SIGN_IN_LOG_PERMISSION = "AuditLog.Read.All";

    /** Whether a verified Graph token of this instance may read diagnostics. */
    public static boolean mayRead(TokenView token) {
        if (token.appOnly()) {
            return token.roles().contains(SIGN_IN_LOG_PERMISSION);
        }
        Object wids = token.claims().getClaim("wids");
        return wids instanceof List<?> ids && ids.stream().anyMatch(id -> SIGN_IN_LOG_READER_ROLES.contains(String.valueOf(id)));
    }
}
