package dev.consentry.identity.authorize;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.id.AppId;
import dev.consentry.identity.authorize.AuthorizationRequest.Prompt;
import dev.consentry.identity.authorize.RedirectUriMatcher.Platform;
import dev.consentry.identity.client.ClientRegistrations;
import dev.consentry.identity.protocol.ClaimsRequest;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.store.ApplicationStore.HomedApplication;
import dev.consentry.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Validates authorize requests (wire spec, section 1.4) in the order that decides where an error may go:
 * first the tenant, the client and its redirect URI, whose failures stay on Consentry's page; then every
 * other parameter, whose failures go back to that now-trusted redirect URI.
 */
public final class AuthorizationRequests {
    /** Parameters that may appear once only (RFC 6749, section 3.1). */
    public static final Set<String> SINGLE_VALUED = Set.of("client_id", "redirect_uri", "response_type", "response_mode",
            "scope", "state", "nonce", "prompt", "login_hint", "domain_hint", "code_challenge", "code_challenge_method", "claims");
    /** RFC 7636, section 4.2: 43 to 128 characters of the unreserved set. */
    private static final Pattern PKCE_VALUE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final int MAX_STATE = 4096;
    private final Store store;

    public AuthorizationRequests(Store store) {
        this.store = store;
    }

    /**
     * Validates one request.
     *
     * @param tenantPathValue the {@code {tenant}} path segment as sent
     * @param rawQuery the query string (or the form body of a POSTed request), possibly null
     * @throws AuthorizeRefusal for every problem, on the page or redirected as the protocol allows
     */
    public AuthorizationRequest parse(String tenantPathValue, String rawQuery) {
        String query = rawQuery == null ? "" : rawQuery;
        Client client = client(tenantPathValue, query, SINGLE_VALUED, false);
        FormParameters q = client.query();
        TenantPath path = client.path();
        HomedApplication homed = client.homed();
        var app = homed.application();
        String redirectUri = client.redirectUri();
        Platform platform = client.platform();

        // From here on the redirect URI is trusted: errors go back to it.
        String state = q.get("state").orElse(null);
        String responseType = q.get("response_type").orElse("");
        Set<String> types = new TreeSet<>(Arrays.asList(responseType.trim().split(" +")));
        boolean code = types.remove("code");
        boolean idToken = types.remove("id_token");
        ResponseMode defaultMode = code && !idToken ? ResponseMode.QUERY : ResponseMode.FRAGMENT;
        ReplyTarget fallback = new ReplyTarget(redirectUri, q.get("response_mode").flatMap(ResponseMode::fromWire)
                .filter(m -> m != ResponseMode.QUERY || !idToken).orElse(defaultMode), state);
        if (state != null && state.length() > MAX_STATE) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.PARAMETER_INVALID, "parameter", "state", "problem",
                    "it is longer than " + MAX_STATE + " characters"), new ReplyTarget(redirectUri, fallback.mode(), null));
        }
        if (types.contains("token")) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.IMPLICIT_TOKEN_NOT_ENABLED, "responseType", responseType),
                    fallback);
        }
        if (!types.isEmpty() || (!code && !idToken)) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.RESPONSE_TYPE_UNSUPPORTED, "responseType",
                    responseType.isEmpty() ? "(none)" : responseType), fallback);
        }
        // Entra refuses an id token in the redirect unless the registration enables it, as a new one does not
        // (AADSTS700054); the flag is the web platform's, and Graph keeps it there whatever the redirect's platform.
        if (idToken && !app.web().idTokenIssuance().orElse(false)) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.ID_TOKEN_NOT_ENABLED, "responseType", responseType,
                    "clientId", app.appId().toString(), "applicationObjectId", app.id().toString(), "setting",
                    app.web().idTokenIssuance().map(String::valueOf).orElse("not set")), fallback);
        }
        ResponseMode mode = defaultMode;
        if (q.get("response_mode").isPresent()) {
            String wire = q.get("response_mode").get();
            mode = ResponseMode.fromWire(wire).orElseThrow(() -> AuthorizeRefusal.redirected(Failure.of(
                    Cause.RESPONSE_MODE_INVALID, "responseMode", wire, "problem", "it is not query, fragment or form_post"),
                    fallback));
            if (mode == ResponseMode.QUERY && idToken) {
                throw AuthorizeRefusal.redirected(Failure.of(Cause.RESPONSE_MODE_INVALID, "responseMode", wire,
                        "problem", "an id_token must not travel in a query string (OAuth 2.0 Multiple Response Type Encoding Practices, section 5)"),
                        fallback);
            }
        }
        ReplyTarget reply = new ReplyTarget(redirectUri, mode, state);
        String scope = q.get("scope").orElseThrow(() -> AuthorizeRefusal.redirected(
                Failure.of(Cause.PARAMETER_MISSING, "parameter", "scope"), reply));
        if (idToken && !Arrays.asList(scope.trim().split("\\s+")).contains("openid")) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.SCOPE_INVALID, "scope", scope, "problem",
                    "An id_token was requested without the openid scope."), reply);
        }
        String nonce = q.get("nonce").orElse(null);
        if (idToken && nonce == null) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.NONCE_REQUIRED), reply);
        }
        String challenge = q.get("code_challenge").orElse(null);
        String method = q.get("code_challenge_method").orElse(challenge == null ? null : "plain");
        if (challenge == null && method != null) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.PARAMETER_MISSING, "parameter", "code_challenge"), reply);
        }
        if (challenge != null && !PKCE_VALUE.matcher(challenge).matches()) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.PARAMETER_INVALID, "parameter", "code_challenge", "problem",
                    "it must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~' (RFC 7636, section 4.2)"), reply);
        }
        if (method != null && !method.equals("S256") && !method.equals("plain")) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.PKCE_METHOD_UNSUPPORTED, "method", method, "problem",
                    "RFC 7636 defines only S256 and plain"), reply);
        }
        if (code && platform.isPublic()) {
            if (challenge == null) {
                throw AuthorizeRefusal.redirected(Failure.of(Cause.PKCE_REQUIRED, "clientId", app.appId().toString(),
                        "platform", platform.description()), reply);
            }
            if (!"S256".equals(method)) {
                throw AuthorizeRefusal.redirected(Failure.of(Cause.PKCE_METHOD_UNSUPPORTED, "method", method, "problem",
                        "a " + platform.description() + " client must use S256; plain offers no protection when the "
                                + "challenge can be seen"), reply);
            }
        }
        Prompt prompt = null;
        if (q.get("prompt").isPresent()) {
            String p = q.get("prompt").get();
            prompt = Prompt.fromWire(p).orElseThrow(() -> AuthorizeRefusal.redirected(Failure.of(Cause.PARAMETER_INVALID,
                    "parameter", "prompt", "problem", "'" + p + "' is not login, none, select_account or consent"), reply));
        }
        ClaimsRequest claims;
        try {
            claims = ClaimsRequest.parse(q.get("claims").orElse(null));
        } catch (FailureException e) {
            throw AuthorizeRefusal.redirected(e.failure(), reply);
        }
        return new AuthorizationRequest(query, path, app, homed.tenant(), platform, reply, code, idToken, scope, challenge,
                method, nonce, prompt, q.get("login_hint").orElse(null), q.get("domain_hint").orElse(null),
                "1".equals(q.get("client_info").orElse(null)), claims, false);
    }

    /** What the first checks of a browser request establish, before anything may be sent to its redirect URI. */
    private record Client(FormParameters query, TenantPath path, HomedApplication homed, String redirectUri,
                          Platform platform) {}

    /**
     * The first checks of a browser request, whose failures stay on Consentry's page: the query's form, the tenant
     * ({@code organizations} or a tenant only, when {@code namedTenant}), the client, and a redirect URI it registered.
     */
    private Client client(String tenantPathValue, String query, Set<String> singleValued, boolean namedTenant) {
        FormParameters q;
        TenantPath path;
        HomedApplication homed;
        try {
            q = FormParameters.parse(query.getBytes(StandardCharsets.UTF_8), singleValued);
            path = TenantPath.require(tenantPathValue, store.tenants());
            if (namedTenant && path instanceof TenantPath.Audience a && a.kind() != TenantPath.Kind.ORGANIZATIONS) {
                throw Failure.of(Cause.PARAMETER_INVALID, "parameter", "tenant", "problem", "the admin consent endpoint "
                        + "needs a tenant (its id or domain) or 'organizations', not '" + tenantPathValue
                        + "': an administrator consents for one organization").toException();
            }
            String clientIdText = q.require("client_id");
            AppId clientId = ClientRegistrations.parseClientId(clientIdText, tenantPathValue);
            homed = ClientRegistrations.find(store, path, clientId);
            SignInRules.checkClientAudience(path, homed.application(), homed.tenant());
        } catch (FailureException e) {
            throw AuthorizeRefusal.onPage(e.failure());
        }
        var app = homed.application();
        String redirectUri = q.get("redirect_uri").orElse(null);
        if (RedirectUriMatcher.registered(app).isEmpty()) {
            throw AuthorizeRefusal.onPage(Failure.of(Cause.REDIRECT_URI_NONE_REGISTERED, "clientId", app.appId().toString()));
        }
        if (redirectUri == null) {
            throw AuthorizeRefusal.onPage(Failure.of(Cause.PARAMETER_MISSING, "parameter", "redirect_uri"));
        }
        Platform platform = RedirectUriMatcher.match(app, redirectUri).orElseThrow(() -> AuthorizeRefusal.onPage(
                Failure.of(Cause.REDIRECT_URI_MISMATCH, "redirectUri", redirectUri, "clientId", app.appId().toString(),
                        "registered", String.join(", ", RedirectUriMatcher.registered(app)),
                        "detail", RedirectUriMatcher.whyNot(app, redirectUri))));
        return new Client(q, path, homed, redirectUri, platform);
    }

    /** A request as a sign-in or consent form carried it ({@link AuthorizationRequest#carried()}). */
    public AuthorizationRequest parseCarried(String tenantPathValue, String carried) {
        return carried.startsWith(AuthorizationRequest.ADMIN_CONSENT_PREFIX)
                ? parseAdminConsent(tenantPathValue, carried.substring(AuthorizationRequest.ADMIN_CONSENT_PREFIX.length()))
                : parse(tenantPathValue, carried);
    }

    /** Parameters of the admin consent endpoint that may appear once only. */
    private static final Set<String> ADMIN_CONSENT_SINGLE_VALUED = Set.of("client_id", "redirect_uri", "scope", "state");

    /**
     * Validates a request to the admin consent endpoint, {@code GET /{tenant}/v2.0/adminconsent} (Microsoft Learn,
     * "Admin consent on the Microsoft identity platform", https://learn.microsoft.com/entra/identity-platform/
     * v2-admin-consent): {@code client_id}, {@code redirect_uri} (an exact match of a registered one), {@code scope}
     * ({@code {resource}/.default}, or the resource's delegated permissions by name) and {@code state}. The tenant, the
     * client and the redirect URI fail on Consentry's page, as Entra's do ("Sorry, but we're having trouble signing you
     * in"); a tenant must be named ({@code organizations} or a tenant, not {@code common}, which the documentation
     * rules out). Other problems go back to the redirect URI. The result is an {@link AuthorizationRequest} that asks
     * for no code or token ({@link AuthorizationRequest#adminConsent()}), so the sign-in journey is the authorize
     * endpoint's; a missing {@code scope} asks for {@code .default}, as the older {@code /{tenant}/adminconsent} did.
     */
    public AuthorizationRequest parseAdminConsent(String tenantPathValue, String rawQuery) {
        String query = rawQuery == null ? "" : rawQuery;
        Client client = client(tenantPathValue, query, ADMIN_CONSENT_SINGLE_VALUED, true);
        FormParameters q = client.query();
        var app = client.homed().application();
        String redirectUri = client.redirectUri();
        String state = q.get("state").orElse(null);
        ReplyTarget reply = new ReplyTarget(redirectUri, ResponseMode.QUERY, state);
        if (state != null && state.length() > MAX_STATE) {
            throw AuthorizeRefusal.redirected(Failure.of(Cause.PARAMETER_INVALID, "parameter", "state", "problem",
                    "it is longer than " + MAX_STATE + " characters"), new ReplyTarget(redirectUri, ResponseMode.QUERY, null));
        }
        String scope = q.get("scope").filter(s -> !s.isBlank()).orElse("https://graph.microsoft.com/.default");
        return new AuthorizationRequest(query, client.path(), app, client.homed().tenant(), client.platform(), reply, false,
                false, scope, null, null, null, null, null, null, false, ClaimsRequest.NONE, true);
    }

    /** The client's registration: in the path's tenant when it names one, else anywhere. */
}
