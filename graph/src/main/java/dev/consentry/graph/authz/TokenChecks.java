package dev.consentry.graph.authz;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.permission.PathMatch;
import dev.consentry.core.permission.Scheme;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.identity.token.VerifiedToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The token stage of the Graph authorization pipeline, in the order Graph applies it (product brief,
 * section 2; wire spec, section 6.2): token present, then well formed, signed by one of Consentry's keys
 * for one of its tenants, within its lifetime (five minutes of skew, time from the caller's clock), issued
 * for Microsoft Graph, and, for a personal Microsoft account, on a route that has a DelegatedPersonal
 * permission. Each check is recorded as a {@link Step}; the first failure ends the stage.
 */
public final class TokenChecks {
    /** The audiences of Microsoft Graph tokens (wire spec, section 8). */
    static final Set<String> GRAPH_AUDIENCES = Set.of("https://graph.microsoft.com", "https://graph.microsoft.com/",
            WellKnown.GRAPH_APP_ID.toString());
    private final TokenValidator validator;
    private final GraphPermissionCatalogue catalogue;

    public TokenChecks(TokenValidator validator, GraphPermissionCatalogue catalogue) {
        this.validator = validator;
        this.catalogue = catalogue;
    }

    public TokenStage check(GraphRequest request, Instant now) {
        List<Step> steps = new ArrayList<>();
        String token = bearer(request.authorization());
        if (token == null) {
            String why = request.authorization() == null ? "no Authorization header"
                    : "the Authorization header is not 'Bearer <token>'";
            steps.add(new Step("token-present", false, why));
            return TokenStage.Refused.unverified(Failure.of(Cause.TOKEN_MISSING, "problem", why), steps);
        }
        steps.add(new Step("token-present", true, "a Bearer token of " + token.length() + " characters"));

        VerifiedToken verified;
        switch (validator.validate(token, now)) {
            case TokenValidator.Result.Invalid invalid -> {
                Cause cause = switch (invalid.problem()) {
                    case MALFORMED -> Cause.TOKEN_MALFORMED;
                    case SIGNATURE_INVALID -> Cause.TOKEN_SIGNATURE_INVALID;
                    case ISSUER_UNTRUSTED -> Cause.TOKEN_ISSUER_UNTRUSTED;
                    case EXPIRED -> Cause.TOKEN_EXPIRED;
                    case NOT_YET_VALID -> Cause.TOKEN_NOT_YET_VALID;
                };
                steps.add(new Step(checkOf(invalid.problem()), false, invalid.detail()));
                return TokenStage.Refused.unverified(Failure.of(cause, "problem", invalid.detail()), steps);
            }
            case TokenValidator.Result.Valid valid -> verified = valid.token();
        }
        steps.add(new Step("signature-and-issuer", true, "signed by a Consentry key for tenant " + verified.tenantId()
                + ", issuer " + verified.issuer()));
        steps.add(new Step("lifetime", true, "valid at " + now));

        List<String> audience = verified.audience();
        if (audience.stream().noneMatch(GRAPH_AUDIENCES::contains)) {
            String aud = String.join(", ", audience);
            steps.add(new Step("audience", false, "aud is " + aud));
            return new TokenStage.Refused(Failure.of(Cause.WRONG_AUDIENCE, "audience", aud, "scopeHint",
                    audience.isEmpty() ? "another resource" : stripSlash(audience.get(0)) + "/.default"),
                    Optional.of(verified.tenantId()), steps);
        }
        steps.add(new Step("audience", true, "aud is Microsoft Graph (" + String.join(", ", audience) + ")"));

        if (verified.tenantId().equals(WellKnown.CONSUMERS_TENANT_ID) && !verified.appOnly()) {
            PathMatch personal = catalogue.match(request.method(), request.path(), Scheme.DELEGATED_PERSONAL);
            if (personal instanceof PathMatch.Matched m && m.sufficient().isEmpty()) {
                String route = request.method().toUpperCase(Locale.ROOT) + " " + String.join(" or ", m.templates());
                steps.add(new Step("account-type", false, "a personal Microsoft account on " + route
                        + ", which has no DelegatedPersonal permission"));
                return new TokenStage.Refused(Failure.of(Cause.PERSONAL_ACCOUNT_NOT_SUPPORTED, "tenant",
                        verified.tenantId().toString(), "route", route), Optional.of(verified.tenantId()), steps);
            }
            steps.add(new Step("account-type", true, "a personal Microsoft account, on a route that admits one"));
        } else {
            steps.add(new Step("account-type", true, verified.appOnly() ? "an application" : "a work or school account"));
        }
        return new TokenStage.Passed(verified, steps);
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme in any case), or null. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() < 7 || !h.substring(0, 7).equalsIgnoreCase("Bearer ")) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static String checkOf(TokenValidator.Problem problem) {
        return switch (problem) {
            case MALFORMED -> "well-formed";
            case SIGNATURE_INVALID, ISSUER_UNTRUSTED -> "signature-and-issuer";
            case EXPIRED, NOT_YET_VALID -> "lifetime";
        };
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
