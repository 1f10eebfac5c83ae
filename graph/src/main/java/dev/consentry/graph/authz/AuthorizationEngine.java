package dev.consentry.graph.authz;

import dev.consentry.core.explain.Steps;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.List;

/**
 * Decides every call to Microsoft Graph in one ordered pipeline of {@link Stage}s (product brief, section 2): the
 * token ({@link TokenChecks}: S1, S2, S7), the route and the permission ({@link PermissionChecks}: S3 to S5), the
 * signed-in user's own rights ({@link UserChecks}: S6, the directory roles that authentication methods, user
 * changes, user creation, licences and role membership need) and the licence of the data's owner
 * ({@link LicenceChecks}: S6, mail, calendar and files). The first stage that stops decides a refusal; every step
 * taken is in the {@link Decision}. A new check (conditional access, S8; continuous access evaluation) is a new
 * stage in {@link #stages}.
 *
 * <p>Not built yet: the user's rights on routes beyond those (group ownership, admin units) and conditional access
 * (S8); a call that passes the stages above is allowed. Ownership of applications and service principals is
 * decided: by {@link PermissionChecks} for {@code Application.ReadWrite.OwnedBy}, by {@link UserChecks} for a
 * signed-in owner.
 */
public final class AuthorizationEngine {
    private final List<Stage> stages;

    /** @param graphTokens the token stage, shared with {@code /oidc/userinfo} */
    public AuthorizationEngine(TokenChecks graphTokens, GraphPermissionCatalogue catalogue, Store store) {
        this(graphTokens, catalogue, DirectoryFacts.of(store));
    }

    /**
     * An engine over any {@link DirectoryFacts}: {@link DirectoryFacts#unknown()} decides from the token alone,
     * recording as unknown what only the directory could say (a real tenant's roles and licences).
     */
    public AuthorizationEngine(TokenChecks graphTokens, GraphPermissionCatalogue catalogue, DirectoryFacts facts) {
        this((Stage) graphTokens, catalogue, facts);
    }

    private AuthorizationEngine(Stage tokens, GraphPermissionCatalogue catalogue, DirectoryFacts facts) {
        this.stages = List.of(tokens, new ContinuousAccessChecks(facts), new PermissionChecks(catalogue, facts),
                new AuthenticationContextChecks(facts), new UserChecks(facts), new LicenceChecks(facts));
    }

    /**
     * What Microsoft Graph would decide for a token of the real Entra ID, offline (issue 12, "real Entra ID, offline"):
     * the token is only decoded ({@link OfflineTokenChecks}; its signature is recorded as not checked), and every fact
     * that only the tenant holds (the user's roles and licences, the user's state) is recorded as unknown
     * ({@link DirectoryFacts#unknown()}). The permission checks are the same as for Consentry's own traffic.
     */
    public static AuthorizationEngine offline(GraphPermissionCatalogue catalogue) {
        return new AuthorizationEngine(new OfflineTokenChecks(catalogue), catalogue, DirectoryFacts.unknown());
    }

    /** An engine with its own token stage over {@code keys} (benchmarks and tests that need no userinfo). */
    public AuthorizationEngine(TokenValidator graphTokens, GraphPermissionCatalogue catalogue, Store store) {
        this(new TokenChecks(graphTokens, catalogue), catalogue, store);
    }

    public Decision decide(GraphRequest request, Instant now) {
        Evaluation evaluation = Evaluation.of(request, now);
        Steps steps = new Steps();
        for (Stage stage : stages) {
            switch (stage.apply(evaluation)) {
                case StageResult.Stop stop -> {
                    steps.addAll(stop.steps());
                    return new Decision.Deny(stop.failure(), stop.at().leastPrivileged(), steps.toList(),
                            stop.at().tenantIfKnown(), stop.at().token() == null ? java.util.Optional.empty()
                                    : stop.at().token().clientId());
                }
                case StageResult.Continue next -> {
                    steps.addAll(next.steps());
                    evaluation = next.next();
                }
            }
        }
        return new Decision.Allow(evaluation.permission(), evaluation.templates(), evaluation.leastPrivileged(),
                steps.toList(), evaluation.token());
    }
}
