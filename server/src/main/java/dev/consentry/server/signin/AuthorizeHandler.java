package dev.consentry.server.signin;

import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.SignInSession;
import dev.consentry.identity.authorize.AuthorizationRequest;
import dev.consentry.identity.authorize.AuthorizationRequests;
import dev.consentry.identity.authorize.AuthorizationResponse;
import dev.consentry.identity.authorize.AuthorizeFlow;
import dev.consentry.identity.authorize.AuthorizeRefusal;
import dev.consentry.identity.authorize.ResponseMode;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.signin.SignInJourney;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.server.page.FormPostPage;
import dev.consentry.server.page.PageMessage;
import dev.consentry.server.page.Pages;
import dev.consentry.server.page.SignInPage;
import dev.consentry.store.Store;
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
    private final SignInJourney journey;
    private final BrowserCookie cookies;
    private final Pages pages;

    public AuthorizeHandler(Store store, Origins origins, StsResponses sts, AuthorizeFlow flow, BrowserCookie cookies,
                            Pages pages) {
        this.store = store;
        this.origins = origins;
        this.sts = sts;
        this.requests = new AuthorizationRequests(store);
        this.flow = flow;
        this.journey = new SignInJourney(store);
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
            render(call, request, browser, journey.next(audience(request),
                    new SignInJourney.Action.Begin(request.prompt(), request.loginHint(), accounts(browser)), call.now()));
        } catch (AuthorizeRefusal r) {
            refuse(call, r);
        }
    }

    /** {@code POST /{tenant}/login}: the username, password and account-picker forms. */
    public void login(Context ctx) {
        BrowserRequest call = BrowserRequest.of(ctx, origins, sts);
        call.signedForm(pages, cookies, FORM_FIELDS).ifPresent(signed -> login(ctx, call, signed.fields(), signed.browser()));
    }

    /** A form that passed the CSRF and cookie checks. */
    private void login(Context ctx, BrowserRequest call, FormParameters form, String browser) {
        try {
            AuthorizationRequest request = requests.parse(ctx.pathParam("tenant"), form.get("request").orElse(""));
            String step = form.get("step").orElse(form.get("account").isPresent() ? "pick" : "username");
            SignInJourney.Action action = switch (step) {
                case "cancel" -> new SignInJourney.Action.Cancel();
                case "other" -> new SignInJourney.Action.Other();
                case "pick" -> new SignInJourney.Action.Pick(form.get("account").orElse(""), accounts(browser));
                case "password" -> new SignInJourney.Action.Password(form.get("username").orElse(""),
                        form.get("password").orElse(""));
                default -> new SignInJourney.Action.Username(form.get("username").orElse(""));
            };
            render(call, request, browser, journey.next(audience(request), action, call.now()));
        } catch (AuthorizeRefusal r) {
            refuse(call, r);
        }
    }

    private static SignInJourney.Audience audience(AuthorizationRequest request) {
        return new SignInJourney.Audience(request.tenant(), request.client(), request.clientHomeTenant());
    }

    /** Shows the journey's next step, or ends it: back to the app with a response or a redirected refusal. */
    private void render(BrowserRequest call, AuthorizationRequest request, String browser, SignInJourney.Step step) {
        switch (step) {
            case SignInJourney.Step.AskUsername s -> showSignIn(call, request, browser, s.prefill(), false,
                    s.problem().map(call::message).orElse(null), s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.AskPassword s -> showSignIn(call, request, browser, s.username(), true,
                    s.problem().map(call::message).orElse(null), s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.PickAccount s -> showPicker(call, request, browser, s.accounts());
            case SignInJourney.Step.SignedIn s -> signedIn(call, request, browser, s.user(), s.context());
            case SignInJourney.Step.Resume s -> complete(call, request, browser, s.user());
            case SignInJourney.Step.Refused s -> throw AuthorizeRefusal.redirected(s.failure(), request.reply());
        }
    }

    /** Credentials were proved just now, as {@code proved} says: a new browser session, then the response. */
    private void signedIn(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser user,
                          AuthContext proved) {
        // A fresh cookie value at every password sign-in: the accounts signed in before move over to it.
        String fresh = cookies.issue(call.ctx());
        var sessions = store.signInSessions();
        String oldHash = BrowserCookie.hash(browser);
        for (SignInSession s : sessions.list(oldHash)) {
            if (!(s.tenant().equals(user.tenant().id()) && s.userId().equals(user.user().id()))) {
                sessions.save(new SignInSession(BrowserCookie.hash(fresh), s.tenant(), s.userId(), s.auth(), s.lastSeenAt()));
            }
        }
        sessions.removeBrowser(oldHash);
        sessions.save(new SignInSession(BrowserCookie.hash(fresh), user.tenant().id(), user.user().id(), proved, call.now()));
        LOG.info("{} signed in to {} trace_id={}", user.user().userPrincipalName(), request.client().appId(), call.ids().traceId());
        respond(call, finish(call, request, user, proved, fresh));
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
        AuthorizationResponse response = finish(call, request, account, session.auth(), browser);
        sessions.save(new SignInSession(session.browserHash(), session.tenant(), session.userId(), session.auth(), call.now()));
        respond(call, response);
    }

    /**
     * The app's answer for a signed-in {@code user} of {@code browser}: the response, or a redirected refusal; a
     * missing consent is refused with {@code consent_required} (AADSTS65001) until the consent page exists.
     */
    private AuthorizationResponse finish(BrowserRequest call, AuthorizationRequest request, AuthenticatedUser user,
                                         AuthContext auth, String browser) {
        return AuthorizeRefusal.redirectingFailures(request.reply(), () ->
                switch (flow.complete(request, user, auth, BrowserCookie.sessionState(browser), call.urls(), call.now())) {
                    case AuthorizeFlow.Completion.Respond r -> r.response();
                    case AuthorizeFlow.Completion.AskConsent c -> throw c.needed().refusal().toException();
                });
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
