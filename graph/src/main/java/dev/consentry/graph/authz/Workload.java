package dev.consentry.graph.authz;

import dev.consentry.core.permission.GraphPath;
import java.util.Locale;

/**
 * The Microsoft 365 service behind a Graph path, which decides the licence a user needs and the code of an
 * access-denied answer (wire spec, section 6.2: {@code Authorization_RequestDenied} for directory APIs,
 * {@code ErrorAccessDenied} for mail and calendar, {@code accessDenied} for files).
 */
public enum Workload {
    DIRECTORY("Authorization_RequestDenied", null),
    EXCHANGE("ErrorAccessDenied", "EXCHANGE_S_"),
    FILES("accessDenied", "SHAREPOINT");

    private final String deniedCode;
    private final String servicePlanPrefix;

    Workload(String deniedCode, String servicePlanPrefix) {
        this.deniedCode = deniedCode;
        this.servicePlanPrefix = servicePlanPrefix;
    }

    /** Graph's {@code error.code} when this service refuses access. */
    public String deniedCode() {
        return deniedCode;
    }

    /** The prefix of the service plan names that serve this workload; null when no licence is needed. */
    public String servicePlanPrefix() {
        return servicePlanPrefix;
    }

    /** The workload of a request path ({@code /v1.0/me/messages}, {@code /beta/users/{id}/drive/...}). */
    public static Workload of(String path) {
        return of(GraphPath.parse(path));
    }

    /** The workload of a parsed request path. */
    public static Workload of(GraphPath path) {
        String p = path.relative().toLowerCase(Locale.ROOT);
        String rest;
        if (p.startsWith("/me/")) {
            rest = p.substring(3);
        } else if (p.startsWith("/users/")) {
            int slash = p.indexOf('/', 7);
            rest = slash < 0 ? "" : p.substring(slash);
        } else {
            rest = null;
        }
        if (p.startsWith("/drives/") || p.equals("/drives") || p.startsWith("/sites/") || p.equals("/sites")
                || (rest != null && (rest.equals("/drive") || rest.startsWith("/drive/") || rest.startsWith("/drives")))) {
            return FILES;
        }
        if (rest != null) {
            for (String mail : new String[] {"/messages", "/mailfolders", "/sendmail", "/events", "/calendar", "/calendars",
                    "/calendarview", "/contacts", "/contactfolders", "/mailboxsettings"}) {
                if (rest.equals(mail) || rest.startsWith(mail + "/") || rest.startsWith(mail + "(")) {
                    return EXCHANGE;
                }
            }
        }
        return DIRECTORY;
    }
}
