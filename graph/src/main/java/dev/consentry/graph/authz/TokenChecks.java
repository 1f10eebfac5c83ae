package dev.consentry.graph.authz;

import dev.consentry.core.builtin.BuiltinResources;
import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Step;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.PathMatch;
import dev.consentry.core.permission.Scheme;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.identity.protocol.Bearer;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.identity.token.TokenView;
import dev.consentry.identity.token.VerifiedToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The token stage of the Graph authorization pipeline, in the order Graph applies it (product brief,
 * section 2; wire spec, section 6.2): token present, then well formed, signed by one of Consentry's keys
 * for one of its tenants, within its lifetime (five minutes of skew, time from the caller's clock), issued
 * for Microsoft Graph (any of the names of {@link BuiltinResources#graph()}, checked by the validator), and, for
 * a personal Microsoft account, on a route that has a DelegatedPersonal permission. Each check is recorded as a
 * {@link Step}; the first failure ends the stage. {@code /oidc/userinfo} runs the same checks up to the audience
 * ({@link #verify}).
 */
public final class TokenChecks implements Stage {
    private final TokenValidator validator;
    private final GraphPermissionCatalogue catalogue;

    /** @param validator a validator built by {@link #graphTokenValidator} */
    public TokenChecks(TokenValidator validator, GraphPermissionCatalogue catalogue) {
        this.validator = validator;
        this.catalogue = catalogue;
    }

    /**
     * The one validator of tokens sent to Microsoft Graph: it expects Graph's audiences, which are the names of the
     * built-in Graph resource ({@code https://graph.microsoft.com}, its canary host, with or without a trailing
     * slash, and Graph's app id), the same names the token endpoint issues Graph tokens for.
     */
    public static TokenValidator graphTokenValidator(SigningKeys keys) {
        return TokenValidator.builder(keys).expectAudience(BuiltinResources.graph()::matchesName).build();
    }

    /** The outcome of reading and verifying a Graph token: the token, or the failure, with the steps taken. */
    public sealed interface Verification {
        List<Step> steps();

        record Verified(VerifiedToken token, List<Step> steps) implements Verification {}

        record Refused(Failure failure, Optional<dev.consentry.core.id.TenantId> tenant, List<Step> steps)
                implements Verification {}
    }

    @Override
    public StageResult apply(Evaluation evaluation) {
        GraphRequest request = evaluation.request();
        Verification verification = verify(request.authorization(), evaluation.now());
        List<Step> steps = new ArrayList<>(verification.steps());
        if (verification instanceof Verification.Refused r) {
            return new StageResult.Stop(r.failure(), r.tenant().map(evaluation::withTenant).orElse(evaluation), steps);
        }
        VerifiedToken verified = ((Verification.Verified) verification).token();
        return accountType(catalogue, evaluation.withToken(verified), steps);
    }

    /**
     * The last token check, for a token read or verified in {@code next}: a personal Microsoft account may call only
     * routes that have a DelegatedPersonal permission (S7).
     */
    static StageResult accountType(GraphPermissionCatalogue catalogue, Evaluation next, List<Step> steps) {
        TokenView token = next.token();
        GraphRequest request = next.request();
        if (token.tenantId().equals(WellKnown.CONSUMERS_TENANT_ID) && !token.appOnly()) {
            PathMatch personal = catalogue.match(request.method(), request.graphPath(), Scheme.DELEGATED_PERSONAL);
            if (personal instanceof PathMatch.Matched m && m.sufficient().isEmpty()) {
                String route = request.method().toUpperCase(Locale.ROOT) + " " + String.join(" or ", m.templates());
                steps.add(Step.failed(Check.ACCOUNT_TYPE, "a personal Microsoft account on " + route
                        + ", which has no DelegatedPersonal permission"));
                return new StageResult.Stop(Failure.of(Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED, "tenant",
                        token.tenantId().toString(), "route", route), next, steps);
            }
            steps.add(Step.passed(Check.ACCOUNT_TYPE, "a personal Microsoft account, on a route that admits one"));
        } else {
            steps.add(Step.passed(Check.ACCOUNT_TYPE, token.appOnly() ? "an application" : "a work or school account"));
        }
        return new StageResult.Continue(next, steps);
    }

    /**
     * Token present in the {@code Authorization} header (null when absent), well formed, signed by Consentry for one
     * of its tenants, within its lifetime and for Microsoft Graph: S1 and S2, as Graph's front door and
     * {@code /oidc/userinfo} check them.
     */
    public Verification verify(String authorization, Instant now) {
        List<Step> steps = new ArrayList<>();
        Optional<String> token = Bearer.token(authorization);
        if (token.isEmpty()) {
            String why = authorization == null ? "no Authorization header" : "the Authorization header is not 'Bearer <token>'";
            steps.add(Step.failed(Check.TOKEN_PRESENT, why));
            return new Verification.Refused(Failure.of(Cause.TOKEN_MISSING, "problem", why), Optional.empty(), steps);
        }
        steps.add(Step.passed(Check.TOKEN_PRESENT, "a Bearer token of " + token.get().length() + " characters"));
        return switch (validator.validate(token.get(), now)) {
            case TokenValidator.Result.Invalid invalid when invalid.problem() == TokenValidator.Problem.MALFORMED
                    && token.get().indexOf('.') < 0 -> {
                Failure failure = notCompact(invalid.detail());
                steps.add(Step.failed(Check.WELL_FORMED, invalid.detail()));
                yield new Verification.Refused(failure, Optional.empty(), List.copyOf(steps));
            }
            case TokenValidator.Result.Invalid invalid -> refused(invalid, steps);
            case TokenValidator.Result.Valid valid -> {
                VerifiedToken verified = valid.token();
                steps.add(Step.passed(Check.SIGNATURE_AND_ISSUER, "signed by a Consentry key for tenant "
                        + verified.tenantId() + ", issuer " + verified.issuer()));
                steps.add(Step.passed(Check.LIFETIME, "valid at " + now));
                steps.add(Step.passed(Check.AUDIENCE, "aud is Microsoft Graph (" + String.join(", ", verified.audience()) + ")"));
                yield new Verification.Verified(verified, List.copyOf(steps));
            }
        };
    }

    private static Verification refused(TokenValidator.Result.Invalid invalid, List<Step> steps) {
        // A lifetime or audience refusal comes after the signature and issuer verified: those steps passed.
        if (invalid.tenant().isPresent()) {
            steps.add(Step.passed(Check.SIGNATURE_AND_ISSUER, "signed by a Consentry key for tenant " + invalid.tenant().get()));
        }
        if (invalid.problem() == TokenValidator.Problem.AUDIENCE_UNEXPECTED) {
            steps.add(Step.passed(Check.LIFETIME, "within its lifetime"));
        }
        Failure failure = failure(invalid);
        steps.add(Step.failed(Check.of(failure.cause()), invalid.detail()));
        return new Verification.Refused(failure, invalid.tenant(), List.copyOf(steps));
    }

    /** A bearer value without a dot: Graph's IDX14100 answer, today's for it. */
    static Failure notCompact(String problem) {
        return Failure.of(Cause.TOKEN_NOT_COMPACT, "problem", problem);
    }

    /** The Graph refusal of a token that failed {@code invalid}'s check. */
    static Failure failure(TokenValidator.Result.Invalid invalid) {
        return switch (invalid.problem()) {
            case MALFORMED -> Failure.of(Cause.TOKEN_MALFORMED, "problem", invalid.detail());
            case SIGNATURE_INVALID -> Failure.of(Cause.TOKEN_SIGNATURE_INVALID, "problem", invalid.detail());
            case ISSUER_UNTRUSTED -> Failure.of(Cause.TOKEN_ISSUER_UNTRUSTED, "problem", invalid.detail(), "acceptedBy",
                    "this Consentry (its own tenants' tokens)", "tokenSource", "this Consentry's token endpoint");
            case EXPIRED -> Failure.of(Cause.TOKEN_EXPIRED, "problem", invalid.detail());
            case NOT_YET_VALID -> Failure.of(Cause.TOKEN_NOT_YET_VALID, "problem", invalid.detail());
            case AUDIENCE_UNEXPECTED -> {
                List<String> audience = invalid.audience();
                yield Failure.of(Cause.WRONG_AUDIENCE, "audience", String.join(", ", audience), "scopeHint",
                        audience.isEmpty() ? "another resource" : withoutSlash(audience.get(0)) + "/.default");
            }
        };
    }

    private static String withoutSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
