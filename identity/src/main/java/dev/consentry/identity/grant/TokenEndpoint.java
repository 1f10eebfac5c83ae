package dev.consentry.identity.grant;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Steps;
import dev.consentry.identity.client.ClientAuthenticator;
import dev.consentry.identity.code.AuthorizationCodes;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.resource.ResourceResolver;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.token.RefreshTokens;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.store.Store;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The v2.0 token endpoint's logic ({@code POST /{tenant}/oauth2/v2.0/token}), independent of HTTP:
 * resolve the tenant, pick the grant by {@code grant_type}, let it issue, and turn the first failure
 * into a {@link TokenOutcome.Refused} with its cause.
 */
public final class TokenEndpoint {
    /** Protocol parameters that may appear at most once in a token request (RFC 6749, section 3.2). */
    public static final Set<String> SINGLE_VALUED = Set.of("grant_type", "client_id", "client_secret", "scope",
            "client_assertion", "client_assertion_type", "code", "redirect_uri", "code_verifier", "refresh_token",
            "username", "password", "assertion", "requested_token_use", "device_code", "claims", "client_info");

    private final Store store;
    private final Map<GrantType, Grant> grants = new EnumMap<>(GrantType.class);
    private final SignInLog signIns;

    public TokenEndpoint(Store store, AccessTokenFactory tokens, TokenValidator validator) {
        this.store = store;
        this.signIns = new SignInLog(store);
        ClientAuthenticator clients = new ClientAuthenticator(store);
        ResourceResolver resources = new ResourceResolver(store);
        grants.put(GrantType.CLIENT_CREDENTIALS, new ClientCredentialsGrant(store, clients, resources, tokens));
        RefreshTokens refreshTokens = new RefreshTokens(store.refreshTokens());
        DelegatedIssuer delegated = new DelegatedIssuer(store, new DelegatedScopes(store, resources), tokens, refreshTokens);
        grants.put(GrantType.PASSWORD, new PasswordGrant(clients, new UserAuthenticator(store), delegated));
        grants.put(GrantType.REFRESH_TOKEN, new RefreshTokenGrant(store, clients, refreshTokens, delegated));
        grants.put(GrantType.JWT_BEARER, new OnBehalfOfGrant(store, clients, validator, delegated));
        grants.put(GrantType.DEVICE_CODE, new DeviceCodeGrant(store, clients, delegated));
        grants.put(GrantType.AUTHORIZATION_CODE, new AuthorizationCodeGrant(store, clients, new AuthorizationCodes(store),
                refreshTokens, delegated));
    }

    /**
     * Handles one call; never throws for a client's mistake. The outcome's steps are those the endpoint and the grant
     * passed, then either {@link Check#ISSUED} or the failed step of the refusal's cause.
     */
    public TokenOutcome handle(TokenCall call) {
        Steps steps = call.steps();
        try {
            String grantType = call.params().require("grant_type");
            TenantPath tenant = TenantPath.require(call.tenantPathValue(), store.tenants());
            steps.passed(Check.TENANT, "'" + tenant.pathValue() + "' is "
                    + (tenant instanceof TenantPath.Specific s ? "tenant " + s.id() : "a multi-tenant authority"));
            Grant grant = GrantType.fromWire(grantType).map(grants::get).orElseThrow(() ->
                    Failure.of(Cause.GRANT_TYPE_UNSUPPORTED, "grantType", grantType, "supported", supported())
                            .toException());
            steps.passed(Check.GRANT_TYPE, grantType);
            if (call.origin() != null && grant != grants.get(GrantType.AUTHORIZATION_CODE)
                    && grant != grants.get(GrantType.REFRESH_TOKEN)) {
                // A browser page may redeem only a single-page application's code (and its refresh tokens).
                throw Failure.of(Cause.CROSS_ORIGIN_NOT_SPA, "origin", call.origin(), "what",
                        "the " + grantType + " grant is never a single-page application's").toException();
            }
            call.claims(); // a claims parameter that cannot be read is refused before any code or token is spent
            Map<String, Object> body = grant.issue(call, tenant);
            steps.passed(Check.ISSUED, "token_type Bearer" + (body.containsKey("refresh_token") ? ", with a refresh token" : "")
                    + (body.containsKey("id_token") ? ", with an id token" : ""));
            return new TokenOutcome.Issued(body, steps.toList());
        } catch (FailureException e) {
            return new TokenOutcome.Refused(e.failure(), steps.failedWith(e.failure()).toList());
        }
    }

    /**
     * Records the sign-in of {@code call}'s user in the tenant's sign-in log ({@link SignInLog}), issued or refused as
     * {@code outcome} says, under the request's {@code correlationId}; nothing when the call reached no user.
     */
    public void recordSignIn(TokenCall call, TokenOutcome outcome, String correlationId) {
        signIns.record(call, outcome, correlationId);
    }

    private String supported() {
        return Arrays.stream(GrantType.values()).filter(grants::containsKey).map(GrantType::wireName)
                .collect(Collectors.joining(", "));
    }
}
