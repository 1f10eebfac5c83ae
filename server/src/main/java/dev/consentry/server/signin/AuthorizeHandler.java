package dev.consentry.server.signin;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.session.SignInSession;
import dev.consentry.identity.authorize.AuthorizationRequest;
import dev.consentry.identity.authorize.AuthorizationRequest.Prompt;
import dev.consentry.identity.authorize.AuthorizationRequests;
import dev.consentry.identity.authorize.AuthorizationResponse;
import dev.consentry.identity.authorize.AuthorizeFlow;
import dev.consentry.identity.authorize.AuthorizeRefusal;
import dev.consentry.identity.authorize.ResponseMode;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.store.Store;
import dev.consentry.server.page.FormPostPage;
import dev.consentry.server.page.PageMessage;
import dev.consentry.server.page.Pages;
import dev.consentry.server.page.SignInPage;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser side of sign-in: {@code GET|POST /{tenant}/oauth2/v2.0/authorize} (wire spec, section 1.4)
 * and the forms of Consentry's sign-in pages, {@code POST /{tenant}/login}.
 *
 * <p>An authorize request is answered at once when this browser's session settles it (one signed-in
 * account, or the one named by {@code login_hint}; {@code prompt=none} never shows a page), and otherwise
 * with the username page, then the password page, or the account picker. Errors about the client or its
 * redirect URI stay on Consentry's error page; every other error goes back to the app in the response mode
 * it asked for.
 *
 * <pre>curl --cacert .consentry/ca.pem -i 'https://localhost:8443/organizations/oauth2/v2.0/authorize?client_id=...
 *   &amp;response_type=code&amp;redirect_uri=http%3A%2F%2Flocalhost%3A3000&amp;scope=openid+User.Read
 *   &amp;code_challenge=...&amp;code_challenge_method=S256'</pre>
 */
public final class AuthorizeHandler {
    private static final Logger LOG = LoggerFactory.getLogger("consentry.signin");
    private static final Set<String> FORM_FIELDS = Set.of("csrf", "request", "step", "username", "password", "account");

    private final Store store;
    private final Origins origins;
    private final StsResponses sts;
    private final AuthorizationRequests requests;
    private final AuthorizeFlow flow;
    private final UserAuthenticator users;
    private final BrowserCookie cookies;
    private final Pages pages;

    public AuthorizeHandler(Store store, Origins origins, StsResponses sts, AuthorizeFlow flow, BrowserCookie cookies,
                            Pages pages) {
        this.store = store;
        this.origins = origins;
        this.sts = sts;
        this.requests = new AuthorizationRequests(store);
        this.flow = flow;
        this.users = new UserAuthenticator(store);
        this.cookies = cookies;
        this.pages = pages;
    }

    /** {@code GET /{tenant}/oauth2/v2.0/authorize}. */
    public void get(Context ctx) {
        authorize(BrowserRequest.of(ctx, origins, sts), ctx.queryString());
    }

    /** {@code POST /{tenant}/oauth2/v2.0/authorize}: the same request as a form body. */
    public void post(Context ctx) {
        BrowserRequest call = BrowserRequest.of(ctx, origins, sts);
        call.formBody(pages).ifPresent(body -> authorize(call, body));
    }

    private void authorize(BrowserRequest call, String query) {
        Context ctx = call.ctx();
        try {
            AuthorizationRequest request = requests.parse(ctx.pathParam("tenant"), query);
            String browser = cookies.readOrSet(ctx);
            List<AuthenticatedUser> accounts = accounts(browser);
            List<AuthenticatedUser> hinted = request.hintedUser().map(h -> accounts.stream()
                    .filter(a -> a.user().userPrincipalName().equalsIgnoreCase(h)).toList()).orElse(accounts);
            Prompt prompt = request.prompt();
            if (prompt == Prompt.NONE) {
                if (hinted.isEmpty()) {
                    throw AuthorizeRefusal.redirected(Failure.of(Cause.LOGIN_REQUIRED, "hint", request.loginHint() == null
                            ? "" : " for '" + request.loginHint() + "'"), request.reply());
                }
                if (hinted.size() > 1) {
                    throw AuthorizeRefusal.redirected(Failure.of(Cause.ACCOUNT_SELECTION_REQUIRED, "count",
                            String.valueOf(hinted.size())), request.reply());
                }
                complete(call, request, browser, hinted.get(0));
            } else if (prompt == Prompt.LOGIN || accounts.isEmpty()) {
                showSignIn(call, request, browser, request.loginHint(), false, null, 200);
            } else if (prompt == Prompt.SELECT_ACCOUNT || hinted.size() != 1) {
                showPicker(call, request, browser, accounts);
            } else {
                complete(call, request, browser, hinted.get(0));
            }
        } catch (AuthorizeRefusal r) {
            refuse(call, r);
        }
    }

    /** {@code POST /{tenant}/login}: the username, password and account-picker forms. */
    public void login(Context ctx) {
        BrowserRequest call = BrowserRequest.of(ctx, origins, sts);
        Optional<BrowserRequest.SignedForm> signed = call.signedForm(pages, cookies, FORM_FIELDS);
        if (signed.isEmpty()) {
            return;
        }
        FormParameters form = signed.get().fields();
        String browser = signed.get().browser();
        try {
            AuthorizationRequest request = requests.parse(ctx.pathParam("tenant"), form.get("request").orElse(""));
            String step = form.get("step").orElse(form.get("account").isPresent() ? "pick" : "username");
            switch (step) {
                case "cancel" -> throw AuthorizeRefusal.redirected(Failure.of(Cause.USER_CANCELLED), request.reply());
                case "other" -> showSignIn(call, request, browser, null, false, null, 200);
                case "pick" -> {
                    String chosen = form.get("account").orElse("");
                    Optional<AuthenticatedUser> account = accounts(browser).stream()
                            .filter(a -> a.user().userPrincipalName().equalsIgnoreCase(chosen)).findFirst();
                    if (account.isPresent()) {
                        complete(call, request, browser, account.get());
                    } else {
                        showSignIn(call, request, browser, chosen, false, null, 200);
                    }
                }
                case "password" -> password(call, request, browser, form);
                default -> username(call, request, browser, form);
            }
        } catch (AuthorizeRefusal r) {
            refuse(call, r);
        }
    }

    private void username(BrowserRequest call, AuthorizationRequest request, String browser, FormParameters form) {
        String username = form.get("username").orElse("").trim();
        if (username.isEmpty()) {
            showSignIn(call, request, browser, "", false, call.message(Failure.of(Cause.PARAMETER_MISSING, "parameter",
                    "username")), 400);
            return;
        }
        try {
            users.find(request.tenant(), username);
            showSignIn(call, request, browser, username, true, null, 200);
        } catch (FailureException e) {
            showSignIn(call, request, browser, username, false, call.message(e.failure()), 400);
        }
    }

    private void password(BrowserRequest call, AuthorizationRequest request, String browser, FormParameters form) {
        String username = form.get("username").orElse("").trim();
        AuthenticatedUser user;
        try {
            user = users.authenticate(request.tenant(), username, form.get("password").orElse(""));
            SignInRules.checkUser(request.tenant(), request.client(), request.clientHomeTenant(), user.tenant(), user.user());
        } catch (FailureException e) {
            showSignIn(call, request, browser, username, true, call.message(e.failure()), 400);
            return;
        }
        // A fresh cookie value at every password sign-in: the accounts signed in before move over to it.
        String fresh = cookies.issue(call.ctx());
        var sessions = store.signInSessions();
        String oldHash = BrowserCookie.hash(browser);
        for (SignInSession s : sessions.list(oldHash)) {
            if (!(s.tenant().equals(user.tenant().id()) && s.userId().equals(user.user().id()))) {
                sessions.save(new SignInSession(BrowserCookie.hash(fresh), s.tenant(), s.userId(), s.authTime(), s.lastSeenAt()));
            }
        }
        sessions.removeBrowser(oldHash);
        sessions.save(new SignInSession(BrowserCookie.hash(fresh), user.tenant().id(), user.user().id(), call.now(), call.now()));
        LOG.info("{} signed in to {} trace_id={}", user.user().userPrincipalName(), request.client().appId(), call.ids().traceId());
        respond(call, AuthorizeRefusal.redirectingFailures(request.reply(), () ->
                flow.complete(request, user, call.now(), BrowserCookie.sessionState(fresh), call.urls(), call.now())));
    }

    /** Signs {@code account} in to the app from the browser's session. */
    private void complete(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser account) {
        var sessions = store.signInSessions();
        Optional<SignInSession> found = sessions.list(BrowserCookie.hash(browser)).stream()
                .filter(s -> s.userId().equals(account.user().id()) && s.tenant().equals(account.tenant().id()))
                .findFirst();
        if (found.isEmpty()) {
            // Signed out (another tab, another node) since the accounts were listed: ask again.
            showSignIn(call, request, browser, account.user().userPrincipalName(), false, null, 200);
            return;
        }
        SignInSession session = found.get();
        AuthorizationResponse response = AuthorizeRefusal.redirectingFailures(request.reply(), () ->
                flow.complete(request, account, session.authTime(), BrowserCookie.sessionState(browser), call.urls(), call.now()));
        sessions.save(new SignInSession(session.browserHash(), session.tenant(), session.userId(), session.authTime(), call.now()));
        respond(call, response);
    }

    /** The accounts signed in to this browser that still exist; most recent first. */
    private List<AuthenticatedUser> accounts(String browser) {
        List<AuthenticatedUser> out = new ArrayList<>();
        for (SignInSession s : store.signInSessions().list(BrowserCookie.hash(browser))) {
            store.tenants().find(s.tenant()).ifPresent(t -> store.users().find(s.tenant(), s.userId())
                    .ifPresent(u -> out.add(new AuthenticatedUser(t, u))));
        }
        return out;
    }

    private void showSignIn(BrowserRequest call, AuthorizationRequest request, String browser, String username, boolean passwordStep,
                            PageMessage message, int status) {
        pages.signIn(call.ctx(), status, new SignInPage(action(call, request), cookies.csrf(browser), request.query(),
                appName(request), username, passwordStep, List.of(), message));
    }

    private void showPicker(BrowserRequest call, AuthorizationRequest request, String browser, List<AuthenticatedUser> accounts) {
        List<SignInPage.Account> list = accounts.stream().map(a -> new SignInPage.Account(a.user().userPrincipalName(),
                a.user().displayName() == null ? a.user().userPrincipalName() : a.user().displayName())).toList();
        pages.signIn(call.ctx(), 200, new SignInPage(action(call, request), cookies.csrf(browser), request.query(),
                appName(request), null, false, list, null));
    }

    private static String action(BrowserRequest call, AuthorizationRequest request) {
        return "/" + URLEncoder.encode(request.tenant().pathValue(), StandardCharsets.UTF_8) + "/login";
    }

    private static String appName(AuthorizationRequest request) {
        String name = request.client().displayName();
        return name == null || name.isBlank() ? request.client().appId().toString() : name;
    }

    /** Delivers a response (success or redirectable error) in its response mode. */
    private void respond(BrowserRequest call, AuthorizationResponse response) {
        var target = response.target();
        if (target.mode() == ResponseMode.FORM_POST) {
            List<FormPostPage.Field> fields = new ArrayList<>();
            response.parameters().forEach((k, v) -> fields.add(new FormPostPage.Field(k, v)));
            pages.formPost(call.ctx(), target.redirectUri(), fields);
            return;
        }
        StringBuilder url = new StringBuilder(target.redirectUri());
        char first = target.mode() == ResponseMode.FRAGMENT ? '#' : (target.redirectUri().contains("?") ? '&' : '?');
        boolean start = true;
        for (Map.Entry<String, String> e : response.parameters().entrySet()) {
            url.append(start ? first : '&').append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            start = false;
        }
        call.ctx().header("Cache-Control", "no-store, no-cache");
        call.ctx().redirect(url.toString(), io.javalin.http.HttpStatus.FOUND);
    }

    private void refuse(BrowserRequest call, AuthorizeRefusal r) {
        if (r.replyTo() != null) {
            call.record(r.failure(), "redirected");
            respond(call, AuthorizeFlow.error(r, call.ids().traceId(), call.ids().correlationId(), call.now(), call.urls()));
        } else {
            call.errorPage(pages, r.failure());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
