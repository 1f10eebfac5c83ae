package dev.consentry.identity.authorize;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.code.AuthorizationCodes;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.protocol.ClientInfo;
import dev.consentry.identity.protocol.StsError;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.identity.token.AccessTokenFactory;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.store.Store;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The end of a successful sign-in at the authorize endpoint: checks that this user may use this app
 * through this authority, then either builds the response (a code, an id token, or both; wire spec,
 * section 1.4) or, when a requested delegated permission is not consented, says so as a value, for the
 * caller to ask the user or to refuse with AADSTS65001 {@code consent_required}.
 */
public final class AuthorizeFlow {

    /** How a sign-in ends at the authorize endpoint. */
    public sealed interface Completion {
        /** Everything asked for is consented: the response to send back to the app. */
        record Respond(AuthorizationResponse response) implements Completion {}

        /** Some delegated permission asked for is not consented for this app and user. */
        record AskConsent(DelegatedScopes.ConsentNeeded needed) implements Completion {}
    }

    private final Store store;
    private final DelegatedScopes scopes;
    private final AuthorizationCodes codes;
    private final AccessTokenFactory tokens;

    public AuthorizeFlow(Store store, DelegatedScopes scopes, AuthorizationCodes codes, AccessTokenFactory tokens) {
        this.store = store;
        this.scopes = scopes;
        this.codes = codes;
        this.tokens = tokens;
    }

    /**
     * The completion for {@code user}: a response, or the consent it lacks; a {@code FailureException} for a user
     * who may not use the app through this authority at all.
     *
     * @param auth what the user's sign-in proved (this one, or the one of the browser session it resumes)
     * @param sessionState the browser session's {@code session_state} value
     */
    public Completion complete(AuthorizationRequest request, AuthenticatedUser user, AuthContext auth,
                                          String sessionState, StsUrls urls, Instant now) {
        var tenant = user.tenant().id();
        SignInRules.checkUser(request.tenant(), request.client(), request.clientHomeTenant(), user.tenant().id(), user.user());
        UserAuthenticator.checkState(user.user());
        ServicePrincipal sp = store.servicePrincipals().findByAppId(tenant, request.client().appId()).orElseThrow(() ->
                Failure.of(Cause.CLIENT_NOT_IN_TENANT, "clientId", request.client().appId().toString(), "tenant",
                        tenant.toString(), "homeTenant", request.clientHomeTenant().toString(), "signInAudience",
                        request.client().signInAudience()).toException());
        if (!sp.enabled()) {
            throw Failure.of(Cause.CLIENT_DISABLED, "clientId", request.client().appId().toString(), "tenant",
                    tenant.toString()).toException();
        }
        AuthenticatedClient client = new AuthenticatedClient(request.client(), request.clientHomeTenant(), sp,
                AuthenticatedClient.Method.NONE);
        DelegatedScopes.Granted granted;
        switch (scopes.resolve(tenant, client, user.user(), request.scope())) {
            case DelegatedScopes.Granted g -> granted = g;
            case DelegatedScopes.ConsentNeeded needed -> {
                return new Completion.AskConsent(needed);
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (request.wantsCode()) {
            params.put("code", codes.issue(request.codeBinding(), tenant, user.user().id(), auth, now));
        }
        if (request.wantsIdToken()) {
            params.put("id_token", tokens.idToken(urls, tenant, client, user.user(), granted.oidc().contains("email"),
                    request.nonce(), params.get("code"), now));
        }
        if (request.clientInfo()) {
            params.put("client_info", ClientInfo.encode(user.user().id(), tenant));
        }
        if (request.reply().state() != null) {
            params.put("state", request.reply().state());
        }
        params.put("session_state", sessionState);
        return new Completion.Respond(new AuthorizationResponse(request.reply(), params));
    }

    /**
     * The {@code error} of an authorize response: the token endpoint's {@code invalid_grant} and
     * {@code invalid_client} are not authorization errors (RFC 6749, section 4.1.2.1; OpenID Connect Core,
     * section 3.1.2.6), so a missing consent is {@code consent_required}, any other user-side refusal
     * {@code interaction_required}, and a client-side one {@code unauthorized_client}.
     */
    static String authorizeError(Cause cause) {
        return switch (cause.error()) {
            case "invalid_grant" -> "consent_required".equals(cause.suberror()) ? "consent_required" : "interaction_required";
            case "invalid_client" -> "unauthorized_client";
            default -> cause.error();
        };
    }

    /** The redirectable form of a refusal: {@code error}, {@code error_description}, {@code error_uri}, {@code state}. */
    public static AuthorizationResponse error(AuthorizeRefusal refusal, String traceId, String correlationId, Instant now,
                                              StsUrls urls) {
        Failure f = refusal.failure();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", authorizeError(f.cause()));
        params.put("error_description", new StsError(f, traceId, correlationId, now).description());
        params.put("error_uri", urls.origin() + "/error?code=" + f.cause().code());
        if (refusal.replyTo().state() != null) {
            params.put("state", refusal.replyTo().state());
        }
        return new AuthorizationResponse(refusal.replyTo(), params);
    }

}
