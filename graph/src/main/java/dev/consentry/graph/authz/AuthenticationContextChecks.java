package dev.consentry.graph.authz;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Step;
import dev.consentry.identity.token.TokenView;
import java.util.List;
import java.util.Optional;

/**
 * Step-up on sensitive Graph operations: a tenant may require an authentication context for operations it lists
 * ({@code settings.authenticationContexts}, Consentry's own setting, after Entra's protected actions). A call to such an
 * operation whose token's {@code acrs} lacks the context is refused with the claims challenge asking for it
 * ({@code {"access_token":{"acrs":{"essential":true,"value":"c1"}}}}, Microsoft Learn, "Developer guide to Conditional
 * Access authentication context"); the client acquires a token with those claims, and the policies on that context
 * decide what the sign-in must prove. Runs after the permission stage, which found the operation's templates.
 */
final class AuthenticationContextChecks implements Stage {
    private final DirectoryFacts facts;

    AuthenticationContextChecks(DirectoryFacts facts) {
        this.facts = facts;
    }

    @Override
    public StageResult apply(Evaluation evaluation) {
        TokenView token = evaluation.token();
        Optional<DirectoryFacts.View> view = facts.tenant(token.tenantId());
        if (view.isEmpty()) {
            return new StageResult.Continue(evaluation, List.of());
        }
        String method = evaluation.request().method();
        Optional<String> required = view.get().settings().contextFor(method, evaluation.templates());
        if (required.isEmpty()) {
            return new StageResult.Continue(evaluation, List.of());
        }
        String acrs = required.get();
        String operation = method + " " + String.join(" or ", evaluation.templates());
        if (token.acrs().stream().anyMatch(acrs::equalsIgnoreCase)) {
            return new StageResult.Continue(evaluation, List.of(Step.passed(Check.AUTHENTICATION_CONTEXT,
                    "the token states " + acrs + ", which the tenant requires for " + operation)));
        }
        String held = token.acrs().isEmpty() ? "empty" : String.join(" ", token.acrs());
        Failure challenge = Failure.of(Cause.AUTH_CONTEXT_REQUIRED, "acrs", acrs, "tenant", token.tenantId().toString(),
                "operation", operation, "held", held)
                .withClaims("{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"" + acrs + "\"}}}");
        return new StageResult.Stop(challenge, evaluation, List.of(Step.failed(Check.AUTHENTICATION_CONTEXT,
                operation + " requires " + acrs + "; the token's acrs is " + held)));
    }
}
