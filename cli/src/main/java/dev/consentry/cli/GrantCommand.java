package dev.consentry.cli;

import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.Administration.GrantResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code consentry grant}: what an administrator does in the portal with "Add a permission" then "Grant admin
 * consent", in one command (the fix the diagnosis of a missing permission names). Through the running server when
 * there is one, so the next token carries the permission.
 */
@Command(name = "grant", mixinStandardHelpOptions = true,
        description = {"Add a permission to an app's registration and grant admin consent for it.",
            "Application permissions become app role assignments, delegated ones a grant for all users.",
            "Example: consentry grant --app d0a1b2c3-0001-4f60-8a7b-9c0d1e2f3a4b --permission Group.Read.All --type application"})
final class GrantCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    AppOptions target;

    @Option(names = "--permission", required = true, paramLabel = "NAME",
            description = "The permission's name (User.Read.All) or id.")
    String permission;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "application or delegated; needed when the permission is both (most Graph permissions are).")
    String type;

    @Option(names = "--resource", paramLabel = "API",
            description = "The API that defines the permission: app id, identifier URI or name (default: Microsoft Graph).")
    String resource;

    @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        try (Administration admin = storeOptions.administration()) {
            GrantResult r = admin.grant(new Administration.GrantRequest(target.tenant, target.app, resource, permission, type));
            if (output == OutputFormat.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("grant", r);
                json.put("where", admin.where());
                spec.commandLine().getOut().println(dev.consentry.core.directory.DirectoryJson.mapper().writeValueAsString(json));
            } else {
                spec.commandLine().getOut().println(text(r));
            }
        }
        return 0;
    }

    static String text(GrantResult r) {
        String what = r.permission() + " (" + r.type() + " permission of " + r.resourceName() + ", id " + r.permissionId() + ")";
        if (!r.newlyGranted() && !r.addedToRegistration()) {
            return r.appName() + " (" + r.appId() + ") already holds " + what + "; nothing changed.";
        }
        return "Granted " + what + " to " + r.appName() + " (" + r.appId() + ") in tenant " + r.tenantId()
                + (r.addedToRegistration() ? ": added to its requiredResourceAccess and" : ":") + " admin-consented.\n"
                + "Tokens issued from now on carry it; a token issued before does not, so get a new one.";
    }
}
