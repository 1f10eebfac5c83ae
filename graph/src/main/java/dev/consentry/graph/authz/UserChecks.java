package dev.consentry.graph.authz;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.RoleAssignment;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.permission.DirectoryRoleCatalogue;
import dev.consentry.core.permission.PasswordResetRules;
import dev.consentry.identity.token.VerifiedToken;
import dev.consentry.store.Store;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The signed-in user's own rights, the stage after the permission (product brief, section 2, S6): a delegated
 * token is the intersection of what the app may do and what the user may do. Built so far: acting on another
 * user's authentication methods (reading them, resetting a password) needs a tenant-wide directory role that
 * Microsoft's "who can reset passwords" table admits for every role the target holds
 * ({@link PasswordResetRules}); acting on one's own methods needs none.
 *
 * <p>Returns the step taken and, on a refusal, its failure; a route this stage does not govern passes with
 * no step.
 */
final class UserChecks {
    private static final String AUTHENTICATION_PREFIX = "/users/{id}/authentication";
    private final Store store;
    private final PasswordResetRules rules = PasswordResetRules.builtin();
    private final DirectoryRoleCatalogue roles = DirectoryRoleCatalogue.builtin();

    UserChecks(Store store) {
        this.store = store;
    }

    CheckOutcome check(VerifiedToken token, GraphRequest request, List<String> templates) {
        if (token.appOnly() || templates.stream().noneMatch(t -> t.toLowerCase(Locale.ROOT).startsWith(AUTHENTICATION_PREFIX))) {
            return CheckOutcome.notApplicable();
        }
        TenantId tenant = token.tenantId();
        String targetText = GraphPaths.namedUser(request.path()).orElse("");
        Optional<User> target = GraphPaths.findUser(store, tenant, targetText);
        Optional<ObjectId> actorId = token.objectId().flatMap(ObjectId::tryParse);
        if (target.isEmpty() || actorId.isEmpty()) {
            return CheckOutcome.passed(new Step("user-rights", true, "no user '" + targetText
                    + "' in the tenant to check rights against"));
        }
        if (target.get().id().equals(actorId.get())) {
            return CheckOutcome.passed(new Step("user-rights", true, "the signed-in user acts on their own methods"));
        }
        List<String> actorRoles = tenantWideRoles(tenant, actorId.get());
        List<String> targetRoles = tenantWideRoles(tenant, target.get().id());
        if (rules.mayReset(actorRoles, targetRoles)) {
            return CheckOutcome.passed(new Step("user-rights", true, "the signed-in user holds " + names(actorRoles)
                    + ", which may act on " + target.get().userPrincipalName() + " (" + names(targetRoles) + ")"));
        }
        String user = store.users().find(tenant, actorId.get()).map(User::userPrincipalName).orElse(actorId.get().toString());
        String needed = names(rules.resettersOf(targetRoles).stream().sorted().toList());
        Step step = new Step("user-rights", false, user + " holds " + names(actorRoles) + "; " + target.get().userPrincipalName()
                + " (" + names(targetRoles) + ") may be acted on by " + needed);
        return CheckOutcome.failed(step, Failure.of(Cause.USER_ROLE_MISSING, "method",
                request.method().toUpperCase(Locale.ROOT), "route", String.join(" or ", templates), "user", user,
                "actorRoles", names(actorRoles), "target", target.get().userPrincipalName(), "targetRoles",
                names(targetRoles), "needed", needed));
    }

    private List<String> tenantWideRoles(TenantId tenant, ObjectId principal) {
        return store.roleAssignments().listByPrincipal(tenant, principal).stream()
                .filter(r -> "/".equals(r.directoryScopeId())).map(RoleAssignment::roleDefinitionId)
                .map(id -> id.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private String names(List<String> roleIds) {
        return roleIds.isEmpty() ? "no admin role" : roleIds.stream()
                .map(id -> roles.byId(id).map(DirectoryRoleCatalogue.DirectoryRole::displayName).orElse(id))
                .collect(Collectors.joining(", "));
    }
}
