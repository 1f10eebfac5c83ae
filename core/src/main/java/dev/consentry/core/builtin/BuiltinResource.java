package dev.consentry.core.builtin;

import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.id.AppId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A Microsoft resource that exists in every tenant (Microsoft Graph, Azure AD Graph, Exchange,
 * SharePoint): its app id, the names its service principal answers to, the permissions it exposes and
 * the access-token version it gets (1.0 for all of Microsoft's first-party APIs).
 */
public record BuiltinResource(AppId appId, String displayName, List<String> servicePrincipalNames,
                              List<AppRole> appRoles, List<PermissionScope> oauth2PermissionScopes,
                              int accessTokenVersion, Predicate<String> extraNames) {
    public BuiltinResource {
        Objects.requireNonNull(appId, "appId");
        servicePrincipalNames = List.copyOf(servicePrincipalNames);
        appRoles = List.copyOf(appRoles);
        oauth2PermissionScopes = List.copyOf(oauth2PermissionScopes);
        extraNames = extraNames == null ? n -> false : extraNames;
    }

    /**
     * True when {@code name} (an identifier URI or the app id) names this resource: compared
     * case-insensitively, one trailing slash ignored.
     */
    public boolean matchesName(String name) {
        String wanted = trim(name); // asked on every Graph call (the token's audience): no text is built to compare
        if (AppId.tryParse(wanted).filter(appId::equals).isPresent()) {
            return true;
        }
        for (String n : servicePrincipalNames) {
            if (trim(n).equalsIgnoreCase(wanted)) {
                return true;
            }
        }
        return extraNames.test(wanted.toLowerCase(Locale.ROOT));
    }

    private static String trim(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
