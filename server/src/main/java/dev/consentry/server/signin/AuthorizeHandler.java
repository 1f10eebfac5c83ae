package dev.consentry.server.signin;

import dev.consentry.core.audit.DirectoryAudit;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.Application;
import dev.consentry.core.directory.PermissionScope;
import dev.consentry.core.directory.Tenant;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.SignInSession;
import dev.consentry.identity.authorize.AuthorizationRequest;
import dev.consentry.identity.authorize.AuthorizationRequests;
import dev.consentry.identity.authorize.AuthorizationResponse;
import dev.consentry.identity.authorize.AuthorizeFlow;
import dev.consentry.identity.authorize.AuthorizeRefusal;
import dev.consentry.identity.authorize.ResponseMode;
import dev.consentry.identity.client.AuthenticatedClient;
import dev.consentry.identity.consent.AdminConsent;
import dev.consentry.identity.consent.ConsentGrants;
import dev.consentry.identity.consent.ConsentPolicy;
import dev.consentry.identity.consent.ConsentRequests;
import dev.consentry.identity.consent.DelegatedScopes;
import dev.consentry.identity.consent.OwnWords;
import dev.consentry.identity.consent.PermissionDescriptions;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.signin.SignInJourney;
import dev.consentry.identity.user.SignInRules;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.server.page.ApprovalPage;
import dev.consentry.server.page.ConsentPage;
import dev.consentry.server.page.DeviceCheckPage;
import dev.consentry.server.page.ErrorPage;
import dev.consentry.server.page.FormPostPage;
import dev.consentry.server.page.NoticePage;
import dev.consentry.server.page.PageMessage;
import dev.consentry.server.page.Pages;
import dev.consentry.server.page.SecondFactorPage;
import dev.consentry.server.page.SignInPage;
import dev.consentry.store.Store;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private static final Set<String> FORM_FIELDS = Set.of("csrf", "request", "step", "username", "password", "account",
            "user_tenant", "user", "code", "secret", "cancel");
    private static final Set<String> CONSENT_FIELDS = Set.of("csrf", "request", "ticket", "user_tenant", "user", "decision",
            "organization", "reason");
    /** How long a consent page may be answered: as long as the authorization code it leads to lives. */
    private static final java.time.Duration CONSENT_TICKET_LIFETIME = java.time.Duration.ofMinutes(10);
    private static final java.util.regex.Pattern TICKET = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final Store store;
    private final Origins origins;
    private final StsResponses sts;
    private final AuthorizationRequests requests;
    private final AuthorizeFlow flow;
    private final SignInJourney journey;
    private final BrowserCookie cookies;
    private final Pages pages;
    private final BrowserSessions browserSessions;
    private final PermissionDescriptions descriptions;
    private final ConsentGrants consents;
    private final ConsentPolicy consentPolicy;
    private final AdminConsent adminConsents;
    private final ConsentRequests consentRequests;
    private final PageSignIns signIns;

    public AuthorizeHandler(Store store, Origins origins, StsResponses sts, AuthorizeFlow flow, BrowserCookie cookies,
                            Pages pages) {
        this(store, origins, sts, flow, cookies, pages, new OwnWords());
    }

    /** @param descriptions the one-line texts of permissions on the consent page */
    public AuthorizeHandler(Store store, Origins origins, StsResponses sts, AuthorizeFlow flow, BrowserCookie cookies,
                            Pages pages, PermissionDescriptions descriptions) {
        this.descriptions = descriptions;
        this.consents = new ConsentGrants(store);
        this.consentPolicy = new ConsentPolicy(store);
        this.adminConsents = new AdminConsent(store);
        this.consentRequests = new ConsentRequests(store);
        this.store = store;
        this.origins = origins;
        this.sts = sts;
        this.requests = new AuthorizationRequests(store);
        this.flow = flow;
        this.journey = new SignInJourney(store);
        this.cookies = cookies;
        this.pages = pages;
        this.browserSessions = new BrowserSessions(store, cookies);
        this.signIns = new PageSignIns(store);
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
                    new SignInJourney.Action.Begin(request.prompt(), request.loginHint(), accounts(browser)), call.now(), call.clientAddress()));
        } catch (AuthorizeRefusal r) {
            refuse(call, r);
        }
    }

    /**
     * {@code GET /{tenant}/v2.0/adminconsent} (and the older {@code /{tenant}/adminconsent}): an administrator signs in
     * and grants the app, for the whole organization, what it asks for; the app hears back at its redirect URI with
     * {@code admin_consent=True}, {@code tenant} and {@code scope} (Microsoft Learn, "Admin consent on the Microsoft
     * identity platform").
     */
    public void adminConsent(Context ctx) {
        BrowserRequest call = BrowserRequest.of(ctx, origins, sts);
        try {
            AuthorizationRequest request = requests.parseAdminConsent(ctx.pathParam("tenant"), ctx.queryString());
            String browser = cookies.readOrSet(ctx);
            render(call, request, browser, journey.next(audience(request),
                    new SignInJourney.Action.Begin(null, null, accounts(browser)), call.now(), call.clientAddress()));
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
            AuthorizationRequest request = requests.parseCarried(ctx.pathParam("tenant"), form.get("request").orElse(""));
            // Cancel is a button of its own name: the form's hidden step says which step it was sent from.
            String step = form.get("cancel").isPresent() ? "cancel"
                    : form.get("step").orElse(form.get("account").isPresent() ? "pick" : "username");
            if (step.equals("code") || step.equals("enrol")) {
                secondFactor(call, request, browser, form, step);
                return;
            }
            if (step.equals("register-device")) {
                registerDevice(call, request, browser, form);
                return;
            }
            SignInJourney.Action action = switch (step) {
                case "cancel" -> new SignInJourney.Action.Cancel();
                case "other" -> new SignInJourney.Action.Other();
                case "pick" -> new SignInJourney.Action.Pick(form.get("account").orElse(""), accounts(browser));
                case "password" -> new SignInJourney.Action.Password(form.get("username").orElse(""),
                        form.get("password").orElse(""));
                default -> new SignInJourney.Action.Username(form.get("username").orElse(""));
            };
            render(call, request, browser, journey.next(audience(request), action, call.now(), call.clientAddress()));
        } catch (AuthorizeRefusal r) {
            refuse(call, r);
        }
    }

    /**
     * The second-factor form: the code of the user's authenticator app, or the one of the app being added. Only for an
     * account whose password was proved in this browser (its session), which the code then strengthens.
     */
    private void secondFactor(BrowserRequest call, AuthorizationRequest request, String browser, FormParameters form,
                              String step) {
        Optional<SignInJourney.Action> action = browserSessions.secondFactor(browser, form, step.equals("code"));
        if (action.isEmpty()) {
            // Signed out (another tab) or a form for another browser's account: start again.
            showSignIn(call, request, browser, null, false, null, 200);
            return;
        }
        render(call, request, browser, journey.next(audience(request), action.get(), call.now(), call.clientAddress()));
    }

    /**
     * "Register this device": records a device in the user's tenant (Graph's {@code device}: registered, not compliant,
     * not managed, owned by the user), binds it to this browser ({@link BrowserCookie#setDevice}), and opens the authorize
     * request again, which the policies then decide with the device known. Only for an account signed in to this browser;
     * a browser that has a device already keeps it.
     */
    private void registerDevice(BrowserRequest call, AuthorizationRequest request, String browser, FormParameters form) {
        Optional<BrowserSessions.SignedInAccount> account = browserSessions.account(browser, form.get("user_tenant").orElse(""),
                form.get("user").orElse(""));
        if (account.isEmpty()) {
            showSignIn(call, request, browser, null, false, null, 200);
            return;
        }
        AuthenticatedUser user = account.get().user();
        String known = cookies.device(call.ctx());
        if (known == null || store.devices().findByDeviceId(user.tenant().id(), known).isEmpty()) {
            String deviceId = java.util.UUID.randomUUID().toString();
            store.devices().save(user.tenant().id(), new dev.consentry.core.directory.Device(
                    dev.consentry.core.id.ObjectId.of(java.util.UUID.randomUUID().toString()), deviceId,
                    deviceName(call.ctx().userAgent()), operatingSystem(call.ctx().userAgent()), true, false, false, "Workplace",
                    call.now(), user.user().id(), null));
            cookies.setDevice(call.ctx(), deviceId);
            LOG.info("{} registered device {} trace_id={}", user.user().userPrincipalName(), deviceId, call.ids().traceId());
        }
        call.ctx().redirect(authorizeUrl(request), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** The authorize request as a URL to open again (an admin consent request is not retried this way). */
    private static String authorizeUrl(AuthorizationRequest request) {
        return "/" + URLEncoder.encode(request.tenant().pathValue(), StandardCharsets.UTF_8) + "/oauth2/v2.0/authorize?"
                + request.query();
    }

    /** A device's display name from the browser's User-Agent: its operating system, as Entra names browser devices. */
    private static String deviceName(String userAgent) {
        return "Browser on " + operatingSystem(userAgent);
    }

    private static String operatingSystem(String userAgent) {
        String ua = userAgent == null ? "" : userAgent;
        return ua.contains("Windows") ? "Windows" : ua.contains("Mac OS") ? "MacMDM" : ua.contains("Android") ? "Android"
                : ua.contains("iPhone") || ua.contains("iPad") ? "iOS" : ua.contains("Linux") ? "Linux" : "Unknown";
    }

    /** What a sign-in proved in this browser, stating the device the browser registered (if it still exists). */
    private AuthContext withBrowserDevice(BrowserRequest call, AuthenticatedUser user, AuthContext auth) {
        String deviceId = cookies.device(call.ctx());
        boolean known = deviceId != null && store.devices().findByDeviceId(user.tenant().id(), deviceId).isPresent();
        return auth.withDevice(known ? deviceId : null);
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
                    s.problem().map(p -> signIns.shown(call, request.tenant(), request.client(), s.username(), p))
                            .orElse(null), s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.PickAccount s -> showPicker(call, request, browser, s.accounts());
            case SignInJourney.Step.AskCode s -> showSecondFactor(call, request, browser, s.user(), null,
                    s.problem().map(p -> signIns.shown(call, request.client(), s.user(), p)).orElse(null),
                    s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.Enrol s -> showSecondFactor(call, request, browser, s.user(), s.enrolment(),
                    s.problem().map(p -> signIns.shown(call, request.client(), s.user(), p)).orElse(null),
                    s.problem().isPresent() ? 400 : 200);
            case SignInJourney.Step.SignedIn s -> signedIn(call, request, browser, s.user(), s.context());
            case SignInJourney.Step.Resume s -> complete(call, request, browser, s.user());
            case SignInJourney.Step.Refused s -> throw AuthorizeRefusal.redirected(s.failure(), request.reply());
        }
    }

    /** Credentials were proved just now, as {@code proved} says: a new browser session, then the response. */
    private void signedIn(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser user,
                          AuthContext proved) {
        String fresh = browserSessions.signIn(call.ctx(), browser, user, proved, call.now());
        LOG.info("{} signed in to {} trace_id={}", user.user().userPrincipalName(), request.client().appId(), call.ids().traceId());
        finish(call, request, user, withBrowserDevice(call, user, proved), fresh).ifPresent(r -> respond(call, r));
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
        Optional<AuthorizationResponse> response = finish(call, request, account,
                withBrowserDevice(call, account, session.auth()), browser);
        sessions.save(new SignInSession(session.browserHash(), session.tenant(), session.userId(), session.auth(), call.now()));
        response.ifPresent(r -> respond(call, r));
    }

    /**
     * The app's answer for a signed-in {@code user} of {@code browser}: the response, or a redirected refusal; empty
     * when a page was shown instead (the consent page, or the approval page for permissions only an administrator
     * may grant). A missing consent under {@code prompt=none} is refused with {@code consent_required} (AADSTS65001).
     */
    private Optional<AuthorizationResponse> finish(BrowserRequest call, AuthorizationRequest request, AuthenticatedUser user,
                                                   AuthContext auth, String browser) {
        if (request.adminConsent()) {
            askAdminConsent(call, request, browser, user);
            return Optional.empty();
        }
        AuthorizeFlow.Completion done = AuthorizeRefusal.redirectingFailures(request.reply(), () ->
                flow.complete(request, user, auth, BrowserCookie.sessionState(browser), call.urls(), call.now(), false,
                        call.clientAddress()));
        return switch (done) {
            case AuthorizeFlow.Completion.Respond r -> Optional.of(r.response());
            case AuthorizeFlow.Completion.AskSecondFactor f -> {
                call.record(f.refusal(), "second factor asked");
                render(call, request, browser, journey.secondFactor(user));
                yield Optional.empty();
            }
            case AuthorizeFlow.Completion.AskSignInAgain again -> {
                call.record(again.refusal(), "password asked again");
                showSignIn(call, request, browser, user.user().userPrincipalName(), true, null, 200);
                yield Optional.empty();
            }
            case AuthorizeFlow.Completion.AskDevice d -> {
                deviceCheck(call, request, browser, user, auth, d.refusal());
                yield Optional.empty();
            }
            case AuthorizeFlow.Completion.AskConsent c -> {
                DelegatedScopes.ConsentNeeded needed = c.needed();
                if (request.prompt() == AuthorizationRequest.Prompt.NONE || needed.toConsent().isEmpty()) {
                    throw AuthorizeRefusal.redirected(needed.refusal(user.tenant().id()), request.reply());
                }
                switch (consentPolicy.forSelf(user.tenant(), user.user(), needed.client(), needed.resource(),
                        needed.toConsent(), grantCommand(user, needed))) {
                    case ConsentPolicy.Verdict.NeedsApproval n -> approvalPage(call, request, browser, user, n.failure(),
                            needed.toConsent().stream().map(PermissionScope::value).toList());
                    case ConsentPolicy.Verdict.MayConsent m -> showConsent(call, request, browser, user, needed,
                            m.forOrganization());
                }
                yield Optional.empty();
            }
        };
    }

    /** The command that grants a permission of {@code needed}'s resource for the organization, on this Consentry. */
    private static java.util.function.UnaryOperator<String> grantCommand(AuthenticatedUser user,
                                                                         DelegatedScopes.ConsentNeeded needed) {
        return permission -> needed.grantCommand(user.tenant().id(), permission);
    }

    /** What the consent page says of an app's publisher: its domain, verified publisher (or null) and home tenant. */
    private record Publisher(String domain, String verified, String appTenant) {}

    private Publisher publisher(AuthenticatedClient client) {
        Application app = client.application();
        Optional<Tenant> home = store.tenants().find(client.homeTenant());
        String homeDomain = home.flatMap(Tenant::defaultDomain).orElse(null);
        // Graph's application.publisherDomain; Entra sets it from the home tenant's domain when the app is created.
        Object publisherDomain = app.additionalProperties().get("publisherDomain");
        String domain = publisherDomain instanceof String p && !p.isBlank() ? p
                : homeDomain != null ? homeDomain : client.homeTenant().toString();
        String verified = null;
        if (app.additionalProperties().get("verifiedPublisher") instanceof Map<?, ?> vp
                && vp.get("verifiedPublisherId") instanceof String id && !id.isBlank()) {
            verified = vp.get("displayName") instanceof String n && !n.isBlank() ? n : id;
        }
        String appTenant = home.map(t -> (t.displayName() == null ? "" : t.displayName() + " ") + "(" + t.id() + ")")
                .orElse(client.homeTenant().toString());
        return new Publisher(domain, verified, appTenant);
    }

    /** A single-use value naming one showing of a consent page (a replayed answer is refused). */
    private static String ticket() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private void showConsent(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser user,
                             DelegatedScopes.ConsentNeeded needed, boolean offerOrganization) {
        Publisher publisher = publisher(needed.client());
        List<ConsentPage.Permission> permissions = needed.toConsent().stream().map(p -> new ConsentPage.Permission(
                p.value(), descriptions.describe(needed.resource(), p))).toList();
        List<String> kept = needed.resource().scopes().stream()
                .filter(p -> needed.consented().contains(p.value().toLowerCase(java.util.Locale.ROOT))
                        && !needed.toConsent().contains(p))
                .map(PermissionScope::value).toList();
        pages.consent(call.ctx(), new ConsentPage("/" + URLEncoder.encode(request.tenant().pathValue(), StandardCharsets.UTF_8)
                + "/consent", cookies.csrf(browser), request.carried(), ticket(), user.tenant().id().toString(),
                needed.user().id().toString(), needed.user().userPrincipalName(),
                DelegatedScopes.appName(needed.client()), publisher.domain(), publisher.verified(), publisher.appTenant(),
                needed.resource().displayName(),
                permissions, kept, offerOrganization, false));
    }

    /**
     * {@code POST /{tenant}/consent}: the answer to the consent page. Checked, in order, before anything is stored:
     * the browser's form token (CSRF), the request, that the user is still signed in to this browser, and that this
     * showing of the page was not answered before (its single-use ticket). Accept records the consent (merged into
     * the user's one grant for the client and resource) and sends the app its response; Cancel sends the app
     * {@code access_denied} (AADSTS65004) and stores nothing.
     */
    public void consent(Context ctx) {
        BrowserRequest call = BrowserRequest.of(ctx, origins, sts);
        call.signedForm(pages, cookies, CONSENT_FIELDS).ifPresent(signed -> consent(ctx, call, signed.fields(), signed.browser()));
    }

    private void consent(Context ctx, BrowserRequest call, FormParameters form, String browser) {
        try {
            AuthorizationRequest request = requests.parseCarried(ctx.pathParam("tenant"), form.get("request").orElse(""));
            String userId = form.get("user").orElse("");
            String userTenant = form.get("user_tenant").orElse("");
            Optional<BrowserSessions.SignedInAccount> account = browserSessions.account(browser, userTenant, userId);
            Optional<AuthenticatedUser> user = account.map(BrowserSessions.SignedInAccount::user);
            if (user.isEmpty()) {
                call.errorPage(pages, Failure.of(Cause.FORM_TOKEN_INVALID, "problem",
                        "for an account that is not signed in to this browser"));
                return;
            }
            String ticket = form.get("ticket").orElse("");
            if (!TICKET.matcher(ticket).matches() || !store.assertionReplay().firstUse("consent-page:" + ticket,
                    call.now().plus(CONSENT_TICKET_LIFETIME), call.now())) {
                call.errorPage(pages, Failure.of(Cause.FORM_TOKEN_INVALID, "problem",
                        "a second time (each consent page can be answered once)"));
                return;
            }
            String decision = form.get("decision").orElse("");
            if (request.adminConsent()) {
                if (decision.equals("request")) {
                    AdminConsent.Plan plan = AuthorizeRefusal.redirectingFailures(request.reply(), () -> adminConsents.plan(
                            user.get().tenant(), request.client(), request.clientHomeTenant(), request.scope()));
                    requestApproval(call, request, user.get(), adminConsents.refusal(plan, user.get().user()), plan.names(),
                            form.get("reason").orElse(""));
                } else {
                    answerAdminConsent(call, request, browser, user.get(), decision.equals("accept"));
                }
                return;
            }
            AuthContext auth = withBrowserDevice(call, account.get().user(), account.get().session().auth());
            String sessionState = BrowserCookie.sessionState(browser);
            AuthorizeFlow.Completion asked = AuthorizeRefusal.redirectingFailures(request.reply(), () ->
                    flow.complete(request, user.get(), auth, sessionState, call.urls(), call.now(), false,
                            call.clientAddress()));
            if (!(asked instanceof AuthorizeFlow.Completion.AskConsent c)) {
                // Granted meanwhile (another tab): nothing left to ask but, perhaps, a second factor.
                completed(call, request, browser, user.get(), asked);
                return;
            }
            DelegatedScopes.ConsentNeeded needed = c.needed();
            List<String> permissions = needed.toConsent().stream().map(PermissionScope::value).toList();
            if (decision.equals("request")) {
                Optional<Failure> refusal = switch (consentPolicy.forSelf(user.get().tenant(), user.get().user(),
                        needed.client(), needed.resource(), needed.toConsent(), grantCommand(user.get(), needed))) {
                    case ConsentPolicy.Verdict.NeedsApproval n -> Optional.of(n.failure());
                    case ConsentPolicy.Verdict.MayConsent m -> Optional.empty();
                };
                requestApproval(call, request, user.get(), refusal, permissions, form.get("reason").orElse(""));
                return;
            }
            if (!"accept".equals(form.get("decision").orElse(""))) {
                throw AuthorizeRefusal.redirected(Failure.of(Cause.CONSENT_DECLINED, "username",
                        user.get().user().userPrincipalName(), "appName", DelegatedScopes.appName(needed.client()),
                        "clientId", needed.client().application().appId().toString(), "permissions",
                        permissions.isEmpty() ? "no permission" : String.join(" ", permissions), "resource",
                        needed.resource().displayName()), request.reply());
            }
            if (permissions.isEmpty()) {
                throw AuthorizeRefusal.redirected(needed.refusal(user.get().tenant().id()), request.reply());
            }
            AuthenticatedUser who = user.get();
            var command = grantCommand(who, needed);
            boolean forOrganization = "on".equals(form.get("organization").orElse(""));
            Optional<Failure> refused = switch (consentPolicy.forSelf(who.tenant(), who.user(), needed.client(),
                    needed.resource(), needed.toConsent(), command)) {
                case ConsentPolicy.Verdict.NeedsApproval n -> Optional.of(n.failure());
                case ConsentPolicy.Verdict.MayConsent m -> forOrganization && !m.forOrganization()
                        ? consentPolicy.forOrganization(who.tenant(), who.user(), needed.client(), needed.resource(),
                                needed.toConsent(), List.of(), command.apply(permissions.get(0)))
                        : Optional.empty();
            };
            if (refused.isPresent()) {
                approvalPage(call, request, browser, who, refused.get(), permissions);
                return;
            }
            DirectoryAudit.Initiator by = new DirectoryAudit.Initiator("user", who.user().id().toString(),
                    who.user().userPrincipalName());
            consents.ensureServicePrincipal(who.tenant().id(), needed.client().servicePrincipal(), by, call.now());
            if (forOrganization) {
                consents.forOrganization(who.tenant().id(), needed.client().servicePrincipal(),
                        needed.resource().servicePrincipal(), permissions, by, call.now());
                consents.adminConsentRecorded(who.tenant().id(), by, needed.client().servicePrincipal().id(),
                        String.join(" ", permissions), call.now());
            } else {
                consents.forUser(who.tenant().id(), needed.client().servicePrincipal().id(),
                        needed.resource().servicePrincipal().id(), who.user().id(), permissions, call.now());
            }
            LOG.info("{} consented to {} for {} on {}{} trace_id={}", who.user().userPrincipalName(), permissions,
                    request.client().appId(), needed.resource().displayName(), forOrganization ? " for the organization" : "",
                    call.ids().traceId());
            AuthorizeFlow.Completion done = AuthorizeRefusal.redirectingFailures(request.reply(), () ->
                    flow.complete(request, user.get(), auth, sessionState, call.urls(), call.now(), true,
                            call.clientAddress()));
            completed(call, request, browser, user.get(), done);
        } catch (AuthorizeRefusal r) {
            refuse(call, r);
        }
    }

    /**
     * Ends a sign-in whose consent was just answered (or was granted meanwhile): the response, the second-factor step a
     * policy asks for, or, when consent is still missing, the refusal.
     */
    private void completed(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser user,
                           AuthorizeFlow.Completion done) {
        switch (done) {
            case AuthorizeFlow.Completion.Respond r -> respond(call, r.response());
            case AuthorizeFlow.Completion.AskSecondFactor f -> {
                call.record(f.refusal(), "second factor asked");
                render(call, request, browser, journey.secondFactor(user));
            }
            case AuthorizeFlow.Completion.AskSignInAgain again -> {
                call.record(again.refusal(), "password asked again");
                showSignIn(call, request, browser, user.user().userPrincipalName(), true, null, 200);
            }
            case AuthorizeFlow.Completion.AskDevice d -> deviceCheck(call, request, browser, user,
                    withBrowserDevice(call, user, AuthContext.password(call.now())), d.refusal());
            case AuthorizeFlow.Completion.AskConsent again -> throw AuthorizeRefusal.redirected(again.needed().refusal(user.tenant().id()),
                    request.reply());
        }
    }

    /**
     * "Need admin approval", as Entra shows it: on Consentry's page (not redirected), with a link that returns to the
     * app without granting anything ({@code error=access_denied&error_subcode=cancel}, what Entra's link sends:
     * github.com/MicrosoftDocs/azure-docs/issues/41053).
     */
    private void approvalPage(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser user,
                              Failure failure, List<String> permissions) {
        ErrorPage.Back back = cancelBack(request);
        if (!user.tenant().adminConsentRequestPolicy().isEnabled()) {
            call.errorPage(pages, failure, "Need admin approval", back);
            return;
        }
        // The admin consent workflow is on: the user may ask instead (AADSTS90095, "Approval required").
        Failure requestable = Failure.of(Cause.ADMIN_APPROVAL_REQUESTABLE, "reason", failure.explanation(), "tenant",
                user.tenant().id().toString(), "username", user.user().userPrincipalName(), "permissions",
                String.join(", ", permissions), "resource", failure.facts().getOrDefault("resource", "the API"), "appName",
                failure.facts().getOrDefault("appName", request.client().displayName()), "clientId",
                request.client().appId().toString(), "command", failure.facts().getOrDefault("command",
                        "consentry consent grant --tenant " + user.tenant().id() + " --app " + request.client().appId()));
        pages.approval(call.ctx(), new ApprovalPage("/" + URLEncoder.encode(request.tenant().pathValue(), StandardCharsets.UTF_8)
                + "/consent", cookies.csrf(browser), request.carried(), ticket(), user.tenant().id().toString(),
                user.user().id().toString(), user.user().userPrincipalName(), appName(request), permissions,
                ConsentRequests.MAX_REASON, call.message(requestable), back));
    }

    /**
     * The way back to the app from "Need admin approval" or "Approval required" without granting anything: what Entra's
     * link sends, {@code error=access_denied&error_subcode=cancel} (github.com/MicrosoftDocs/azure-docs/issues/41053),
     * as a link, or as a form for an app that takes form posts.
     */
    private static ErrorPage.Back cancelBack(AuthorizationRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", "access_denied");
        params.put("error_subcode", "cancel");
        if (request.reply().state() != null) {
            params.put("state", request.reply().state());
        }
        AuthorizationResponse cancel = new AuthorizationResponse(request.reply(), params);
        return request.reply().mode() == ResponseMode.FORM_POST
                ? new ErrorPage.Back(request.reply().redirectUri(), fields(cancel))
                : new ErrorPage.Back(url(cancel), null);
    }

    /**
     * "Request approval" on the approval page: records the user's request ({@link ConsentRequests}) and says so. Only
     * a user who may not consent, in a tenant with the workflow on, may send one; a reason over
     * {@link ConsentRequests#MAX_REASON} characters is refused on the page.
     */
    private void requestApproval(BrowserRequest call, AuthorizationRequest request, AuthenticatedUser user,
                                 Optional<Failure> refusal, List<String> permissions, String reason) {
        if (refusal.isEmpty() || !user.tenant().adminConsentRequestPolicy().isEnabled() || permissions.isEmpty()) {
            call.errorPage(pages, Failure.of(Cause.PARAMETER_INVALID, "parameter", "decision", "problem",
                    "'request' asks the administrators for approval, which only a user who may not consent can do, in a "
                            + "tenant whose admin consent workflow is on (adminConsentRequestPolicy.isEnabled)"));
            return;
        }
        if (reason.strip().length() > ConsentRequests.MAX_REASON) {
            call.errorPage(pages, Failure.of(Cause.PARAMETER_INVALID, "parameter", "reason", "problem",
                    "it is longer than " + ConsentRequests.MAX_REASON + " characters"));
            return;
        }
        ConsentRequests.Submitted sent = consentRequests.submit(user.tenant().id(), request.client(), user.user(),
                permissions, reason, call.now());
        LOG.info("{} asked for approval of {} for {} trace_id={}", user.user().userPrincipalName(), permissions,
                request.client().appId(), call.ids().traceId());
        ErrorPage.Back back = cancelBack(request);
        pages.notice(call.ctx(), new NoticePage("Request sent", sent.added()
                ? "Your request to use " + appName(request) + " was sent to your administrators. You can use the app once "
                        + "one of them approves it."
                : "You already asked for " + appName(request) + "; your request is waiting for an administrator.",
                back.post() ? null : back.url(), back.post() ? null : "Back to the app"));
    }

    /** The admin consent page for {@code user}, or the approval page when their roles do not reach what is asked. */
    private void askAdminConsent(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser user) {
        AdminConsent.Plan plan = AuthorizeRefusal.redirectingFailures(request.reply(), () -> {
            SignInRules.checkUser(request.tenant(), request.client(), request.clientHomeTenant(), user.tenant().id(),
                    user.user());
            UserAuthenticator.checkState(user.user());
            return adminConsents.plan(user.tenant(), request.client(), request.clientHomeTenant(), request.scope());
        });
        Optional<Failure> refused = adminConsents.refusal(plan, user.user());
        if (refused.isPresent()) {
            approvalPage(call, request, browser, user, refused.get(), plan.names());
            return;
        }
        List<ConsentPage.Permission> permissions = new ArrayList<>();
        List<String> resourceNames = new ArrayList<>();
        for (AdminConsent.Asked a : plan.asked()) {
            resourceNames.add(a.resource().displayName());
            a.delegated().forEach(p -> permissions.add(new ConsentPage.Permission(p.value(),
                    descriptions.describe(a.resource(), p))));
            a.roles().forEach(r -> permissions.add(new ConsentPage.Permission(r.value(),
                    r.displayName() == null || r.displayName().isBlank() ? r.value() : r.displayName(), true)));
        }
        Publisher publisher = publisher(plan.client());
        pages.consent(call.ctx(), new ConsentPage("/" + URLEncoder.encode(request.tenant().pathValue(), StandardCharsets.UTF_8)
                + "/consent", cookies.csrf(browser), request.carried(), ticket(), user.tenant().id().toString(),
                user.user().id().toString(), user.user().userPrincipalName(), DelegatedScopes.appName(plan.client()),
                publisher.domain(), publisher.verified(), publisher.appTenant(),
                resourceNames.isEmpty() ? "your organization" : String.join(", ", resourceNames), permissions, List.of(),
                false, true));
    }

    /**
     * The administrator's answer on the admin consent page. Accept grants everything planned, checked again now, and
     * redirects with {@code admin_consent=True}, {@code tenant} and {@code scope}; Cancel redirects with
     * {@code access_denied} (AADSTS65004) and {@code admin_consent=True}, as Entra's observed answer has it
     * (github.com/MicrosoftDocs/azure-docs/issues/114009: no {@code tenant} then).
     */
    private void answerAdminConsent(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser user,
                                    boolean accept) {
        AdminConsent.Plan plan = AuthorizeRefusal.redirectingFailures(request.reply(), () -> {
            SignInRules.checkUser(request.tenant(), request.client(), request.clientHomeTenant(), user.tenant().id(),
                    user.user());
            return adminConsents.plan(user.tenant(), request.client(), request.clientHomeTenant(), request.scope());
        });
        if (!accept) {
            Failure declined = Failure.of(Cause.CONSENT_DECLINED, "username", user.user().userPrincipalName(), "appName",
                    DelegatedScopes.appName(plan.client()), "clientId", request.client().appId().toString(), "permissions",
                    plan.names().isEmpty() ? "no permission" : String.join(" ", plan.names()), "resource", "the organization");
            call.record(declined, "redirected");
            AuthorizationResponse error = AuthorizeFlow.error(AuthorizeRefusal.redirected(declined, request.reply()),
                    call.ids().traceId(), call.ids().correlationId(), call.now(), call.urls());
            Map<String, String> params = new LinkedHashMap<>(error.parameters());
            String state = params.remove("state");
            params.put("admin_consent", "True");
            if (state != null) {
                params.put("state", state);
            }
            respond(call, new AuthorizationResponse(request.reply(), params));
            return;
        }
        Optional<Failure> refused = adminConsents.refusal(plan, user.user());
        if (refused.isPresent()) {
            approvalPage(call, request, browser, user, refused.get(), plan.names());
            return;
        }
        adminConsents.grant(plan, user.user(), call.now());
        LOG.info("{} consented for the organization {} to {} for {} trace_id={}", user.user().userPrincipalName(),
                user.tenant().id(), plan.names(), request.client().appId(), call.ids().traceId());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("admin_consent", "True");
        params.put("tenant", user.tenant().id().toString());
        params.put("scope", request.scope());
        if (request.reply().state() != null) {
            params.put("state", request.reply().state());
        }
        respond(call, new AuthorizationResponse(request.reply(), params));
    }

    /** The accounts signed in to this browser that still exist; most recent first. */
    private List<AuthenticatedUser> accounts(String browser) {
        return browserSessions.accounts(browser);
    }

    private void showSignIn(BrowserRequest call, AuthorizationRequest request, String browser, String username, boolean passwordStep,
                            PageMessage message, int status) {
        pages.signIn(call.ctx(), status, new SignInPage(action(call, request), cookies.csrf(browser), request.carried(),
                appName(request), username, passwordStep, List.of(), message));
    }

    /** The device page: register this browser's device, or what makes the registered one compliant. */
    private void deviceCheck(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser user,
                             AuthContext auth, Failure refusal) {
        Optional<dev.consentry.core.directory.Device> device = auth.deviceId() == null ? Optional.empty()
                : store.devices().findByDeviceId(user.tenant().id(), auth.deviceId());
        pages.deviceCheck(call.ctx(), new DeviceCheckPage(action(call, request), cookies.csrf(browser), request.carried(),
                user.tenant().id().toString(), user.user().id().toString(), user.user().userPrincipalName(), appName(request),
                device.map(dev.consentry.core.directory.Device::deviceId).orElse(null),
                device.map(d -> d.id().toString()).orElse(null), authorizeUrl(request),
                signIns.shown(call, request.client(), user, refusal)));
    }

    private void showSecondFactor(BrowserRequest call, AuthorizationRequest request, String browser, AuthenticatedUser user,
                                  dev.consentry.identity.mfa.Authenticators.Enrolment enrolment, PageMessage message,
                                  int status) {
        SecondFactorPage.Enrolment shown = enrolment == null ? null
                : SecondFactorPage.Enrolment.of(enrolment.secret(), enrolment.uri());
        pages.secondFactor(call.ctx(), status, new SecondFactorPage(action(call, request), cookies.csrf(browser),
                request.carried(), appName(request), user.user().userPrincipalName(), user.tenant().id().toString(),
                user.user().id().toString(), shown, message));
    }

    private void showPicker(BrowserRequest call, AuthorizationRequest request, String browser, List<AuthenticatedUser> accounts) {
        List<SignInPage.Account> list = accounts.stream().map(a -> new SignInPage.Account(a.user().userPrincipalName(),
                a.user().displayName() == null ? a.user().userPrincipalName() : a.user().displayName())).toList();
        pages.signIn(call.ctx(), 200, new SignInPage(action(call, request), cookies.csrf(browser), request.carried(),
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
            pages.formPost(call.ctx(), target.redirectUri(), fields(response));
            return;
        }
        call.ctx().header("Cache-Control", "no-store, no-cache");
        call.ctx().redirect(url(response), io.javalin.http.HttpStatus.FOUND);
    }

    private static List<FormPostPage.Field> fields(AuthorizationResponse response) {
        List<FormPostPage.Field> fields = new ArrayList<>();
        response.parameters().forEach((k, v) -> fields.add(new FormPostPage.Field(k, v)));
        return fields;
    }

    /** The redirect URI with the response's parameters in its query or fragment. */
    private static String url(AuthorizationResponse response) {
        var target = response.target();
        StringBuilder url = new StringBuilder(target.redirectUri());
        char first = target.mode() == ResponseMode.FRAGMENT ? '#' : (target.redirectUri().contains("?") ? '&' : '?');
        boolean start = true;
        for (Map.Entry<String, String> e : response.parameters().entrySet()) {
            url.append(start ? first : '&').append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            start = false;
        }
        return url.toString();
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
