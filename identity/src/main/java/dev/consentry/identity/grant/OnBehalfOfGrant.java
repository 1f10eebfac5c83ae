package dev.consentry.identity.grant;

import com.nimbusds.jwt.JWTParser;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.EntraTime;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Check;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.client.ClientAuthenticator;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.identity.token.VerifiedToken;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.store.Store;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The on-behalf-of flow (RFC 7523 jwt-bearer grant with {@code requested_token_use=on_behalf_of}): an API
 * that received a user's token exchanges it, authenticating as itself, for a token to a downstream API on
 * the same user's behalf. The assertion must be a Consentry user token issued for this very client, still
 * valid; the user must still be enabled; the downstream scopes must be consented for this client. The new token
 * states the authentication methods and context classes the assertion states, so a step-up is not lost downstream.
 */
final class OnBehalfOfGrant implements Grant {
    private final Store store;
    private final ClientAuthenticator clients;
    private final TokenValidator validator;
    private final DelegatedIssuer issuer;

    OnBehalfOfGrant(Store store, ClientAuthenticator clients, TokenValidator validator, DelegatedIssuer issuer) {
        this.store = store;
        this.clients = clients;
        this.validator = validator;
        this.issuer = issuer;
    }

    @Override
    public Map<String, Object> issue(TokenCall call, TenantPath path) {
        String use = call.params().require("requested_token_use");
        if (!"on_behalf_of".equals(use)) {
            throw Failure.of(Cause.PARAMETER_INVALID, "parameter", "requested_token_use", "problem",
                    "it is '" + use + "'; the jwt-bearer grant is served for on_behalf_of only").toException();
        }
        String assertionText = call.params().require("assertion");
        VerifiedToken assertion = switch (validator.validate(assertionText, call.now())) {
            case TokenValidator.Result.Valid v -> v.token();
            case TokenValidator.Result.Invalid i when i.problem() == TokenValidator.Problem.EXPIRED
                    || i.problem() == TokenValidator.Problem.NOT_YET_VALID -> throw Failure.of(Cause.OBO_ASSERTION_EXPIRED,
                            "problem", i.detail(), "currentTime", EntraTime.of(call.now()), "expiryTime",
                            expiryOf(assertionText)).toException();
            case TokenValidator.Result.Invalid i -> throw Failure.of(Cause.OBO_ASSERTION_INVALID, "problem", i.detail())
                    .toException();
        };
        TenantId tenant = assertion.tenantId();
        if (path instanceof TenantPath.Specific s && !s.id().equals(tenant)) {
            throw Failure.of(Cause.OBO_ASSERTION_INVALID, "problem", "the assertion was issued in tenant " + tenant
                    + ", the request is for tenant " + s.id()).toException();
        }
        AuthenticatedClient client = clients.authenticate(tenant, call.params(), call.authorization(),
                call.urls().assertionAudiences(call.tenantPathValue(), tenant), call.now());
        call.steps().passed(Check.CLIENT_AUTHENTICATION, ClientAuthenticator.describe(client));
        String clientId = client.application().appId().toString();
        if (assertion.appOnly()) {
            throw Failure.of(Cause.OBO_APP_ONLY_ASSERTION, "clientId", clientId).toException();
        }
        List<String> names = namesOf(client.application());
        if (assertion.audience().stream().noneMatch(a -> names.contains(trim(a)))) {
            throw Failure.of(Cause.OBO_ASSERTION_WRONG_AUDIENCE, "audience", String.join(" ", assertion.audience()),
                    "clientId", clientId, "appName", SignInRules.appName(client.application()), "expected",
                    String.join(" ", names)).toException();
        }
        User user = assertion.objectId().flatMap(ObjectId::tryParse).flatMap(oid -> store.users().find(tenant, oid))
                .orElseThrow(() -> Failure.of(Cause.USER_NOT_FOUND, "tenant", tenant.toString(), "username",
                        assertion.objectId().orElse("(no oid)")).toException());
        if (!user.enabled()) {
            throw Failure.of(Cause.USER_DISABLED, "username", user.userPrincipalName()).toException();
        }
        return issuer.respond(call, tenant, client, user, call.params().require("scope"), contextOf(assertion, call));
    }

    /**
     * What the user's sign-in proved, as far as the assertion states it: its {@code amr} (v1.0 tokens carry it; a
     * password sign-in when it states none) and its {@code acrs}. An access token states no device and no
     * {@code auth_time}; its issue time stands in for the latter.
     */
    private static AuthContext contextOf(VerifiedToken assertion, TokenCall call) {
        List<String> amr = assertion.amr().isEmpty() ? List.of("pwd") : assertion.amr();
        return new AuthContext(amr, assertion.acrs(), null, assertion.issuedAt().orElse(call.now()));
    }

    /** The audiences a token for this application may carry: its app id and identifier URIs. */
    private static List<String> namesOf(Application app) {
        List<String> names = new ArrayList<>();
        names.add(app.appId().toString());
        app.identifierUris().forEach(u -> names.add(trim(u)));
        return names;
    }

    /** The assertion's exp in Entra's seven-digit form, as AADSTS500133 names it ("(none)" when it has none). */
    private static String expiryOf(String assertion) {
        try {
            Date exp = JWTParser.parse(assertion).getJWTClaimsSet().getExpirationTime();
            return exp == null ? "(none)" : EntraTime.of(exp.toInstant());
        } catch (ParseException e) {
            return "(none)";
        }
    }

    private static String trim(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
