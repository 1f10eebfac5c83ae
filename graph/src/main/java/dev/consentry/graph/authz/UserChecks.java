package dev.consentry.graph.authz;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Step;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.permission.DirectoryRoleCatalogue;
import dev.consentry.core.permission.PasswordResetRules;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The signed-in user's own rights, the stage after the permission (product brief, section 2, S6): a delegated
 * token is the intersection of what the app may do and what the user may do. A delegated call that acts on
 * another user or on the directory needs a tenant-wide directory role:
 *
 * <ul>
 *   <li>resetting another user's password: a role that Microsoft's "who can reset passwords" table admits for every
 *       role the target holds ({@link PasswordResetRules});</li>
 *   <li>reading another user's authentication methods (the password reset aside): Global Reader, which reads
 *       anyone's, or Authentication Administrator, Privileged Authentication Administrator or Global Administrator
 *       where the same table admits the target's roles. Graph's pages name Global Reader, Authentication Administrator
 *       and Privileged Authentication Administrator for a delegated read of another user
 *       (https://learn.microsoft.com/graph/api/authentication-list-methods, authentication-list-softwareoathmethods);
 *       Entra's role reference says an Authentication Administrator reads or updates the methods of the users "Who can
 *       reset passwords" lists for it
 *       (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference#authentication-administrator);</li>
 *   <li>changing or deleting another user's authentication methods: Authentication Administrator, Privileged
 *       Authentication Administrator or Global Administrator, again only where the table admits the target's roles, so
 *       only the last two reach an administrator such as a Global Administrator
 *       (https://learn.microsoft.com/graph/api/softwareoathauthenticationmethod-delete names those three; Entra's
 *       comparison of authentication roles has User Administrator not manage users' authentication methods and
 *       Privileged Authentication Administrator manage them "for all users");</li>
 *   <li>changing, disabling or deleting another user, or revoking their sessions: Authentication, User or
 *       Privileged Authentication Administrator, or Global Administrator, again only where the same table admits
 *       the target's roles (Microsoft's table of sensitive user actions names these four actors);</li>
 *   <li>creating users: User Administrator or Global Administrator;</li>
 *   <li>assigning licences (one's own too): License Administrator, User Administrator or Global Administrator;</li>
 *   <li>adding or removing directory role members: Privileged Role Administrator or Global Administrator;</li>
 *   <li>changing or deleting an application or service principal, its secrets, certificates or owners, or creating a
 *       service principal: Application Administrator, Cloud Application Administrator or Global Administrator
 *       ({@link ApplicationAdministrators}), or, for an existing object, being one of its owners (Graph's
 *       {@code owners} relationship: owners manage the object, e.g. its credentials, without a role;
 *       https://learn.microsoft.com/graph/api/application-post-owners). Registering an application needs no role, as
 *       users may register applications by default, and makes a user without one of those roles its owner;</li>
 *   <li>granting or removing app role assignments and delegated permission grants: Privileged Role Administrator or
 *       Global Administrator, the roles that may grant Microsoft Graph's permissions (Entra lets the two application
 *       administrator roles grant other resources' permissions; Consentry, which sees only the path here, does not
 *       yet tell the resources apart).</li>
 *   <li>changing the authorization policy (who may consent): Privileged Role Administrator or Global Administrator
 *       (Microsoft Learn, "Configure how users consent to applications": "sign in as a Privileged Role
 *       Administrator"). Reading it needs no role here: Microsoft's list of the roles that may read it was not
 *       verifiable in full, so Consentry does not refuse a read it might allow.</li>
 *   <li>creating, changing or deleting conditional access policies, named locations and authentication contexts:
 *       Conditional Access Administrator, Security Administrator or Global Administrator (Graph's pages name the first
 *       two as the least privileged: https://learn.microsoft.com/graph/api/ipnamedlocation-update,
 *       authenticationcontextclassreference-delete, conditionalaccessroot-post-policies). Reading needs no role here, as
 *       for the authorization policy.</li>
 *   <li>registering a device: Intune Administrator or Global Administrator; changing one: those or Cloud Device
 *       Administrator, whom the data layer lets only enable or disable it; deleting one: any of the three
 *       (https://learn.microsoft.com/graph/api/device-post-devices, device-update, device-delete; the pages also name
 *       Windows 365 Administrator, which Consentry's role catalogue does not hold).</li>
 *   <li>reading the audit logs (directory audits, sign-ins): Reports Reader, Security Reader, Security Operator,
 *       Security Administrator, Global Reader or Global Administrator (https://learn.microsoft.com/graph/api/directoryaudit-list
 *       and signin-list name these as the roles a signed-in user needs besides the delegated permission).</li>
 * </ul>
 *
 * <p>Acting on oneself needs no role, except for licences. Of app-only calls, only a user's password, sensitive
 * properties and deletion are governed here, by the roles of the app's service principal ({@code appOnly}). Returns the step
 * taken and, on a refusal, its failure; a route this stage does not govern passes with no step.
 */
final class UserChecks implements Stage {
    static final String GLOBAL_ADMINISTRATOR = ApplicationAdministrators.GLOBAL_ADMINISTRATOR;
    static final String USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    static final String AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
    static final String PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
    static final String LICENSE_ADMINISTRATOR = "4d6ac14f-3453-41d0-bef9-a3e0c569773a";
    static final String PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    static final String GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
    static final String CONDITIONAL_ACCESS_ADMINISTRATOR = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
    static final String SECURITY_ADMINISTRATOR = "194ae4cb-b126-40b2-bd5b-6091b380977d";
    static final String INTUNE_ADMINISTRATOR = "3a2c62db-5318-420d-8d74-23affee5d9d5";
    static final String CLOUD_DEVICE_ADMINISTRATOR = "7698a772-787b-4ac8-901f-60d6b08affd2";
    static final String REPORTS_READER = "4a5d8f65-41da-4de4-8968-e035b65339cf";
    static final String SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";
    static final String SECURITY_OPERATOR = "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f";
    /** The roles that let an application change a password, least privileged first (Graph's "Update user"). */
    private static final List<String> APP_PASSWORD_ACTORS = List.of(USER_ADMINISTRATOR,
            PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR);
    /**
     * The roles that let an application change another sensitive property of an administrator or delete one, in the
     * order the fix names them (Graph's "Who can update sensitive attributes?" table has these four columns).
     */
    private static final List<String> APP_SENSITIVE_ACTORS = List.of(USER_ADMINISTRATOR, AUTHENTICATION_ADMINISTRATOR,
            PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR);
    /** The sensitive user properties besides passwordProfile, as "Working with users in Microsoft Graph" lists them. */
    static final List<String> SENSITIVE_PROPERTIES = List.of("accountEnabled", "businessPhones", "mobilePhone",
            "onPremisesImmutableId", "otherMails", "userPrincipalName");
    private static final Set<String> SENSITIVE_ACTORS = Set.copyOf(APP_SENSITIVE_ACTORS);
    /** The roles that manage other users' authentication methods besides the password (never User Administrator). */
    private static final Set<String> METHOD_MANAGERS = Set.of(GLOBAL_ADMINISTRATOR, AUTHENTICATION_ADMINISTRATOR,
            PRIVILEGED_AUTHENTICATION_ADMINISTRATOR);
    private final DirectoryFacts facts;
    private final PasswordResetRules rules = PasswordResetRules.builtin();
    private final DirectoryRoleCatalogue roles = DirectoryRoleCatalogue.builtin();

    UserChecks(DirectoryFacts facts) {
        this.facts = facts;
    }

    /** What a governed call needs of the signed-in user. */
    private enum Need {
        /** Another user's password reset: the password-reset table, any of its actors. */
        PASSWORD_RESET("resetting the password of ", "; an application permission cannot do this"),
        /** Reading another user's methods: the table, limited to the method managers; Global Reader reads anyone's. */
        METHODS_READ("reading the authentication methods of ", ", or call with an application token holding UserAuthenticationMethod.Read.All",
                METHOD_MANAGERS, Set.of(GLOBAL_READER)),
        /** Changing or deleting another user's methods: the table, limited to the method managers. */
        METHODS_WRITE("changing or deleting the authentication methods of ",
                ", or call with an application token holding UserAuthenticationMethod.ReadWrite.All", METHOD_MANAGERS, Set.of()),
        /** A sensitive change of another user: the password-reset table, limited to the sensitive-action actors. */
        USER_CHANGE("changing, disabling, deleting or signing out ", "", SENSITIVE_ACTORS, Set.of()),
        /** No target: a fixed set of roles. */
        CREATE_USER("creating users", ""),
        LICENCES("assigning licences", ""),
        ROLE_MEMBERS("changing the members of directory roles", ""),
        APP_CHANGE("changing applications and service principals", "; an owner of an existing application or service "
                + "principal needs no role (add one with POST .../owners/$ref, or \"owners\" in the tenant file)"),
        PERMISSION_GRANTS("granting or removing permissions (app role assignments, delegated permission grants)", ""),
        CONSENT_SETTINGS("changing the tenant's authorization policy (who may consent to apps)", ""),
        CONDITIONAL_ACCESS("changing conditional access (policies, named locations, authentication contexts)", ""),
        DEVICE_REGISTER("registering devices", ""),
        DEVICE_CHANGE("changing devices", ""),
        DEVICE_DELETE("deleting devices", ""),
        AUDIT_LOGS("reading the audit and sign-in logs", ", or call with an application token holding AuditLog.Read.All");

        final String action;
        final String alternative;
        /** For a need on a target user: the roles that may act at all (empty: any the table admits). */
        final Set<String> actors;
        /** For a need on a target user: the roles that reach every user, whatever the table says. */
        final Set<String> reachAnyone;

        Need(String action, String alternative) {
            this(action, alternative, Set.of(), Set.of());
        }

        Need(String action, String alternative, Set<String> actors, Set<String> reachAnyone) {
            this.action = action;
            this.alternative = alternative;
            this.actors = actors;
            this.reachAnyone = reachAnyone;
        }

        boolean onTarget() {
            return this == PASSWORD_RESET || this == METHODS_READ || this == METHODS_WRITE || this == USER_CHANGE;
        }
    }

    private static Optional<Need> need(String method, List<String> templates) {
        for (String raw : templates) {
            String t = raw.toLowerCase(Locale.ROOT);
            if (t.startsWith("/users/{id}/authentication")) {
                return Optional.of(t.endsWith("/resetpassword") ? Need.PASSWORD_RESET
                        : method.equals("GET") ? Need.METHODS_READ : Need.METHODS_WRITE);
            }
            if ((method.equals("PATCH") || method.equals("DELETE")) && t.equals("/users/{id}")
                    || method.equals("POST") && t.equals("/users/{id}/revokesigninsessions")) {
                return Optional.of(Need.USER_CHANGE);
            }
            if (method.equals("POST") && t.equals("/users")) {
                return Optional.of(Need.CREATE_USER);
            }
            if (method.equals("POST") && (t.equals("/users/{id}/assignlicense") || t.equals("/me/assignlicense"))) {
                return Optional.of(Need.LICENCES);
            }
            if ((t.startsWith("/directoryroles/{id}/members") || t.startsWith("/rolemanagement/directory/roleassignments"))
                    && !method.equals("GET")) {
                return Optional.of(Need.ROLE_MEMBERS);
            }
            if (method.equals("GET") && t.startsWith("/auditlogs/")) {
                return Optional.of(Need.AUDIT_LOGS);
            }
            if (method.equals("GET")) {
                continue;
            }
            if (t.equals("/policies/authorizationpolicy")) {
                return Optional.of(Need.CONSENT_SETTINGS);
            }
            if (t.startsWith("/identity/conditionalaccess/policies") || t.startsWith("/identity/conditionalaccess/namedlocations")
                    || t.startsWith("/identity/conditionalaccess/authenticationcontextclassreferences")) {
                return Optional.of(Need.CONDITIONAL_ACCESS);
            }
            if (method.equals("POST") && t.equals("/devices")) {
                return Optional.of(Need.DEVICE_REGISTER);
            }
            if (t.equals("/devices/{id}") || t.equals("/devices(deviceid={value})")) {
                return Optional.of(method.equals("DELETE") ? Need.DEVICE_DELETE : Need.DEVICE_CHANGE);
            }
            if (t.contains("/approleassignedto") || t.contains("/approleassignments") || t.startsWith("/oauth2permissiongrants")) {
                return Optional.of(Need.PERMISSION_GRANTS);
            }
            if (t.startsWith("/applications/") || t.startsWith("/applications(") || t.startsWith("/serviceprincipals")) {
                return Optional.of(Need.APP_CHANGE);
            }
        }
        return Optional.empty();
    }

    @Override
    public StageResult apply(Evaluation evaluation) {
        return check(evaluation).map(o -> o.toResult(evaluation)).orElseGet(() -> new StageResult.Continue(evaluation, List.of()));
    }

    /** The step this stage took, and its failure when it refused; empty when it does not govern the call. */
    private record Outcome(Step step, Failure failure) {
        StageResult toResult(Evaluation evaluation) {
            // A passed or unknown step continues; only a failure stops.
            return failure == null ? new StageResult.Continue(evaluation, List.of(step))
                    : new StageResult.Stop(failure, evaluation, List.of(step));
        }

        static Outcome passed(String detail) {
            return new Outcome(Step.passed(Check.USER_RIGHTS, detail), null);
        }
    }

    private Optional<Outcome> check(Evaluation evaluation) {
        var token = evaluation.token();
        GraphRequest request = evaluation.request();
        List<String> templates = evaluation.templates();
        String method = request.method().toUpperCase(Locale.ROOT);
        if (token.appOnly()) {
            return appOnly(evaluation, method, templates);
        }
        Optional<Need> need = need(method, templates);
        Optional<ObjectId> actorId = token.objectId().flatMap(ObjectId::tryParse);
        if (need.isEmpty() || actorId.isEmpty()) {
            return Optional.empty();
        }
        Optional<DirectoryFacts.View> view = facts.tenant(token.tenantId());
        if (view.isEmpty()) {
            // A tenant Consentry cannot see: the signed-in user's roles are not in the token's claims it reads.
            return Optional.of(new Outcome(Step.unknown(Check.USER_RIGHTS, need.get().action
                    + (need.get().onTarget() ? "the named user" : "")
                    + " needs a directory role of the signed-in user; check their roles in the tenant"), null));
        }
        DirectoryFacts.View directory = view.get();
        List<String> actorRoles = directory.tenantWideRoles(actorId.get());
        String user = directory.user(actorId.get()).map(User::userPrincipalName).orElse(actorId.get().toString());
        String route = String.join(" or ", templates);
        return Optional.of(switch (need.get()) {
            case PASSWORD_RESET, METHODS_READ, METHODS_WRITE, USER_CHANGE -> onTarget(need.get(), directory, request,
                    actorId.get(), actorRoles, user, method, route);
            case CREATE_USER -> fixed(need.get(), Set.of(USER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR), actorRoles, user, method, route);
            case LICENCES -> fixed(need.get(), Set.of(LICENSE_ADMINISTRATOR, USER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR),
                    actorRoles, user, method, route);
            case ROLE_MEMBERS, PERMISSION_GRANTS, CONSENT_SETTINGS -> fixed(need.get(), Set.of(PRIVILEGED_ROLE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR),
                    actorRoles, user, method, route);
            case CONDITIONAL_ACCESS -> fixed(need.get(), Set.of(CONDITIONAL_ACCESS_ADMINISTRATOR, SECURITY_ADMINISTRATOR,
                    GLOBAL_ADMINISTRATOR), actorRoles, user, method, route);
            case DEVICE_REGISTER -> fixed(need.get(), Set.of(INTUNE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR), actorRoles, user,
                    method, route);
            case DEVICE_CHANGE, DEVICE_DELETE -> fixed(need.get(), Set.of(INTUNE_ADMINISTRATOR, CLOUD_DEVICE_ADMINISTRATOR,
                    GLOBAL_ADMINISTRATOR), actorRoles, user, method, route);
            case AUDIT_LOGS -> fixed(need.get(), Set.of(REPORTS_READER, SECURITY_READER, SECURITY_OPERATOR,
                    SECURITY_ADMINISTRATOR, GLOBAL_READER, GLOBAL_ADMINISTRATOR), actorRoles, user, method, route);
            case APP_CHANGE -> owner(directory, request, actorId.get(), user)
                    .orElseGet(() -> fixed(need.get(), ApplicationAdministrators.ROLES, actorRoles, user, method, route));
        });
    }

    /**
     * An application token's call that Graph also limits by the directory roles of the app's service principal
     * (Microsoft Graph, "Update user", https://learn.microsoft.com/graph/api/user-update, and "Delete a user",
     * https://learn.microsoft.com/graph/api/user-delete: "In app-only scenarios, the app must be assigned a higher
     * privileged administrator role as indicated in Who can perform sensitive actions"):
     *
     * <ul>
     *   <li>a password change ({@code PATCH /users/{id}} naming {@code passwordProfile}) needs User Administrator, or
     *       for a target who holds an admin role one of the roles the password-reset table admits among Privileged
     *       Authentication Administrator and Global Administrator, whoever the target is;</li>
     *   <li>a change of another sensitive property ({@link #SENSITIVE_PROPERTIES}, the list of "Working with users in
     *       Microsoft Graph", https://learn.microsoft.com/graph/api/resources/users, "Who can update sensitive
     *       attributes?") or deleting the user needs, for a target who holds a privileged administrator role, one of
     *       the roles that page's table admits for the target (Authentication, User or Privileged Authentication
     *       Administrator, Global Administrator). A target without an admin role, or holding only roles every one of
     *       those four may update (Directory Readers, Guest Inviter, Message Center Reader, Password Administrator,
     *       Reports Reader, Usage Summary Reports Reader), needs none: User.ReadWrite.All is enough there, as "Update
     *       user" says of businessPhones, mobilePhone and otherMails ("only allowed on users who are non-administrators
     *       or assigned one of the following roles ... This is the case for apps granted either the User.ReadWrite.All
     *       or Directory.ReadWrite.All delegated or application permissions").</li>
     * </ul>
     *
     * Empty for every other call.
     */
    private Optional<Outcome> appOnly(Evaluation evaluation, String method, List<String> templates) {
        GraphRequest request = evaluation.request();
        boolean onUser = templates.stream().anyMatch(t -> t.equalsIgnoreCase("/users/{id}"));
        boolean passwordChange = onUser && method.equals("PATCH") && request.bodyNames("passwordProfile");
        List<String> sensitive = onUser && method.equals("PATCH")
                ? SENSITIVE_PROPERTIES.stream().filter(request::bodyNames).toList() : List.of();
        boolean delete = onUser && method.equals("DELETE");
        Optional<ObjectId> principal = evaluation.token().objectId().flatMap(ObjectId::tryParse);
        if (!(passwordChange || delete || !sensitive.isEmpty()) || principal.isEmpty()) {
            return Optional.empty();
        }
        String what = passwordChange ? "changing the password of " : delete ? "deleting "
                : "changing " + String.join(", ", sensitive) + " of ";
        Optional<DirectoryFacts.View> view = facts.tenant(evaluation.token().tenantId());
        if (view.isEmpty()) {
            return Optional.of(new Outcome(Step.unknown(Check.USER_RIGHTS, what + "a user with an application token "
                    + (passwordChange ? "needs the User Administrator role (or higher)"
                            : "needs, for an administrator, a directory role such as Privileged Authentication Administrator")
                    + " of the app's service principal; check its roles in the tenant"), null));
        }
        DirectoryFacts.View directory = view.get();
        String targetText = request.graphPath().namedUser().orElse("");
        Optional<User> target = directory.userByIdOrName(targetText);
        if (target.isEmpty()) {
            return Optional.of(Outcome.passed("no user '" + targetText + "' in the tenant to check rights against"));
        }
        List<String> targetRoles = directory.tenantWideRoles(target.get().id());
        Set<String> admitted = rules.resettersOf(targetRoles);
        String action = what + target.get().userPrincipalName() + " (roles: " + names(targetRoles) + ")";
        if (!passwordChange && admitted.containsAll(SENSITIVE_ACTORS)) {
            return Optional.of(Outcome.passed(action + " needs no directory role of the app: the target holds no "
                    + "privileged administrator role"));
        }
        List<String> actors = passwordChange ? APP_PASSWORD_ACTORS : APP_SENSITIVE_ACTORS;
        List<String> allowed = actors.stream().filter(admitted::contains).toList();
        List<String> needed = allowed.isEmpty() ? List.of(GLOBAL_ADMINISTRATOR) : allowed;
        List<String> appRoles = directory.tenantWideRoles(principal.get());
        String app = evaluation.token().clientId().orElse(principal.get().toString());
        if (appRoles.stream().anyMatch(needed::contains)) {
            return Optional.of(Outcome.passed("the app's service principal holds " + names(appRoles) + ", which allows "
                    + action));
        }
        Step step = Step.failed(Check.USER_RIGHTS, "the app's service principal holds " + names(appRoles) + "; " + action
                + " with an application token needs one of " + names(needed));
        return Optional.of(new Outcome(step, Failure.of(Cause.SERVICE_PRINCIPAL_ROLE_MISSING, "method", method, "route",
                String.join(" or ", templates), "action", action, "app", app, "actorRoles", names(appRoles), "needed",
                names(needed), "principalId", principal.get().toString(), "roleDefinitionId", needed.get(0))));
    }

    private Outcome onTarget(Need need, DirectoryFacts.View directory, GraphRequest request, ObjectId actor,
                             List<String> actorRoles, String user, String method, String route) {
        String targetText = request.graphPath().namedUser().orElse("");
        Optional<User> target = directory.userByIdOrName(targetText);
        if (target.isEmpty()) {
            return Outcome.passed("no user '" + targetText
                    + "' in the tenant to check rights against");
        }
        if (target.get().id().equals(actor)) {
            return Outcome.passed("the signed-in user acts on themselves");
        }
        List<String> targetRoles = directory.tenantWideRoles(target.get().id());
        List<String> acting = need.actors.isEmpty() ? actorRoles : actorRoles.stream().filter(need.actors::contains).toList();
        if (actorRoles.stream().anyMatch(need.reachAnyone::contains) || rules.mayReset(acting, targetRoles)) {
            return Outcome.passed("the signed-in user holds " + names(actorRoles)
                    + ", which may act on " + target.get().userPrincipalName() + " (" + names(targetRoles) + ")");
        }
        Set<String> allowed = rules.resettersOf(targetRoles);
        List<String> needed = Stream.concat(allowed.stream()
                        .filter(r -> need.actors.isEmpty() || need.actors.contains(r)), need.reachAnyone.stream())
                .distinct().sorted().toList();
        String action = need.action + target.get().userPrincipalName() + " (roles: " + names(targetRoles) + ")";
        return refused(need, action, user, actorRoles, needed, method, route);
    }

    /** A pass when the signed-in user owns the application or service principal the path names; else empty. */
    private static Optional<Outcome> owner(DirectoryFacts.View directory, GraphRequest request, ObjectId actor, String user) {
        return request.graphPath().namedApp().flatMap(directory::owned).filter(o -> o.owners().contains(actor))
                .map(o -> Outcome.passed(user + " owns " + o.label() + ", which lets them manage it without a directory role"));
    }

    private Outcome fixed(Need need, Set<String> allowed, List<String> actorRoles, String user, String method, String route) {
        if (actorRoles.stream().anyMatch(allowed::contains)) {
            return Outcome.passed("the signed-in user holds " + names(actorRoles)
                    + ", which allows " + need.action);
        }
        return refused(need, need.action, user, actorRoles, allowed.stream().sorted().toList(), method, route);
    }

    private Outcome refused(Need need, String action, String user, List<String> actorRoles, List<String> needed,
                            String method, String route) {
        Step step = Step.failed(Check.USER_RIGHTS, user + " holds " + names(actorRoles) + "; " + action + " needs one of "
                + names(needed));
        return new Outcome(step, Failure.of(Cause.USER_ROLE_MISSING, "method", method, "route", route, "user", user,
                "actorRoles", names(actorRoles), "action", action, "needed", names(needed), "alternative", need.alternative));
    }

    private String names(List<String> roleIds) {
        return roleIds.isEmpty() ? "no admin role" : roleIds.stream()
                .map(id -> roles.byId(id).map(DirectoryRoleCatalogue.DirectoryRole::displayName).orElse(id))
                .collect(Collectors.joining(", "));
    }
}
