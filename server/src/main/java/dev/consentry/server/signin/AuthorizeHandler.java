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
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.server.Services;
import dev.consentry.server.http.RequestIds;
import dev.consentry.server.page.ErrorPage;
import dev.consentry.server.page.FormPostPage;
import dev.consentry.server.page.PageMessage;
import dev.consentry.server.page.Pages;
import dev.consentry.server.page.SignInPage;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    /** A sign-in form is small; the carried authorize request is the largest part. */
    private static final int MAX_FORM_BYTES = 32 * 1024;
    private static final Set<String> FORM_FIELDS = Set.of("csrf", "request", "step", "username", "password", "account");

    private final Services services;
    private final AuthorizationRequests requests;
    private final AuthorizeFlow flow;
    private final UserAuthenticator users;
    private final BrowserCookie cookies;
    private final Pages pages;

    public AuthorizeHandler(Services services, AuthorizeFlow flow, BrowserCookie cookies, Pages pages) {
        this.services = services;
        this.requests = new AuthorizationRequests(services.store());
        this.flow = flow;
        this.users = new UserAuthenticator(services.store());
        this.cookies = cookies;
        this.pages = pages;
    }

    /** {@code GET /{tenant}/oauth2/v2.0/authorize}. */
    public void get(Context ctx) {
        authorize(ctx, ctx.queryString());
    }

    /** {@code POST /{tenant}/oauth2/v2.0/authorize}: the same request as a form body. */
    public void post(Context ctx) {
        Optional<String> body = formBody(ctx);
        if (body.isEmpty()) {
            return;
        }
        authorize(ctx, body.get());
    }

    private void authorize(Context ctx, String query) {
        Call call = new Call(ctx);
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
        Call call = new Call(ctx);
        Optional<String> body = formBody(ctx);
        if (body.isEmpty()) {
            return;
        }
        FormParameters form;
        try {
            form = FormParameters.parse(body.get().getBytes(StandardCharsets.UTF_8), FORM_FIELDS);
        } catch (FailureException e) {
            refuse(call, AuthorizeRefusal.onPage(e.failure()));
            return;
        }
        String browser = BrowserCookie.read(ctx);
        if (browser == null || !cookies.checkCsrf(browser, form.get("csrf").orElse(null))) {
            refuse(call, AuthorizeRefusal.onPage(Failure.of(Cause.FORM_TOKEN_INVALID, "problem", browser == null
                    ? "without Consentry's browser cookie" : "with a form token that does not belong to this browser")));
            return;
        }
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

    private void username(Call call, AuthorizationRequest request, String browser, FormParameters form) {
        String username = form.get("username").orElse("").trim();
        if (username.isEmpty()) {
            showSignIn(call, request, browser, "", false, message(call, Failure.of(Cause.PARAMETER_MISSING, "parameter",
                    "username")), 400);
            return;
        }
        try {
            users.find(request.tenant(), username);
            showSignIn(call, request, browser, username, true, null, 200);
        } catch (FailureException e) {
            showSignIn(call, request, browser, username, false, message(call, e.failure()), 400);
        }
    }

    private void password(Call call, AuthorizationRequest request, String browser, FormParameters form) {
        String username = form.get("username").orElse("").trim();
        AuthenticatedUser user;
        try {
            user = users.authenticate(request.tenant(), username, form.get("password").orElse(""));
            SignInRules.checkUser(request.tenant(), request.client(), request.clientHomeTenant(), user.tenant(), user.user());
        } catch (FailureException e) {
            showSignIn(call, request, browser, username, true, message(call, e.failure()), 400);
            return;
        }
        // A fresh cookie value at every password sign-in: the accounts signed in before move over to it.
        String fresh = cookies.issue(call.ctx);
        var sessions = services.store().signInSessions();
        String oldHash = BrowserCookie.hash(browser);
        for (SignInSession s : sessions.list(oldHash)) {
            if (!(s.tenant().equals(user.tenant().id()) && s.userId().equals(user.user().id()))) {
                sessions.save(new SignInSession(BrowserCookie.hash(fresh), s.tenant(), s.userId(), s.authTime(), s.lastSeenAt()));
            }
        }
        sessions.removeBrowser(oldHash);
        sessions.save(new SignInSession(BrowserCookie.hash(fresh), user.tenant().id(), user.user().id(), call.now, call.now));
        LOG.info("{} signed in to {} trace_id={}", user.user().userPrincipalName(), request.client().appId(), call.ids.traceId());
        respond(call, AuthorizeRefusal.redirectingFailures(request.reply(), () ->
                flow.complete(request, user, call.now, BrowserCookie.sessionState(fresh), call.urls, call.now)));
    }

    /** Signs {@code account} in to the app from the browser's session. */
    private void complete(Call call, AuthorizationRequest request, String browser, AuthenticatedUser account) {
        var sessions = services.store().signInSessions();
        SignInSession session = sessions.list(BrowserCookie.hash(browser)).stream()
                .filter(s -> s.userId().equals(account.user().id()) && s.tenant().equals(account.tenant().id()))
                .findFirst().orElseThrow();
        AuthorizationResponse response = AuthorizeRefusal.redirectingFailures(request.reply(), () ->
                flow.complete(request, account, session.authTime(), BrowserCookie.sessionState(browser), call.urls, call.now));
        sessions.save(new SignInSession(session.browserHash(), session.tenant(), session.userId(), session.authTime(), call.now));
        respond(call, response);
    }

    /** The accounts signed in to this browser that still exist; most recent first. */
    private List<AuthenticatedUser> accounts(String browser) {
        List<AuthenticatedUser> out = new ArrayList<>();
        var store = services.store();
        for (SignInSession s : store.signInSessions().list(BrowserCookie.hash(browser))) {
            store.tenants().find(s.tenant()).ifPresent(t -> store.users().find(s.tenant(), s.userId())
                    .ifPresent(u -> out.add(new AuthenticatedUser(t, u))));
        }
        return out;
    }

    private void showSignIn(Call call, AuthorizationRequest request, String browser, String username, boolean passwordStep,
                            PageMessage message, int status) {
        pages.signIn(call.ctx, status, new SignInPage(action(call, request), cookies.csrf(browser), request.query(),
                appName(request), username, passwordStep, List.of(), message));
    }

    private void showPicker(Call call, AuthorizationRequest request, String browser, List<AuthenticatedUser> accounts) {
        List<SignInPage.Account> list = accounts.stream().map(a -> new SignInPage.Account(a.user().userPrincipalName(),
                a.user().displayName() == null ? a.user().userPrincipalName() : a.user().displayName())).toList();
        pages.signIn(call.ctx, 200, new SignInPage(action(call, request), cookies.csrf(browser), request.query(),
                appName(request), null, false, list, null));
    }

    private static String action(Call call, AuthorizationRequest request) {
        return "/" + URLEncoder.encode(request.tenant().pathValue(), StandardCharsets.UTF_8) + "/login";
    }

    private static String appName(AuthorizationRequest request) {
        String name = request.client().displayName();
        return name == null || name.isBlank() ? request.client().appId().toString() : name;
    }

    /** Delivers a response (success or redirectable error) in its response mode. */
    private void respond(Call call, AuthorizationResponse response) {
        var target = response.target();
        if (target.mode() == ResponseMode.FORM_POST) {
            List<FormPostPage.Field> fields = new ArrayList<>();
            response.parameters().forEach((k, v) -> fields.add(new FormPostPage.Field(k, v)));
            pages.formPost(call.ctx, target.redirectUri(), fields);
            return;
        }
        StringBuilder url = new StringBuilder(target.redirectUri());
        char first = target.mode() == ResponseMode.FRAGMENT ? '#' : (target.redirectUri().contains("?") ? '&' : '?');
        boolean start = true;
        for (Map.Entry<String, String> e : response.parameters().entrySet()) {
            url.append(start ? first : '&').append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            start = false;
        }
        call.ctx.header("Cache-Control", "no-store, no-cache");
        call.ctx.redirect(url.toString(), io.javalin.http.HttpStatus.FOUND);
    }

    private void refuse(Call call, AuthorizeRefusal r) {
        Failure f = r.failure();
        if (r.replyTo() != null) {
            services.failures().record(call.ids.traceId(), f, call.ctx.method().name(), call.ctx.path(), call.now);
            LOG.info("{} {} -> redirected AADSTS{} ({}) trace_id={}", call.ctx.method(), call.ctx.path(), f.cause().code(),
                    f.cause().slug(), call.ids.traceId());
            respond(call, AuthorizeFlow.error(r, call.ids.traceId(), call.ids.correlationId(), call.now, call.urls));
        } else {
            pages.error(call.ctx, f.cause().status(), new ErrorPage("Sorry, but we're having trouble signing you in.",
                    message(call, f)));
        }
    }

    /** The page form of a refusal shown beside the form; recorded for diagnosis like every other refusal. */
    private PageMessage message(Call call, Failure f) {
        services.failures().record(call.ids.traceId(), f, call.ctx.method().name(), call.ctx.path(), call.now);
        LOG.info("{} {} -> AADSTS{} ({}) on the page, trace_id={}", call.ctx.method(), call.ctx.path(), f.cause().code(),
                f.cause().slug(), call.ids.traceId());
        return new PageMessage(String.valueOf(f.cause().code()), f.publicMessage(), f.explanation(), f.fix(),
                call.ids.traceId(), call.ids.correlationId(), TIMESTAMP.format(call.now));
    }

    /** The form body of a POST, or empty after answering a wrong content type or an oversized body. */
    private Optional<String> formBody(Context ctx) {
        String type = ctx.header("Content-Type");
        Call call = new Call(ctx);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            refuse(call, AuthorizeRefusal.onPage(Failure.of(Cause.CONTENT_TYPE_UNSUPPORTED, "contentType",
                    type == null ? "(none)" : type)));
            return Optional.empty();
        }
        byte[] body;
        try (var in = ctx.req().getInputStream()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        } catch (java.io.IOException e) {
            body = new byte[0];
        }
        if (body.length > MAX_FORM_BYTES) {
            refuse(call, AuthorizeRefusal.onPage(Failure.of(Cause.REQUEST_TOO_LARGE, "limit", String.valueOf(MAX_FORM_BYTES),
                    "size", "more than " + MAX_FORM_BYTES)));
            return Optional.empty();
        }
        return Optional.of(new String(body, StandardCharsets.UTF_8));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One request's context: ids, instant and published URLs. */
    private final class Call {
        final Context ctx;
        final RequestIds ids;
        final Instant now;
        final StsUrls urls;

        Call(Context ctx) {
            this.ctx = ctx;
            this.ids = RequestIds.of(ctx);
            this.now = services.clock().instant();
            this.urls = new StsUrls(services.origins().of(ctx));
        }
    }
}
