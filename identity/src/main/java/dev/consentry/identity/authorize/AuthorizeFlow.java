package dev.consentry.identity.authorize;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.ServicePrincipal;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.access.AccessDecision;
import dev.consentry.identity.access.AccessRequest;
import dev.consentry.identity.access.ConditionalAccess;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

        /**
         * The user must be asked: some delegated permission asked for is not consented for this app and user, or
         * {@code prompt=consent} asks again. {@code needed.toConsent()} is what the consent page lists (empty when
         * there is nothing the user could consent to, which is then a refusal).
         */
        record AskConsent(DelegatedScopes.ConsentNeeded needed) implements Completion {}

        /**
         * A conditional access policy requires a second factor, which this sign-in has not proved and the user could prove
         * now (registering an authenticator app first when they have none): ask for it, then complete again.
         * {@code refusal} is what the app would hear if the user could not (AADSTS50076 or AADSTS50079).
         */
        record AskSecondFactor(Failure refusal) implements Completion {}

        /**
         * The browser's sign-in is older than a policy's sign-in frequency allows: the user signs in again (password,
         * then whatever else the policies ask), then the request completes. {@code refusal} is AADSTS70044, what the app
         * hears under {@code prompt=none}.
         */
        record AskSignInAgain(Failure refusal) implements Completion {}

        /**
         * A policy requires a compliant (or domain-joined) device, and the browser's is not, or is not known:
         * {@code registered} says whether the browser has a registered device at all (if not, the user may register
         * it). {@code refusal} is AADSTS53000.
         */
        record AskDevice(Failure refusal, boolean registered) implements Completion {}
    }

    private final Store store;
    private final DelegatedScopes scopes;
    private final AuthorizationCodes codes;
    private final AccessTokenFactory tokens;
    private final ConditionalAccess conditionalAccess;

    public AuthorizeFlow(Store store, DelegatedScopes scopes, AuthorizationCodes codes, AccessTokenFactory tokens) {
        this.store = store;
        this.scopes = scopes;
        this.codes = codes;
        this.tokens = tokens;
        this.conditionalAccess = new ConditionalAccess(store);
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
        return complete(request, user, auth, sessionState, urls, now, false, null);
    }

    /**
     * As above; {@code consentedNow} says the user has just answered the consent page for this request, so
     * {@code prompt=consent} is satisfied and does not ask again; {@code clientAddress} is the browser's address (null
     * when unknown), for named locations. The device the policies see is the one {@code auth} names ({@code deviceId}).
     */
    public Completion complete(AuthorizationRequest request, AuthenticatedUser user, AuthContext auth,
                               String sessionState, StsUrls urls, Instant now, boolean consentedNow,
                               java.net.InetAddress clientAddress) {
        var tenant = user.tenant().id();
        SignInRules.checkUser(request.tenant(), request.client(), request.clientHomeTenant(), user.tenant().id(), user.user());
        UserAuthenticator.checkState(user.user());
        Optional<ServicePrincipal> stored = store.servicePrincipals().findByAppId(tenant, request.client().appId());
        // A multi-tenant app signing in a user of another work tenant for the first time: Entra creates the app's
        // service principal there when the user consents, so until then it exists only to be consented to.
        boolean firstConsent = stored.isEmpty() && !tenant.equals(request.clientHomeTenant())
                && !tenant.equals(WellKnown.CONSUMERS_TENANT_ID);
        ServicePrincipal sp = stored.orElseGet(() -> {
            if (!firstConsent) {
                throw Failure.of(Cause.CLIENT_NOT_IN_TENANT, "clientId", request.client().appId().toString(), "tenant",
                        tenant.toString(), "homeTenant", request.clientHomeTenant().toString(), "signInAudience",
                        request.client().signInAudience()).toException();
            }
            return ServicePrincipal.of(ServicePrincipal.stableId(tenant, request.client().appId()), request.client(),
                    request.clientHomeTenant(), true, false, null);
        });
        if (!sp.enabled()) {
            throw Failure.of(Cause.CLIENT_DISABLED, "clientId", request.client().appId().toString(), "appName",
                    SignInRules.appName(request.client()), "tenant", tenant.toString()).toException();
        }
        AuthenticatedClient client = new AuthenticatedClient(request.client(), request.clientHomeTenant(), sp,
                AuthenticatedClient.Method.NONE);
        DelegatedScopes.Granted granted;
        switch (scopes.resolve(tenant, client, user.user(), request.scope(), true)) {
            case DelegatedScopes.Granted g -> granted = g;
            case DelegatedScopes.ConsentNeeded needed -> {
                return new Completion.AskConsent(needed);
            }
        }
        if (firstConsent && !consentedNow) {
            // Nothing of a resource asked for (only openid, profile, ...): the user still consents to signing in.
            return new Completion.AskConsent(scopes.signInConsent(tenant, client, user.user(), granted.oidc()));
        }
        // Consented already, but static consent lists permissions not granted yet, or prompt=consent asks again.
        boolean again = request.prompt() == AuthorizationRequest.Prompt.CONSENT && !consentedNow;
        if (!granted.staticUnconsented().isEmpty() || (again && !granted.permissions().isEmpty())) {
            List<PermissionScope> show = new ArrayList<>();
            if (again) {
                for (String p : granted.permissions()) {
                    granted.resource().scopes().stream().filter(s -> s.value().equals(p)).findFirst().ifPresent(show::add);
                }
            }
            granted.staticUnconsented().stream().filter(p -> !show.contains(p)).forEach(show::add);
            Set<String> held = new LinkedHashSet<>();
            granted.permissions().forEach(p -> held.add(p.toLowerCase(Locale.ROOT)));
            return new Completion.AskConsent(new DelegatedScopes.ConsentNeeded(client, user.user(), granted.resource(),
                    List.of(), held, show));
        }
        Optional<Completion> interrupted = checkAccess(request, user, client, granted, auth, now, clientAddress);
        if (interrupted.isPresent()) {
            return interrupted.get();
        }
        // The authentication contexts asked for, now satisfied, are stated by the tokens of this sign-in.
        auth = withContexts(auth, request.claims().acrs());
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
     * The tenant's conditional access policies for this sign-in, from the browser ({@link ConditionalAccess}). Entra
     * shows a block or a device requirement on its own page; a missing second factor is asked for
     * ({@link Completion.AskSecondFactor}), except under {@code prompt=none}, which goes back to the app as
     * {@code interaction_required} (AADSTS50076, or AADSTS50079 for a user with no method yet) with the claims to send
     * next. Empty when the policies allow the sign-in.
     */
    private Optional<Completion> checkAccess(AuthorizationRequest request, AuthenticatedUser user, AuthenticatedClient client,
                                             DelegatedScopes.Granted granted, AuthContext auth, Instant now,
                                             java.net.InetAddress clientAddress) {
        AccessRequest access = new AccessRequest(user.tenant().id(), user.user(), request.client().appId(),
                granted.resource() == null ? request.client().appId() : granted.resource().appId(), AccessRequest.BROWSER,
                auth, auth.deviceId() == null ? null : store.devices().findByDeviceId(user.tenant().id(), auth.deviceId())
                        .orElse(null), request.claims().acrs(), now, clientAddress);
        AccessDecision decision = conditionalAccess.evaluate(access);
        if (decision.allowed()) {
            return Optional.empty();
        }
        Failure refusal = conditionalAccess.refusal(decision, access, granted.resource() == null
                ? DelegatedScopes.appName(client) : granted.resource().displayName(), true);
        boolean secondFactor = conditionalAccess.secondFactorWouldSatisfy(access, decision);
        if (request.prompt() == AuthorizationRequest.Prompt.NONE && (refusal.cause() == Cause.MFA_REQUIRED
                || refusal.cause() == Cause.MFA_REGISTRATION_REQUIRED || refusal.cause() == Cause.SIGN_IN_FREQUENCY_SESSION
                || refusal.cause() == Cause.DEVICE_NOT_COMPLIANT)) {
            // No page may be shown: the app hears interaction_required, and sends the user to an interactive sign-in.
            throw AuthorizeRefusal.redirected(refusal, request.reply());
        }
        if (refusal.cause() == Cause.SIGN_IN_FREQUENCY_SESSION) {
            return Optional.of(new Completion.AskSignInAgain(refusal));
        }
        if (refusal.cause() == Cause.DEVICE_NOT_COMPLIANT) {
            return Optional.of(new Completion.AskDevice(refusal, access.device() != null));
        }
        if (secondFactor) {
            return Optional.of(new Completion.AskSecondFactor(refusal));
        }
        throw AuthorizeRefusal.onPage(refusal);
    }

    /**
     * {@code auth} also stating the authentication contexts {@code acrs} (each once, in order), which the policies that
     * name them were just evaluated for. Entra states a context asked for even when no policy names it (Microsoft Learn,
     * "Developer guide to Conditional Access authentication context").
     */
    public static AuthContext withContexts(AuthContext auth, List<String> acrs) {
        if (acrs.isEmpty()) {
            return auth;
        }
        List<String> all = new ArrayList<>(auth.acrs());
        acrs.stream().filter(a -> !all.contains(a)).forEach(all::add);
        return new AuthContext(auth.amr(), all, auth.deviceId(), auth.authTime());
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
            // Except AADSTS650053, which Entra redirects as invalid_client (real redirects quoted in Cause).
            case "invalid_client" -> cause == Cause.SCOPE_NOT_ON_RESOURCE ? "invalid_client" : "unauthorized_client";
            default -> cause.error();
        };
    }

    /** The redirectable form of a refusal: {@code error}, {@code error_description}, {@code error_uri}, {@code state}. */
    public static AuthorizationResponse error(AuthorizeRefusal refusal, String traceId, String correlationId, Instant now,
                                              StsUrls urls) {
        Failure f = refusal.failure();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", authorizeError(f.cause()));
        StsError error = new StsError(f, traceId, correlationId, now, urls.origin());
        params.put("error_description", error.description());
        params.put("error_uri", error.errorUri());
        if (refusal.replyTo().state() != null) {
            params.put("state", refusal.replyTo().state());
        }
        return new AuthorizationResponse(refusal.replyTo(), params);
    }

}
