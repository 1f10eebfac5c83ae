package dev.consentry.graph.authz;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.AppRoleAssignment;
import dev.consentry.core.directory.OAuth2PermissionGrant;
import dev.consentry.core.directory.RequiredResourceAccess;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.DidYouMean;
import dev.consentry.core.explain.Step;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.metadata.GraphMetadata;
import dev.consentry.core.permission.GraphPath;
import dev.consentry.core.permission.GraphPermission;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.PathMatch;
import dev.consentry.core.permission.Scheme;
import dev.consentry.identity.token.TokenView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The route and permission stage of the Graph pipeline, after the token stage (product brief, section 2):
 *
 * <ol>
 *   <li>route: the path is one of Graph's (else 400 {@code BadRequest}, as Graph answers an unknown segment);</li>
 *   <li>token type: some permission of the token's scheme (delegated work, delegated personal, application)
 *       allows the method there (else {@code delegated-only-api} for {@code /me}, and for an application token on
 *       {@code /me/authentication/...} even where Microsoft's data lists one, {@code no-application-permission}
 *       or {@code no-delegated-permission});</li>
 *   <li>permission held: {@code scp} or {@code roles} contains one that allows it, with any permission the
 *       data says it also requires. When none does, the app's registration and grants say why: the app holds a
 *       sufficient permission of the other type ({@code permission-type-mismatch}), a sufficient one was granted
 *       after the token was issued ({@code token-predates-consent}), one is requested but not granted
 *       ({@code permission-not-consented}), or none is requested ({@code permission-not-requested}).</li>
 * </ol>
 *
 * <p>{@code Application.ReadWrite.OwnedBy} allows a write only on an application or service principal whose owners
 * include the calling app's service principal (the {@code ownership} step;
 * {@code app-not-owned} when nothing else the token holds allows the call). One call needs no permission: an app's
 * {@code addKey} or {@code removeKey} on its own application or service principal, app-only (Graph checks the proof of
 * possession instead); it is allowed as {@link #OWN_KEYS}.
 *
 * <p>The user's own rights and licences (S6) are the next stage; this one says only what the token allows.
 */
public final class PermissionChecks implements Stage {
    /** What allows an app to call {@code addKey} or {@code removeKey} on itself: no permission at all. */
    public static final String OWN_KEYS = "none: an application rolls its own keys";
    /** The application permission that reaches only the applications and service principals the caller owns. */
    public static final String OWNED_BY = "Application.ReadWrite.OwnedBy";
    private final GraphPermissionCatalogue catalogue;
    private final DirectoryFacts facts;

    public PermissionChecks(GraphPermissionCatalogue catalogue, DirectoryFacts facts) {
        this.catalogue = catalogue;
        this.facts = facts;
    }

    @Override
    public StageResult apply(Evaluation evaluation) {
        TokenView token = evaluation.token();
        GraphRequest request = evaluation.request();
        List<Step> steps = new ArrayList<>();
        String method = request.method().toUpperCase(Locale.ROOT);
        Scheme scheme = schemeOf(token);
        PathMatch match = catalogue.match(method, request.graphPath(), scheme);
        if (match instanceof PathMatch.NoSuchPath) {
            return noSuchPath(evaluation, method, steps);
        }
        PathMatch.Matched m = (PathMatch.Matched) match;
        String route = String.join(" or ", m.templates());
        steps.add(Step.passed(Check.ROUTE, method + " " + route));

        if (scheme != Scheme.APPLICATION && actsOnAnotherUser(token, request.path())) {
            // Delegated permissions without ".All" (User.Read, Mail.Read, ...) reach only the signed-in user's own
            // objects, though Microsoft's data lists them for /users/{id}; for another user they do not count.
            List<String> forOthers = m.sufficient().stream().filter(PermissionChecks::reachesOthers).toList();
            List<String> leastForOthers = m.leastPrivileged().stream().filter(PermissionChecks::reachesOthers).toList();
            steps.add(Step.passed(Check.TARGET_USER, "another user than the signed-in one: only " + (forOthers.isEmpty()
                    ? "no permission" : String.join(", ", forOthers)) + " can reach them"));
            m = new PathMatch.Matched(m.templates(), forOthers, leastForOthers.isEmpty() && !forOthers.isEmpty()
                    ? List.of(forOthers.get(0)) : leastForOthers, m.alsoRequires());
        }
        List<String> held = scheme == Scheme.APPLICATION ? token.roles() : token.scopes();
        String heldText = held.isEmpty() ? "no permission" : String.join(" ", held);
        if (scheme == Scheme.APPLICATION && request.graphPath().isSignedInUsersDrive()) {
            // OneDrive answers an application token on /me/drive in its own words (observed-responses.md,
            // graph-onedrive-app-only-me-drive), though Microsoft's data lists application permissions for the template.
            steps.add(Step.failed(Check.TOKEN_TYPE, "an application token has no signed-in user whose drive " + route
                    + " names"));
            return new StageResult.Stop(Failure.of(Cause.DRIVE_NEEDS_USER, "method", method, "route", route),
                    evaluation.withLeastPrivileged(leastPerScheme(method, request.path())), steps);
        }
        if (scheme == Scheme.APPLICATION && request.graphPath().isMe()
                && request.graphPath().segment(1).filter(s -> s.equalsIgnoreCase("authentication")).isPresent()) {
            // Microsoft's data lists application permissions for /me/authentication/... templates, but Graph's pages
            // for them say "Not supported" for an application acting on self ("Permissions acting on self",
            // https://learn.microsoft.com/graph/api/authentication-list-softwareoathmethods, authentication-list-methods):
            // an app-only token has no signed-in user for /me to name.
            steps.add(Step.failed(Check.TOKEN_TYPE, "an application token has no signed-in user for " + route));
            return new StageResult.Stop(Failure.of(Cause.DELEGATED_ONLY_API, "method", method, "route", route),
                    evaluation.withLeastPrivileged(leastPerScheme(method, request.path())), steps);
        }
        if (m.sufficient().isEmpty()) {
            Map<String, List<String>> least = leastPerScheme(method, request.path());
            steps.add(Step.failed(Check.TOKEN_TYPE, "no " + scheme.dataName() + " permission allows " + method + " " + route));
            Failure f;
            if (scheme == Scheme.APPLICATION && request.graphPath().isMe()) {
                f = Failure.of(Cause.DELEGATED_ONLY_API, "method", method, "route", route);
            } else if (scheme == Scheme.APPLICATION) {
                f = Failure.of(Cause.NO_APPLICATION_PERMISSION, "method", method, "route", route, "held", heldText,
                        "delegated", String.join(", ", least.getOrDefault(Scheme.DELEGATED_WORK.dataName(), List.of())));
            } else {
                f = Failure.of(Cause.NO_DELEGATED_PERMISSION, "method", method, "route", route, "held", heldText,
                        "application", String.join(", ", least.getOrDefault(Scheme.APPLICATION.dataName(), List.of())));
            }
            return new StageResult.Stop(f, evaluation.withLeastPrivileged(least), steps);
        }
        steps.add(Step.passed(Check.TOKEN_TYPE, scheme.dataName() + " permissions allow " + method + " " + route));

        Reach notOwned = null;
        for (String permission : m.sufficient()) {
            if (containsIgnoreCase(held, permission)) {
                List<String> also = m.alsoRequires().getOrDefault(permission, List.of());
                if (!also.isEmpty() && also.stream().noneMatch(a -> containsIgnoreCase(held, a))) {
                    continue;
                }
                Reach reach = scheme == Scheme.APPLICATION && permission.equalsIgnoreCase(OWNED_BY)
                        ? ownedByReach(token, method, request, m) : null;
                if (reach != null && reach.failure() != null) {
                    notOwned = reach; // a broader permission the token also holds may still allow it
                    continue;
                }
                steps.add(Step.passed(Check.PERMISSION, permission + (also.isEmpty() ? "" : " with one of " + also)
                        + " allows it (least privileged: " + String.join(", ", m.leastPrivileged()) + ")"));
                if (reach != null) {
                    steps.add(reach.step());
                }
                return new StageResult.Continue(evaluation.withPermission(permission, m.templates(),
                        Map.of(scheme.dataName(), m.leastPrivileged())), steps);
            }
        }
        Optional<String> ownKeys = ownKeys(token, scheme, method, request, m);
        if (ownKeys.isPresent()) {
            steps.add(Step.passed(Check.PERMISSION, ownKeys.get()));
            return new StageResult.Continue(evaluation.withPermission(OWN_KEYS, m.templates(),
                    Map.of(scheme.dataName(), m.leastPrivileged())), steps);
        }
        if (notOwned != null) {
            steps.add(Step.passed(Check.PERMISSION, OWNED_BY + " allows " + method + " " + route + " on what the app owns"));
            steps.add(notOwned.step());
            return new StageResult.Stop(notOwned.failure(), evaluation.withLeastPrivileged(leastPerScheme(method,
                    request.path())), steps);
        }
        String sufficient = String.join(", ", m.sufficient());
        steps.add(Step.failed(Check.PERMISSION, "the token holds " + heldText + "; one of " + sufficient + " is needed"));
        // The least privileged permission of every scheme is worked out only for a refusal, off the allowed path.
        return new StageResult.Stop(whyNotHeld(token, scheme, method, request.path(), route, m, heldText),
                evaluation.withLeastPrivileged(leastPerScheme(method, request.path())), steps);
    }

    /**
     * An app-only call of {@code addKey} or {@code removeKey} on the calling app's own application or service principal
     * needs no permission: "An application does not need any specific permission to roll its own keys"
     * (https://learn.microsoft.com/graph/api/application-addkey, .../application-removekey). Empty for any other call.
     */
    private Optional<String> ownKeys(TokenView token, Scheme scheme, String method, GraphRequest request, PathMatch.Matched m) {
        boolean keyAction = m.templates().stream().anyMatch(t -> t.endsWith("/addkey") || t.endsWith("/removekey"));
        Optional<AppId> client = token.clientId().flatMap(AppId::tryParse);
        if (scheme != Scheme.APPLICATION || !method.equals("POST") || !keyAction || client.isEmpty()) {
            return Optional.empty();
        }
        return request.graphPath().namedApp()
                .flatMap(named -> facts.tenant(token.tenantId()).flatMap(directory -> directory.owned(named)))
                .filter(owned -> owned.appId().equals(client.get()))
                .map(owned -> "the app rolls the keys of its own " + owned.label()
                        + ", which needs no permission (proof of possession is checked with the request)");
    }

    /** What Application.ReadWrite.OwnedBy reaches of one call: its step, and the failure when it does not reach it. */
    private record Reach(Step step, Failure failure) {}

    /**
     * Whether {@code Application.ReadWrite.OwnedBy} reaches this call: "the same operations as
     * Application.ReadWrite.All but only on applications and service principals that the calling app is an owner of",
     * with {@code GET /applications} and {@code GET /servicePrincipals} reading all of them
     * (https://learn.microsoft.com/graph/permissions-reference#applicationreadwriteownedby). A read, and a write that
     * names no application or service principal (creating one), pass with no step: the data layer makes the caller
     * the owner of what it creates. A named object the tenant does not have passes too, for the data to answer 404.
     */
    private Reach ownedByReach(TokenView token, String method, GraphRequest request, PathMatch.Matched m) {
        Optional<GraphPath.NamedApp> named = request.graphPath().namedApp();
        if (method.equals("GET") || named.isEmpty()) {
            return null;
        }
        String route = method + " " + String.join(" or ", m.templates());
        Optional<DirectoryFacts.View> view = facts.tenant(token.tenantId());
        if (view.isEmpty()) {
            return new Reach(Step.unknown(Check.OWNERSHIP, OWNED_BY + " reaches only the applications and service principals "
                    + "the calling app owns; check the owners of " + named.get().key() + " in the tenant"), null);
        }
        Optional<DirectoryFacts.Owned> owned = view.get().owned(named.get());
        if (owned.isEmpty()) {
            return null;
        }
        Optional<ServicePrincipal> caller = token.clientId().flatMap(AppId::tryParse).flatMap(view.get()::servicePrincipal);
        String callerText = caller.map(c -> "'" + c.displayName() + "' (" + c.id() + ")").orElse(token.clientId().orElse("?"));
        List<ObjectId> owners = owned.get().owners();
        if (caller.isPresent() && owners.contains(caller.get().id())) {
            return new Reach(Step.passed(Check.OWNERSHIP, "the calling app's service principal " + callerText + " owns "
                    + owned.get().label()), null);
        }
        String ownerText = owners.isEmpty() ? "it has no owners"
                : "its owners are " + owners.stream().map(ObjectId::toString).collect(java.util.stream.Collectors.joining(", "));
        String path = (named.get().servicePrincipal() ? "/servicePrincipals/" : "/applications/") + owned.get().id();
        return new Reach(Step.failed(Check.OWNERSHIP, callerText + " does not own " + owned.get().label() + "; " + ownerText),
                Failure.of(Cause.APP_NOT_OWNED, "method", method, "route", route, "reason", ownerText + " of the "
                        + owned.get().label() + ", and the calling app's service principal " + callerText
                        + " is not among them", "fix", "Add the service principal " + caller.map(c -> c.id().toString())
                        .orElse("of the calling app") + " as an owner (POST " + path + "/owners/$ref with a token holding "
                        + "Application.ReadWrite.All and Directory.Read.All, or \"owners\" in the tenant file), or grant the "
                        + "app Application.ReadWrite.All."));
    }

    /** Which of the S3/S4 causes explains a token without a sufficient permission. */
    private Failure whyNotHeld(TokenView token, Scheme scheme, String method, String path, String route,
                               PathMatch.Matched m, String heldText) {
        String sufficient = String.join(", ", m.sufficient());
        String leastText = String.join(" or ", m.leastPrivileged().isEmpty() ? m.sufficient().subList(0, 1) : m.leastPrivileged());
        Optional<App> known = facts.tenant(token.tenantId()).map(directory -> app(token, directory));
        if (known.isEmpty()) {
            return Failure.of(Cause.PERMISSION_NOT_HELD, "method", method, "route", route, "sufficient", sufficient,
                    "scheme", scheme.dataName(), "held", heldText, "least", leastText);
        }
        App app = known.get();
        // The app's permissions of the other type, which this token cannot carry.
        Scheme other = scheme == Scheme.APPLICATION ? Scheme.DELEGATED_WORK : Scheme.APPLICATION;
        PathMatch otherMatch = catalogue.match(method, path, other);
        List<String> otherSufficient = otherMatch instanceof PathMatch.Matched om ? om.sufficient() : List.of();
        Map<String, Instant> otherGranted = other == Scheme.APPLICATION ? app.roles : app.delegated;
        List<String> otherHeld = otherSufficient.stream().filter(p -> containsKeyIgnoreCase(otherGranted, p)).toList();
        if (!otherHeld.isEmpty()) {
            String tokenType = scheme == Scheme.APPLICATION ? "an application token" : "a delegated token";
            String first = m.leastPrivileged().isEmpty() ? m.sufficient().get(0) : m.leastPrivileged().get(0);
            String fix = scheme == Scheme.APPLICATION
                    ? "Sign a user in and call with a delegated token, or grant the application permission " + leastOf(m)
                            + " and get a new token."
                    : "Use the client credentials flow for an application token, or grant the delegated permission "
                            + leastOf(m) + " and get a new token.";
            return Failure.of(Cause.PERMISSION_TYPE_MISMATCH, "tokenType", tokenType, "method", method, "route", route,
                    "sufficient", sufficient, "otherHeld", String.join(", ", otherHeld), "otherType",
                    other == Scheme.APPLICATION ? "application" : "delegated", "fix", fix, "command",
                    grantCommand(token, first, scheme));
        }
        Map<String, Instant> granted = scheme == Scheme.APPLICATION ? app.roles : app.delegated;
        for (String p : m.sufficient()) {
            Optional<Map.Entry<String, Instant>> g = granted.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(p)).findFirst();
            if (g.isPresent()) {
                return Failure.of(Cause.TOKEN_PREDATES_CONSENT, "method", method, "route", route, "sufficient", sufficient,
                        "granted", g.get().getKey(), "grantedAt", String.valueOf(g.get().getValue()),
                        "issuedAt", token.issuedAt().map(String::valueOf).orElse("(unknown)"));
            }
        }
        Set<String> requested = scheme == Scheme.APPLICATION ? app.requestedRoles : app.requestedScopes;
        List<String> requestedSufficient = m.sufficient().stream().filter(p -> containsIgnoreCase(requested, p)).toList();
        if (!requestedSufficient.isEmpty()) {
            String consent = m.leastPrivileged().isEmpty() ? requestedSufficient.get(0) : m.leastPrivileged().get(0);
            return Failure.of(Cause.PERMISSION_NOT_CONSENTED, "method", method, "route", route, "sufficient", sufficient,
                    "scheme", scheme.dataName(), "requested", String.join(", ", requestedSufficient), "held", heldText,
                    "least", leastText, "type", typeName(scheme), "leastId", permissionId(consent, scheme),
                    "command", grantCommand(token, consent, scheme));
        }
        String first = m.leastPrivileged().isEmpty() ? m.sufficient().get(0) : m.leastPrivileged().get(0);
        return Failure.of(Cause.PERMISSION_NOT_REQUESTED, "method", method, "route", route, "sufficient", sufficient,
                "scheme", scheme.dataName(), "held", heldText, "first", first, "type", typeName(scheme),
                "leastId", permissionId(first, scheme), "command", grantCommand(token, first, scheme),
                "snippet", tenantFileSnippet(token, first, scheme));
    }

    private static String typeName(Scheme scheme) {
        return scheme == Scheme.APPLICATION ? "application" : "delegated";
    }

    /** The permission's id of that type, as the registration and the tenant file hold it. */
    private String permissionId(String permission, Scheme scheme) {
        Scheme type = scheme == Scheme.APPLICATION ? Scheme.APPLICATION : Scheme.DELEGATED_WORK;
        return catalogue.permission(permission).flatMap(p -> p.in(type).or(() -> p.in(scheme)))
                .map(f -> f.id().toString()).orElse("(no id known)");
    }

    /** The {@code consentry grant} command that applies the fix to the running Consentry. */
    private static String grantCommand(TokenView token, String permission, Scheme scheme) {
        return "consentry grant --tenant " + token.tenantId() + " --app " + token.clientId().orElse("<client id>")
                + " --permission " + permission + " --type " + typeName(scheme);
    }

    /** The same fix written into a tenant file (names are accepted where Graph stores ids; docs/tenant-file.md). */
    private static String tenantFileSnippet(TokenView token, String permission, Scheme scheme) {
        String client = token.clientId().orElse("<client id>");
        String graph = WellKnown.GRAPH_APP_ID.toString();
        String required = "\"requiredResourceAccess\": [{\"resourceAppId\": \"" + graph + "\", \"resourceAccess\": "
                + "[{\"id\": \"" + permission + "\", \"type\": \"" + (scheme == Scheme.APPLICATION ? "Role" : "Scope")
                + "\"}]}] on the application " + client;
        if (scheme == Scheme.APPLICATION) {
            return required + ", and \"appRoleAssignments\": [{\"principalId\": \"" + client + "\", \"resourceId\": \""
                    + graph + "\", \"appRoleId\": \"" + permission + "\"}]";
        }
        return required + ", and \"oauth2PermissionGrants\": [{\"clientId\": \"" + client
                + "\", \"consentType\": \"AllPrincipals\", \"resourceId\": \"" + graph + "\", \"scope\": \""
                + permission + "\"}]";
    }

    /** What the client app requests in its registration and holds now in the token's tenant, by permission name. */
    private record App(Set<String> requestedScopes, Set<String> requestedRoles, Map<String, Instant> delegated,
                       Map<String, Instant> roles) {}

    private App app(TokenView token, DirectoryFacts.View directory) {
        Set<String> requestedScopes = new LinkedHashSet<>();
        Set<String> requestedRoles = new LinkedHashSet<>();
        Map<String, Instant> delegated = new LinkedHashMap<>();
        Map<String, Instant> roles = new LinkedHashMap<>();
        Optional<AppId> clientId = token.clientId().flatMap(AppId::tryParse);
        if (clientId.isEmpty()) {
            return new App(requestedScopes, requestedRoles, delegated, roles);
        }
        directory.registration(clientId.get()).ifPresent(homed -> {
            for (RequiredResourceAccess r : homed.application().requiredResourceAccess()) {
                if (!r.resourceAppId().equalsIgnoreCase(WellKnown.GRAPH_APP_ID.toString())) {
                    continue;
                }
                for (RequiredResourceAccess.ResourceAccess a : r.resourceAccess()) {
                    catalogue.byId(a.id()).map(GraphPermission::name)
                            .ifPresent(n -> ("Role".equalsIgnoreCase(a.type()) ? requestedRoles : requestedScopes).add(n));
                }
            }
        });
        Optional<ServicePrincipal> client = directory.servicePrincipal(clientId.get());
        Optional<ServicePrincipal> graph = directory.servicePrincipal(WellKnown.GRAPH_APP_ID);
        if (client.isPresent() && graph.isPresent()) {
            ObjectId graphId = graph.get().id();
            Optional<ObjectId> user = token.appOnly() ? Optional.empty() : token.objectId().flatMap(ObjectId::tryParse);
            for (OAuth2PermissionGrant g : directory.delegatedGrants(client.get().id())) {
                // For an app-only token every delegated grant counts: it explains a permission held as the other type.
                if (g.resourceId().equals(graphId) && (g.covers(user.orElse(null)) || token.appOnly())) {
                    g.scopes().forEach(s -> delegated.putIfAbsent(s, g.createdDateTime()));
                }
            }
            for (AppRoleAssignment a : directory.appRoleAssignments(client.get().id())) {
                if (a.resourceId().equals(graphId)) {
                    catalogue.byId(a.appRoleId()).map(GraphPermission::name).ifPresent(n -> roles.putIfAbsent(n, a.createdDateTime()));
                }
            }
        }
        return new App(requestedScopes, requestedRoles, delegated, roles);
    }

    private Map<String, List<String>> leastPerScheme(String method, String path) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Scheme s : new Scheme[] {Scheme.DELEGATED_WORK, Scheme.DELEGATED_PERSONAL, Scheme.APPLICATION}) {
            if (catalogue.match(method, path, s) instanceof PathMatch.Matched m && !m.leastPrivileged().isEmpty()) {
                out.put(s.dataName(), m.leastPrivileged());
            }
        }
        return out;
    }

    static Scheme schemeOf(TokenView token) {
        if (token.appOnly()) {
            return Scheme.APPLICATION;
        }
        return token.tenantId().equals(WellKnown.CONSUMERS_TENANT_ID) ? Scheme.DELEGATED_PERSONAL : Scheme.DELEGATED_WORK;
    }

    private static String leastOf(PathMatch.Matched m) {
        return String.join(" or ", m.leastPrivileged().isEmpty() ? m.sufficient().subList(0, 1) : m.leastPrivileged());
    }

    /** True for a permission that reaches other users' objects ({@code *.All}, {@code *.Shared}, ...). */
    static boolean reachesOthers(String permission) {
        return permission.contains(".All") || permission.contains(".Shared");
    }

    /** True when the path names, under {@code /users/}, a user other than the token's. */
    private boolean actsOnAnotherUser(TokenView token, String path) {
        Optional<String> target = GraphPaths.namedUser(path);
        if (target.isEmpty()) {
            return false;
        }
        if (target.get().equalsIgnoreCase("me")) {
            return false; // Microsoft's data has templates such as /users/me/security/...: the signed-in user
        }
        Optional<ObjectId> caller = token.objectId().flatMap(ObjectId::tryParse);
        if (caller.isEmpty()) {
            return true;
        }
        if (ObjectId.tryParse(target.get()).map(caller.get()::equals).orElse(false)) {
            return false;
        }
        // By name: compare with the caller's user principal name, which only the directory knows.
        return facts.tenant(token.tenantId()).flatMap(directory -> directory.user(caller.get()))
                .map(u -> !u.userPrincipalName().equalsIgnoreCase(target.get())).orElse(true);
    }

    /** The segment Graph names for an unknown path: the first one after the version. */
    /**
     * A path no template of the permission data matches. When Graph's v1.0 metadata knows every segment, the route
     * exists and Consentry cannot say what it needs ({@code route-without-permission-data}); else Graph's own answer,
     * naming the first segment its metadata does not know ({@code unknown-path}). A beta path that v1.0's metadata does
     * not know is named by its first segment, as beta's metadata is not Consentry's.
     */
    private StageResult noSuchPath(Evaluation evaluation, String method, List<Step> steps) {
        GraphRequest request = evaluation.request();
        GraphPath path = request.graphPath().asMeDrive();
        GraphMetadata.Resolution resolution = GraphMetadata.v1().resolve(path);
        if (resolution instanceof GraphMetadata.Resolution.Known) {
            steps.add(Step.failed(Check.ROUTE, method + " " + request.path() + " is a path of Graph's v1.0 metadata, "
                    + "but no template of Microsoft's permission data matches it"));
            return new StageResult.Stop(Failure.of(Cause.ROUTE_WITHOUT_PERMISSION_DATA, "method", method, "path",
                    request.path()), evaluation, steps);
        }
        GraphMetadata.Resolution.Unknown unknown = (GraphMetadata.Resolution.Unknown) resolution;
        boolean beta = "beta".equalsIgnoreCase(request.graphPath().version());
        String segment = beta ? unknownSegment(request.graphPath()) : clip(unknown.segment());
        String suggestion = beta ? "" : DidYouMean.nearest(unknown.segment(), GraphMetadata.v1().segmentNames(unknown.within()))
                .map(n -> "; did you mean '" + n + "'?").orElse("");
        steps.add(Step.failed(Check.ROUTE, "no Graph path template matches " + method + " " + request.path()
                + (beta ? "" : ", and Graph's v1.0 metadata has no '" + unknown.segment() + "' there")));
        return new StageResult.Stop(Failure.of(Cause.UNKNOWN_PATH, "segment", segment, "method", method, "path",
                request.path(), "suggestion", suggestion), evaluation, steps);
    }

    private static String clip(String segment) {
        return segment.length() > 100 ? segment.substring(0, 100) : segment;
    }

    static String unknownSegment(GraphPath path) {
        for (String s : path.segments()) {
            if (!s.isEmpty()) {
                return s.length() > 100 ? s.substring(0, 100) : s;
            }
        }
        return "";
    }

    private static boolean containsIgnoreCase(java.util.Collection<String> values, String wanted) {
        return values.stream().anyMatch(v -> v.equalsIgnoreCase(wanted));
    }

    private static boolean containsKeyIgnoreCase(Map<String, Instant> map, String wanted) {
        return map.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(wanted));
    }
}
