package dev.consentry.graph.authz;

import dev.consentry.core.permission.GraphPath;
import java.util.Locale;

/**
 * The Microsoft 365 service behind a Graph path, which decides the licence a user needs and the code and text of an
 * access-denied answer (wire spec, section 6.2: {@code Authorization_RequestDenied} for directory APIs,
 * {@code ErrorAccessDenied} for mail and calendar, {@code accessDenied} for files; the texts are the services' own,
 * observed-responses.md graph-mail-403, 2019 to 2024, and graph-sharepoint-403, 2020 to 2026).
 */
public enum Workload {
    DIRECTORY("Authorization_RequestDenied", null, null),
    EXCHANGE("ErrorAccessDenied", "Access is denied. Check credentials and try again.", "EXCHANGE_S_"),
    FILES("accessDenied", "Access denied", "SHAREPOINT");

    private final String deniedCode;
    private final String deniedMessage;
    private final String servicePlanPrefix;

    Workload(String deniedCode, String deniedMessage, String servicePlanPrefix) {
        this.deniedCode = deniedCode;
        this.deniedMessage = deniedMessage;
        this.servicePlanPrefix = servicePlanPrefix;
    }

    /** Graph's {@code error.code} when this service refuses access. */
    public String deniedCode() {
        return deniedCode;
    }

    /** The service's own text when it refuses access; null for the directory, whose text is the cause's. */
    public String deniedMessage() {
        return deniedMessage;
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
                || p.equals("/drive") || p.startsWith("/drive/")
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
