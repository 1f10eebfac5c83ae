package dev.consentry.graph.authz;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.consentry.core.builtin.BuiltinResources;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Step;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.identity.protocol.Bearer;
import dev.consentry.identity.token.KnownAudiences;
import dev.consentry.identity.token.TokenIssuer;
import dev.consentry.identity.token.TokenReader;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.identity.token.TokenView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The token stage of a decision made offline, from a token's claims alone: for a token of the real Microsoft Entra ID,
 * whose keys Consentry does not have and never fetches. The token is decoded without its signature (the step says it
 * was not checked), its issuer must be Entra's (or in Entra's shape: Consentry's own), then its lifetime, its audience
 * (Microsoft Graph's names) and the account type are checked as {@link TokenChecks} checks a verified token, with the
 * same causes. A token for another resource names that resource (Azure AD Graph, SharePoint, Azure Resource Manager).
 */
final class OfflineTokenChecks implements Stage {
    private final GraphPermissionCatalogue catalogue;

    OfflineTokenChecks(GraphPermissionCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public StageResult apply(Evaluation evaluation) {
        List<Step> steps = new ArrayList<>();
        String authorization = evaluation.request().authorization();
        Optional<String> compact = Bearer.token(authorization);
        if (compact.isEmpty()) {
            String why = authorization == null ? "no token was given" : "the Authorization value is not 'Bearer <token>'";
            steps.add(Step.failed(Check.TOKEN_PRESENT, why));
            return new StageResult.Stop(Failure.of(Cause.TOKEN_MISSING, "problem", why), evaluation, steps);
        }
        steps.add(Step.passed(Check.TOKEN_PRESENT, "a Bearer token of " + compact.get().length() + " characters"));
        JWTClaimsSet claims;
        try {
            claims = TokenReader.unsafeClaims(compact.get());
        } catch (IllegalArgumentException e) {
            Failure malformed = compact.get().indexOf('.') < 0 ? TokenChecks.notCompact(e.getMessage())
                    : Failure.of(Cause.TOKEN_MALFORMED, "problem", e.getMessage());
            return stop(evaluation, steps, malformed, e.getMessage());
        }
        TokenIssuer issuer = TokenIssuer.of(claims);
        if (!issuer.entraShaped()) {
            String problem = "it was issued by " + issuer.description() + "; Microsoft Graph accepts only tokens that "
                    + "Microsoft Entra ID issued";
            return stop(evaluation, steps, Failure.of(Cause.TOKEN_ISSUER_UNTRUSTED, "problem", problem, "acceptedBy",
                    "Microsoft Graph", "tokenSource", "Microsoft Entra ID, for https://graph.microsoft.com (MSAL with your "
                            + "tenant's authority)"), problem);
        }
        TokenView token;
        try {
            token = TokenReader.unsafeDecodeWithoutSignature(claims);
        } catch (IllegalArgumentException e) {
            return stop(evaluation, steps, Failure.of(Cause.TOKEN_MALFORMED, "problem", e.getMessage()), e.getMessage());
        }
        steps.add(Step.unknown(Check.SIGNATURE_AND_ISSUER, "issued by " + issuer.description() + " (" + issuer.issuer()
                + "); the signature was not checked: the token was decoded offline, without its issuer's keys"));
        Optional<TokenValidator.Result.Invalid> refused = TokenValidator.lifetimeAndAudience(token, evaluation.now(),
                BuiltinResources.graph()::matchesName);
        if (refused.isPresent()) {
            TokenValidator.Result.Invalid invalid = refused.get();
            if (invalid.problem() == TokenValidator.Problem.AUDIENCE_UNEXPECTED) {
                steps.add(Step.passed(Check.LIFETIME, "valid at " + evaluation.now()));
            }
            String detail = invalid.problem() == TokenValidator.Problem.AUDIENCE_UNEXPECTED
                    ? invalid.detail() + " (" + resourceName(token.audience()) + ")" : invalid.detail();
            return stop(evaluation.withTenant(token.tenantId()), steps, TokenChecks.failure(invalid), detail);
        }
        steps.add(Step.passed(Check.LIFETIME, "valid at " + evaluation.now()));
        steps.add(Step.passed(Check.AUDIENCE, "aud is Microsoft Graph (" + String.join(", ", token.audience()) + ")"));
        return TokenChecks.accountType(catalogue, evaluation.withTenant(token.tenantId()).withToken(token), steps);
    }

    private static StageResult stop(Evaluation at, List<Step> steps, Failure failure, String detail) {
        steps.add(Step.failed(Check.of(failure.cause()), detail));
        return new StageResult.Stop(failure, at, steps);
    }

    /** What a token's audience names, when it is a well-known resource other than Microsoft Graph. */
    static String resourceName(List<String> audience) {
        return audience.stream().map(KnownAudiences::name).flatMap(Optional::stream).findFirst()
                .map(name -> name + ", not Microsoft Graph: Graph accepts only tokens issued for it")
                .orElse("not a resource Consentry knows by name: an API of its own, or an ID token's client id");
    }
}
