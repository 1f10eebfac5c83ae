package dev.consentry.cli;

import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.core.permission.DirectoryRoleCatalogue;
import dev.consentry.core.permission.GraphPermission;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.tenantfile.DemoTenant;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code serve} tells a newcomer about the demo tenant: each app with its client id, its kind and what it may do
 * (its granted permissions), each user with their directory roles, and the clear credentials made for this data dir.
 */
final class DemoSummary {
    private static final GraphPermissionCatalogue GRAPH = GraphPermissionCatalogue.builtin();

    private DemoSummary() {}

    /** An app: {@code type} is daemon, web app, single-page app, public client or API. */
    record AppLine(String name, String clientId, String type, String mayDo, String secret) {}

    /** A user, their directory roles ("no admin role" when none) and password. */
    record UserLine(String userPrincipalName, String displayName, String roles, String password) {}

    /** The banner's lines: none when there are no demo credentials to show. */
    record Lines(List<AppLine> apps, List<UserLine> users) {}

    /** The demo tenant's apps and users with the credentials made for them; empty without credentials. */
    static Lines forBanner(Store store, List<Banner.DemoCredentials> credentials) {
        Optional<TenantDirectory> demo = credentials.isEmpty() ? Optional.empty() : store.tenants().export(DemoTenant.TENANT);
        return demo.map(d -> new Lines(apps(d, credentials), users(d, credentials))).orElse(new Lines(List.of(), List.of()));
    }

    static List<AppLine> apps(TenantDirectory d, List<Banner.DemoCredentials> credentials) {
        Map<String, ServicePrincipal> byId = d.servicePrincipals().stream()
                .collect(Collectors.toMap(sp -> sp.id().toString(), Function.identity(), (a, b) -> a));
        List<AppLine> lines = new ArrayList<>();
        for (Application app : d.applications()) {
            Optional<ServicePrincipal> sp = d.servicePrincipals().stream().filter(s -> s.appId().equals(app.appId())).findFirst();
            List<String> may = new ArrayList<>();
            sp.ifPresent(client -> {
                for (AppRoleAssignment a : d.appRoleAssignments()) {
                    if (a.principalId().equals(client.id()) && byId.containsKey(a.resourceId().toString())) {
                        ServicePrincipal resource = byId.get(a.resourceId().toString());
                        // Microsoft Graph's roles come from the built-in catalogue, not from its stored service principal.
                        resource.appRoles().stream().filter(r -> r.id().equals(a.appRoleId())).map(AppRole::value).findFirst()
                                .or(() -> GRAPH.byId(a.appRoleId()).map(GraphPermission::name))
                                .ifPresent(role -> may.add(role + " (application" + of(resource) + ")"));
                    }
                }
                for (OAuth2PermissionGrant g : d.oauth2PermissionGrants()) {
                    if (g.clientId().equals(client.id()) && byId.containsKey(g.resourceId().toString())) {
                        ServicePrincipal resource = byId.get(g.resourceId().toString());
                        g.scopes().stream().filter(s -> !List.of("openid", "profile", "email", "offline_access").contains(s))
                                .forEach(s -> may.add(s + " (delegated" + of(resource) + ")"));
                    }
                }
            });
            String secret = credentials.stream().filter(c -> c.id().equalsIgnoreCase(app.appId().toString()))
                    .map(Banner.DemoCredentials::secret).findFirst().orElse(null);
            lines.add(new AppLine(app.displayName(), app.appId().toString(), type(app),
                    may.isEmpty() ? (exposesPermissions(app) ? "defines permissions for other apps" : "no permission granted")
                            : String.join(", ", may), secret));
        }
        return lines;
    }

    static List<UserLine> users(TenantDirectory d, List<Banner.DemoCredentials> credentials) {
        DirectoryRoleCatalogue roles = DirectoryRoleCatalogue.builtin();
        List<UserLine> lines = new ArrayList<>();
        for (User u : d.users()) {
            List<String> held = d.roleAssignments().stream().filter(r -> r.principalId().equals(u.id()))
                    .map(r -> roles.byId(r.roleDefinitionId()).map(DirectoryRoleCatalogue.DirectoryRole::displayName)
                            .orElse(r.roleDefinitionId()))
                    .toList();
            String password = credentials.stream().filter(c -> c.id().equalsIgnoreCase(u.userPrincipalName()))
                    .map(Banner.DemoCredentials::secret).findFirst().orElse(null);
            String state = u.enabled() ? "" : ", sign-in blocked";
            lines.add(new UserLine(u.userPrincipalName(), u.displayName(),
                    (held.isEmpty() ? "no admin role" : String.join(", ", held)) + state, password));
        }
        return lines;
    }

    /** The kind of client a registration makes, as the portal's platforms and "Expose an API" tell it. */
    static String type(Application app) {
        if (app.spa() != null && !app.spa().redirectUris().isEmpty()) {
            return "single-page app";
        }
        if (app.publicClient() != null && !app.publicClient().redirectUris().isEmpty()
                || Boolean.TRUE.equals(app.isFallbackPublicClient())) {
            return "public client";
        }
        if (app.web() != null && !app.web().redirectUris().isEmpty()) {
            return "web app";
        }
        if (exposesPermissions(app)) {
            return "API";
        }
        return app.passwordCredentials().isEmpty() && app.keyCredentials().isEmpty() ? "app" : "daemon";
    }

    private static boolean exposesPermissions(Application app) {
        return !app.appRoles().isEmpty() || app.api() != null && !app.api().oauth2PermissionScopes().isEmpty();
    }

    private static String of(ServicePrincipal resource) {
        return resource.displayName() == null || resource.displayName().equals("Microsoft Graph") ? "" : ", " + resource.displayName();
    }
}
