package dev.consentry.server.signin;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.Application;
import dev.consentry.core.id.AppId;
import dev.consentry.core.session.SignInSession;
import dev.consentry.identity.authorize.RedirectUriMatcher;
import dev.consentry.identity.client.ClientRegistrations;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.identity.token.VerifiedToken;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.server.page.NoticePage;
import dev.consentry.server.page.Pages;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-out, {@code GET|POST /{tenant}/oauth2/v2.0/logout} (wire spec, section 1.7; OpenID Connect
 * RP-Initiated Logout 1.0, section 2, which the discovery document's {@code end_session_endpoint} names).
 *
 * <p>Parameters: {@code post_logout_redirect_uri}, {@code state}, {@code logout_hint} (a user principal
 * name), {@code client_id} and {@code id_token_hint} (an id token this Consentry issued; its {@code aud} names
 * the app). A POST carries them as an {@code application/x-www-form-urlencoded} body.
 *
 * <p>Guaranteed:
 * <ul>
 *   <li>a tenant segment that names no tenant is refused on Consentry's error page (AADSTS90002), as the authorize
 *       endpoint does, and signs nobody out;</li>
 *   <li>with {@code logout_hint}, only that account leaves this browser's single sign-on session and the other
 *       accounts stay signed in; without it, every account of this browser is signed out. When no account is
 *       left the browser cookie is cleared ({@code Max-Age=0});</li>
 *   <li>the browser is sent back (302) to {@code post_logout_redirect_uri}, with {@code state} appended when given,
 *       only when the request names a known app (by {@code client_id}, or by the {@code aud} of an
 *       {@code id_token_hint} whose signature verifies with this Consentry's keys; an expired one is accepted, as
 *       Entra does) and the URI is one of that app's registered redirect URIs under the authorize endpoint's
 *       rules ({@link RedirectUriMatcher}: exact match, any port for a public client's loopback URI). Otherwise
 *       the page "You signed out of your account" says why the app was not returned to; an unregistered URI is
 *       never redirected to, so this endpoint is no open redirect.</li>
 * </ul>
 * The session cookie is {@code SameSite=Lax}: a top-level GET from an app carries it, a POST from another site
 * does not, so such a POST signs nobody out. Front-channel logout of other apps is not performed.
 *
 * <pre>curl --cacert .consentry/ca.pem -i -b 'consentry_browser=...' 'https://localhost:8443/organizations/oauth2/v2.0/logout?client_id=...
 *   &amp;post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A3000&amp;state=abc'</pre>
 */
public final class LogoutHandler {
    private static final Logger LOG = LoggerFactory.getLogger("consentry.signin");
    /** Parameters that may appear once only (RFC 6749, section 3.1, applied to this endpoint as well). */
    static final Set<String> SINGLE_VALUED = Set.of("post_logout_redirect_uri", "state", "logout_hint", "client_id",
            "id_token_hint");
    static final String TITLE = "You signed out of your account";
    private static final int MAX_SHOWN = 200;

    private final Store store;
    private final Origins origins;
    private final StsResponses sts;
    private final TokenValidator tokens;
    private final Pages pages;

    /** @param idTokenHints a validator that ignores the audience: a hint's {@code aud} is checked against its client here */
    public LogoutHandler(Store store, Origins origins, StsResponses sts, TokenValidator idTokenHints, Pages pages) {
        this.store = store;
        this.origins = origins;
        this.sts = sts;
        this.tokens = idTokenHints;
        this.pages = pages;
    }

    /** {@code GET /{tenant}/oauth2/v2.0/logout}. */
    public void get(Context ctx) {
        logout(ctx, ctx.queryString());
    }

    /** {@code POST /{tenant}/oauth2/v2.0/logout}: the same parameters as a form body. */
    public void post(Context ctx) {
        Optional<String> body = BrowserRequest.of(ctx, origins, sts).formBody(pages);
        if (body.isPresent()) {
            logout(ctx, body.get());
        }
    }

    private void logout(Context ctx, String rawQuery) {
        BrowserRequest call = BrowserRequest.of(ctx, origins, sts);
        FormParameters q;
        TenantPath path;
        String tenantValue = ctx.pathParam("tenant");
        try {
            q = FormParameters.parse((rawQuery == null ? "" : rawQuery).getBytes(StandardCharsets.UTF_8), SINGLE_VALUED);
            path = TenantPath.require(tenantValue, store.tenants());
        } catch (FailureException e) {
            call.errorPage(pages, e.failure());
            return;
        }
        Optional<String> hint = q.get("logout_hint");
        boolean hintMatched = signOut(ctx, hint);
        LOG.info("sign-out of {} trace_id={}", hint.map(h -> "account " + h).orElse("every account of a browser"),
                call.ids().traceId());

        Optional<String> uri = q.get("post_logout_redirect_uri");
        String why;
        if (uri.isEmpty()) {
            why = "The app gave no post_logout_redirect_uri, so there is no page to return to. You can close this window.";
        } else {
            Returning back = returning(path, q, uri.get(), call.now());
            if (back.location() != null) {
                call.ctx().header("Cache-Control", "no-store, no-cache");
                call.ctx().redirect(back.location(), HttpStatus.FOUND);
                return;
            }
            why = "Consentry did not send you back to '" + shorten(uri.get()) + "' because " + back.reason()
                    + ". A post_logout_redirect_uri is honoured only when it is a redirect URI registered for the app.";
        }
        String prefix = hint.isPresent() && !hintMatched
                ? "'" + shorten(hint.get()) + "' was not signed in to this browser. " : "";
        pages.notice(ctx, new NoticePage(TITLE, prefix + why, null, null));
    }

    /**
     * Ends the browser's sessions: only the hinted account's when {@code hint} is present, else all of them;
     * clears the cookie when no account is left. Returns false when a hint matched no account of the browser.
     */
    private boolean signOut(Context ctx, Optional<String> hint) {
        String browser = BrowserCookie.read(ctx);
        if (browser == null) {
            BrowserCookie.clear(ctx);
            return hint.isEmpty();
        }
        var sessions = store.signInSessions();
        String hash = BrowserCookie.hash(browser);
        if (hint.isEmpty()) {
            sessions.removeBrowser(hash);
            BrowserCookie.clear(ctx);
            return true;
        }
        List<SignInSession> all = sessions.list(hash);
        List<SignInSession> kept = all.stream().filter(s -> !store.users().find(s.tenant(), s.userId())
                .map(u -> u.userPrincipalName().equalsIgnoreCase(hint.get())).orElse(false)).toList();
        if (kept.size() < all.size()) {
            // The store ends sessions per browser or per user everywhere; re-saving the others keeps them as they were.
            sessions.removeBrowser(hash);
            kept.forEach(sessions::save);
        }
        if (kept.isEmpty()) {
            BrowserCookie.clear(ctx);
        }
        return kept.size() < all.size();
    }

    /** Where the browser goes back to, or why it does not. Exactly one of the two is set. */
    private record Returning(String location, String reason) {}

    private Returning returning(TenantPath path, FormParameters q, String uri, Instant now) {
        Optional<String> clientParam = q.get("client_id");
        IdTokenHint h = q.get("id_token_hint").map(t -> idTokenHint(t, now)).orElse(null);
        if (h != null && h.client() == null) {
            return new Returning(null, "the id_token_hint is not an id token of this Consentry (" + h.problem() + ")");
        }
        Optional<String> hinted = Optional.ofNullable(h).map(IdTokenHint::client);
        if (clientParam.isPresent() && hinted.isPresent() && !clientParam.get().equalsIgnoreCase(hinted.get())) {
            return new Returning(null, "the client_id '" + shorten(clientParam.get()) + "' is not the app the id_token_hint "
                    + "was issued to (" + hinted.get() + ")");
        }
        Optional<String> clientId = clientParam.or(() -> hinted);
        if (clientId.isEmpty()) {
            return new Returning(null, "the request named no app (neither client_id nor id_token_hint)");
        }
        Optional<AppId> appId = AppId.tryParse(clientId.get());
        if (appId.isEmpty()) {
            return new Returning(null, "no app has the client id '" + shorten(clientId.get()) + "'");
        }
        Application app;
        try {
            app = ClientRegistrations.find(store, path, appId.get()).application();
        } catch (FailureException e) {
            return new Returning(null, "no app has the client id '" + appId.get() + "'");
        }
        if (RedirectUriMatcher.match(app, uri).isEmpty()) {
            String name = app.displayName() == null || app.displayName().isBlank() ? app.appId().toString() : app.displayName();
            return new Returning(null, "it is not a redirect URI registered for " + name);
        }
        return new Returning(withState(uri, q.get("state").orElse(null)), null);
    }

    /** {@code uri} with {@code state} appended to its query ({@code ?} or {@code &}), before any fragment. */
    static String withState(String uri, String state) {
        if (state == null) {
            return uri;
        }
        int hash = uri.indexOf('#');
        String base = hash < 0 ? uri : uri.substring(0, hash);
        String fragment = hash < 0 ? "" : uri.substring(hash);
        String separator = base.indexOf('?') < 0 ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
        return base + separator + "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8).replace("+", "%20") + fragment;
    }

    /** The app an id token names, or why the token names none. Exactly one of the two is set. */
    private record IdTokenHint(String client, String problem) {}

    /**
     * Checks an {@code id_token_hint}: RS256 with a published key of this Consentry, an issuer of its tenant, and
     * the shape of an id token (v2.0, one audience, no {@code scp}, {@code roles} or {@code idtyp}, which access tokens
     * carry). Its lifetime does not matter (an app often signs out long after the id token expired), so the
     * validator is asked at the instant the token says it became valid.
     */
    private IdTokenHint idTokenHint(String compact, Instant now) {
        Instant validAt;
        try {
            JWTClaimsSet unverified = SignedJWT.parse(compact).getJWTClaimsSet();
            Date start = unverified.getNotBeforeTime() != null ? unverified.getNotBeforeTime() : unverified.getIssueTime();
            validAt = start == null ? now : start.toInstant();
        } catch (java.text.ParseException | RuntimeException e) {
            return new IdTokenHint(null, "it is not a signed JWT");
        }
        VerifiedToken token;
        switch (tokens.validate(compact, validAt)) {
            case TokenValidator.Result.Valid v -> token = v.token();
            case TokenValidator.Result.Invalid i -> {
                return new IdTokenHint(null, switch (i.problem()) {
                    case MALFORMED -> "it is malformed";
                    case SIGNATURE_INVALID -> "its signature does not verify with this Consentry's keys";
                    case ISSUER_UNTRUSTED -> "its issuer is not one of this Consentry's tenants";
                    case EXPIRED, NOT_YET_VALID -> "its lifetime claims contradict each other";
                    case AUDIENCE_UNEXPECTED -> "its audience is not accepted"; // not raised: hints ignore the audience here
                });
            }
        }
        JWTClaimsSet claims = token.claims();
        if (!"2.0".equals(token.version()) || token.audience().size() != 1 || claims.getClaim("scp") != null
                || claims.getClaim("roles") != null || claims.getClaim("idtyp") != null) {
            return new IdTokenHint(null, "it is an access token, not an id token");
        }
        return new IdTokenHint(token.audience().get(0), null);
    }

    private static String shorten(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
    }
}
