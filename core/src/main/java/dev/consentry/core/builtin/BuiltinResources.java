package dev.consentry.core.builtin;

import dev.consentry.core.directory.AppRole;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.id.AppId;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Microsoft resources every tenant has (product brief, section 3): Microsoft Graph, whose permissions
 * come from the built-in catalogue, and Azure AD Graph, Exchange Online and SharePoint Online, for which
 * a small, confirmed subset of their real permissions is listed (enough to mint tokens for them and to
 * reproduce "token for another resource"; the lists are partial on purpose).
 */
public final class BuiltinResources {
    private static final Pattern SHAREPOINT_HOST = Pattern.compile("https://[a-z0-9-]+(-my|-admin)?\\.sharepoint\\.com");
    private static volatile List<BuiltinResource> all;

    private BuiltinResources() {}

    /** Every built-in resource, Microsoft Graph first. */
    public static List<BuiltinResource> all() {
        List<BuiltinResource> a = all;
        if (a == null) {
            synchronized (BuiltinResources.class) {
                a = all;
                if (a == null) {
                    a = List.of(graph(GraphPermissionCatalogue.builtin()), aadGraph(), exchange(), sharePoint());
                    all = a;
                }
            }
        }
        return a;
    }

    /** Microsoft Graph. */
    public static BuiltinResource graph() {
        return all().get(0);
    }

    /** The built-in resource with that app id. */
    public static Optional<BuiltinResource> find(AppId appId) {
        return all().stream().filter(r -> r.appId().equals(appId)).findFirst();
    }

    /** The built-in resource named by an identifier URI or app id (case-insensitive, one trailing slash ignored). */
    public static Optional<BuiltinResource> findByName(String name) {
        return all().stream().filter(r -> r.matchesName(name)).findFirst();
    }

    private static BuiltinResource graph(GraphPermissionCatalogue catalogue) {
        return new BuiltinResource(WellKnown.GRAPH_APP_ID, "Microsoft Graph",
                List.of("https://graph.microsoft.com", "https://canary.graph.microsoft.com", "https://graph.microsoft.com/",
                        WellKnown.GRAPH_APP_ID.toString()),
                catalogue.appRoles(), catalogue.delegatedScopes(), 1, null);
    }

    private static BuiltinResource aadGraph() {
        return new BuiltinResource(WellKnown.AAD_GRAPH_APP_ID, "Windows Azure Active Directory",
                List.of("https://graph.windows.net", WellKnown.AAD_GRAPH_APP_ID.toString()),
                List.of(role("5778995a-e1bf-45b8-affa-663a9f3f4d04", "Directory.Read.All"),
                        role("78c8a3c8-a07e-4b9e-af1b-b5ccab50a175", "Directory.ReadWrite.All"),
                        role("824c81eb-e3f8-4ee6-8f6d-de7f50d565b7", "Application.ReadWrite.OwnedBy")),
                List.of(scope("311a71cc-e848-46a1-bdf8-97ff7156d8e6", "User.Read", false)), 1, null);
    }

    private static BuiltinResource exchange() {
        return new BuiltinResource(WellKnown.EXCHANGE_APP_ID, "Office 365 Exchange Online",
                List.of("https://outlook.office365.com", "https://outlook.office.com", WellKnown.EXCHANGE_APP_ID.toString()),
                List.of(role("dc890d15-9560-4a4c-9b7f-a736ec74ec40", "full_access_as_app")),
                List.of(scope("3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5", "EWS.AccessAsUser.All", false)), 1, null);
    }

    private static BuiltinResource sharePoint() {
        return new BuiltinResource(WellKnown.SHAREPOINT_APP_ID, "Office 365 SharePoint Online",
                List.of(WellKnown.SHAREPOINT_APP_ID.toString()),
                List.of(role("d13f72ca-a275-4b96-b789-48ebcc4da984", "Sites.Read.All"),
                        role("678536fe-1083-478a-9c59-b99265e6b0d3", "Sites.FullControl.All")),
                List.of(scope("4e0d77b0-96ba-4398-af14-3baa780278f4", "AllSites.Read", false)), 1,
                name -> SHAREPOINT_HOST.matcher(name).matches());
    }

    private static AppRole role(String id, String value) {
        return new AppRole(UUID.fromString(id), value, value, null, List.of("Application"), true);
    }

    private static PermissionScope scope(String id, String value, boolean admin) {
        return new PermissionScope(UUID.fromString(id), value, admin ? "Admin" : "User", value, value, true);
    }
}
