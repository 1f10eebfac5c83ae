package dev.consentry.identity.consent;

import dev.consentry.core.builtin.WellKnown;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.TenantId;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.resource.ResolvedResource;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.store.Store;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scopes of a delegated token request (wire spec, section 5): OIDC scopes apart, every other scope
 * names one resource ({@code User.Read} means Microsoft Graph; {@code api://x/read}; {@code {resource}/.default}
 * for every consented permission), each permission must exist on the resource and be consented for this
 * client and user ({@code oauth2PermissionGrant} for all principals or for this user).
 */
public final class DelegatedScopes {
    /** The OpenID Connect scopes a client may add to any request; they name no resource. */
    public static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access", "email");
    static final String GRAPH = "https://graph.microsoft.com";
    private final Store store;
    private final ResourceResolver resources;

    public DelegatedScopes(Store store, ResourceResolver resources) {
        this.store = store;
        this.resources = resources;
    }

    /** What the consent held for a request allows: every permission asked for, or not. */
    public sealed interface Resolution permits Granted, ConsentNeeded {}

    /**
     * Every permission asked for is consented: the resource, the permissions granted in the token ({@code scp}),
     * the OIDC scopes asked for, and the {@code scope} to echo (short names for Graph, as Entra does).
     */
    public record Granted(ResolvedResource resource, List<String> permissions, Set<String> oidc, String echo,
                          List<PermissionScope> staticUnconsented) implements Resolution {
        public Granted {
            staticUnconsented = List.copyOf(staticUnconsented);
        }

        public Granted(ResolvedResource resource, List<String> permissions, Set<String> oidc, String echo) {
            this(resource, permissions, oidc, echo, List.of());
        }
    }

    /**
     * Some permission asked for is not consented for this client and user: which ({@code missing}, empty when
     * {@code .default} was asked for and nothing of the resource is consented), and what is ({@code consented},
     * lower-case, in grant order). A flow acts on it (the authorize endpoint can ask the user); a token
     * endpoint refuses with {@link #refusal}.
     */
    public record ConsentNeeded(AuthenticatedClient client, User user, ResolvedResource resource, List<String> missing,
                                Set<String> consented, List<PermissionScope> toConsent) implements Resolution {
        public ConsentNeeded {
            missing = List.copyOf(missing);
            consented = Collections.unmodifiableSet(new LinkedHashSet<>(consented));
            toConsent = List.copyOf(toConsent);
        }

        public ConsentNeeded(AuthenticatedClient client, User user, ResolvedResource resource, List<String> missing,
                             Set<String> consented) {
            this(client, user, resource, missing, consented, List.of());
        }

        /**
         * AADSTS65001 {@code consent_required}, naming what is missing and what is granted, and the command that grants
         * it for the organization in {@code tenant}: the first missing permission, or (for {@code .default} with nothing
         * consented) what the registration requests.
         */
        public Failure refusal(TenantId tenant) {
            String command = missing.isEmpty()
                    ? "consentry consent grant --tenant " + tenant + " --app " + client.application().appId()
                    : grantCommand(tenant, missing.get(0));
            return Failure.of(Cause.CONSENT_REQUIRED, "clientId", client.application().appId().toString(),
                    "appName", appName(client),
                    "missing", missing.isEmpty() ? "any permission" : String.join(" ", missing),
                    "resource", resource.displayName(), "username", user.userPrincipalName(),
                    "granted", consented.isEmpty() ? "nothing" : String.join(" ", consented), "command", command);
        }

        /** The {@code consentry grant} command that grants {@code permission} of this resource to the client in {@code tenant}. */
        public String grantCommand(TenantId tenant, String permission) {
            return "consentry grant --tenant " + tenant + " --app " + client.application().appId() + " --permission "
                    + permission + " --type delegated"
                    + (resource.appId().equals(WellKnown.GRAPH_APP_ID) ? "" : " --resource " + resource.appId());
        }
    }

    /**
     * The resource {@code scope} asks for, as the token for it would be for (the resource's app); empty when it asks for
     * OpenID Connect scopes only. A scope that is not well-formed throws a {@code FailureException}, as {@link #resolve}
     * does.
     */
    public Optional<ResolvedResource> resource(TenantId tenant, String scope) {
        Asked parsed = parse(scope);
        return parsed.asked().isEmpty() ? Optional.empty() : Optional.of(resources.resolve(tenant, parsed.resourceName()));
    }

    /** A scope parameter read: its OpenID Connect scopes, the permissions of its one resource and that resource's name. */
    private record Asked(Set<String> oidc, List<String> asked, String resourceName) {}

    private static Asked parse(String scope) {
        Set<String> oidc = new LinkedHashSet<>();
        Map<String, List<String>> byResource = new LinkedHashMap<>();
        for (String s : scope.trim().split("\\s+")) {
            if (s.isEmpty()) {
                continue;
            }
            if (OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                oidc.add(s.toLowerCase(Locale.ROOT));
                continue;
            }
            int slash = s.lastIndexOf('/');
            String resource = slash < 0 ? GRAPH : s.substring(0, slash);
            String permission = slash < 0 ? s : s.substring(slash + 1);
            byResource.computeIfAbsent(resource.toLowerCase(Locale.ROOT).replaceAll("/$", ""), k -> new ArrayList<>())
                    .add(resource + "\u0000" + permission);
        }
        if (byResource.size() > 1) {
            throw Failure.of(Cause.SCOPE_MULTIPLE_RESOURCES, "scope", scope.trim(), "count", String.valueOf(byResource.size()),
                    "resources", String.join(", ", byResource.keySet())).toException();
        }
        List<String> asked = byResource.isEmpty() ? List.of() : byResource.values().iterator().next();
        String resourceName = asked.isEmpty() ? GRAPH : asked.get(0).substring(0, asked.get(0).indexOf('\u0000'));
        List<String> single = asked.stream().map(a -> a.substring(a.indexOf('\u0000') + 1))
                .filter(p -> !p.equalsIgnoreCase(".default")).toList();
        if (!single.isEmpty() && single.size() < asked.size()) {
            throw Failure.of(Cause.SCOPE_DEFAULT_COMBINED, "scope", scope.trim(), "resource", resourceName, "others",
                    String.join(", ", single)).toException();
        }
        return new Asked(oidc, asked, resourceName);
    }

    /**
     * Resolves {@code scope} for {@code user} signed in to {@code client} in {@code tenant}. A scope that is not
     * well-formed (two resources, a permission the resource does not define) is a request error and throws a
     * {@code FailureException}; a missing consent is an answer, {@link ConsentNeeded}.
     */
    public Resolution resolve(TenantId tenant, AuthenticatedClient client, User user, String scope) {
        return resolve(tenant, client, user, scope, false);
    }

    /** The display name of the client's registration, or its app id when it has none. */
    public static String appName(AuthenticatedClient client) {
        String name = client.application().displayName();
        return name == null || name.isBlank() ? client.application().appId().toString() : name;
    }

    /**
     * As {@link #resolve(TenantId, AuthenticatedClient, User, String)}, for the authorize endpoint when
     * {@code atAuthorize}: a permission the resource does not define is then AADSTS650053 (what Entra redirects
     * with) instead of the token endpoint's AADSTS70011, and {@code .default} (static consent) also names the
     * delegated permissions the registration's {@code requiredResourceAccess} lists for the resource that are not
     * consented yet ({@link ConsentNeeded#toConsent}, {@link Granted#staticUnconsented}), for the consent page.
     */
    public Resolution resolve(TenantId tenant, AuthenticatedClient client, User user, String scope, boolean atAuthorize) {
        Asked parsed = parse(scope);
        Set<String> oidc = parsed.oidc();
        List<String> asked = parsed.asked();
        String resourceName = parsed.resourceName();
        ResolvedResource resource = resources.resolve(tenant, resourceName);

        Set<String> consented = new LinkedHashSet<>();
        for (OAuth2PermissionGrant g : store.permissionGrants().listByClient(tenant, client.servicePrincipal().id())) {
            if (g.covers(user.id()) && g.resourceId().equals(resource.servicePrincipal().id())) {
                g.scopes().forEach(x -> consented.add(x.toLowerCase(Locale.ROOT)));
            }
        }
        List<String> granted = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<PermissionScope> toConsent = new ArrayList<>();
        List<PermissionScope> staticUnconsented = new ArrayList<>();
        for (String a : asked) {
            String permission = a.substring(a.indexOf('\u0000') + 1);
            if (permission.equalsIgnoreCase(".default")) {
                for (PermissionScope p : resource.scopes()) {
                    if (consented.contains(p.value().toLowerCase(Locale.ROOT)) && !granted.contains(p.value())) {
                        granted.add(p.value());
                    }
                }
                if (atAuthorize) {
                    for (PermissionScope p : staticPermissions(client, resource)) {
                        if (!consented.contains(p.value().toLowerCase(Locale.ROOT)) && !staticUnconsented.contains(p)) {
                            staticUnconsented.add(p);
                        }
                    }
                }
                continue;
            }
            PermissionScope defined = resource.scopes().stream().filter(p -> p.value().equalsIgnoreCase(permission)).findFirst()
                    .orElseThrow(() -> (atAuthorize
                            ? Failure.of(Cause.SCOPE_NOT_ON_RESOURCE, "appName", appName(client), "scope", permission,
                                    "resourceAppId", resource.appId().toString(), "resource", resource.displayName())
                            : Failure.of(Cause.SCOPE_INVALID, "scope", permission, "problem",
                                    "The resource " + resource.displayName() + " has no delegated permission '" + permission + "'."))
                            .toException());
            if (!consented.contains(defined.value().toLowerCase(Locale.ROOT))) {
                missing.add(defined.value());
                if (!toConsent.contains(defined)) {
                    toConsent.add(defined);
                }
            } else if (!granted.contains(defined.value())) {
                granted.add(defined.value());
            }
        }
        boolean onlyDefault = !asked.isEmpty() && asked.stream().allMatch(a -> a.endsWith("\u0000.default"));
        if (!missing.isEmpty() || (onlyDefault && granted.isEmpty())) {
            for (PermissionScope p : staticUnconsented) {
                if (!toConsent.contains(p)) {
                    toConsent.add(p);
                }
            }
            return new ConsentNeeded(client, user, resource, missing, consented, toConsent);
        }
        List<String> echo = new ArrayList<>();
        for (String p : granted) {
            echo.add(resource.builtin() && resource.appId().equals(dev.consentry.core.builtin.WellKnown.GRAPH_APP_ID)
                    ? p : resource.requestedAs().replaceAll("/$", "") + "/" + p);
        }
        for (String o : oidc) {
            if (!o.equals("offline_access")) {
                echo.add(o);
            }
        }
        return new Granted(resource, granted, oidc, String.join(" ", echo), staticUnconsented);
    }

    /**
     * The consent a sign-in alone asks for: Microsoft Graph's {@code oidc} permissions ({@code openid},
     * {@code profile}, ...), for an app the user's tenant does not know yet (its first consent creates its service
     * principal there).
     */
    public ConsentNeeded signInConsent(TenantId tenant, AuthenticatedClient client, User user, Set<String> oidc) {
        ResolvedResource graph = resources.resolve(tenant, GRAPH);
        List<PermissionScope> asked = dev.consentry.core.builtin.WellKnown.GRAPH_OIDC_SCOPES.stream()
                .filter(e -> oidc.contains(e.getKey()))
                .map(e -> new PermissionScope(e.getValue(), e.getKey(), "User", null, null, true)).toList();
        return new ConsentNeeded(client, user, graph, asked.stream().map(PermissionScope::value).toList(), Set.of(), asked);
    }

    /**
     * The delegated permissions of {@code resource} that the client's registration lists in its
     * {@code requiredResourceAccess} (type "Scope"): what {@code .default} asks for (static consent). Empty when the
     * registration lists none for it.
     */
    static List<PermissionScope> staticPermissions(AuthenticatedClient client, ResolvedResource resource) {
        List<PermissionScope> out = new ArrayList<>();
        for (RequiredResourceAccess rra : client.application().requiredResourceAccess()) {
            if (!rra.resourceAppId().equalsIgnoreCase(resource.appId().toString())) {
                continue;
            }
            for (RequiredResourceAccess.ResourceAccess a : rra.resourceAccess()) {
                if ("Scope".equalsIgnoreCase(a.type())) {
                    resource.scopes().stream().filter(p -> p.id().equals(a.id()) && p.enabled()).findFirst()
                            .filter(p -> !out.contains(p)).ifPresent(out::add);
                }
            }
        }
        return out;
    }
}
